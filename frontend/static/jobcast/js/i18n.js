// Every user-visible string goes through t(): Django's JavaScriptCatalog (/jsi18n/) provides a
// global gettext when the page loads it; without it the msgid is the text.

/** The translation of `msgid`, with named placeholders `%(name)s` filled from `params`. */
export function t(msgid, params) {
  const g = globalThis.gettext;
  const s = g ? g(msgid) : msgid;
  return params ? s.replace(/%\((\w+)\)s/g, (_, k) => String(params[k] ?? "")) : s;
}
