// The page's language (issue 17): `t(msgid, params)` translates through Django's JavaScriptCatalog
// (/jsi18n/, loaded as a classic script before the modules); without it (node --test) the msgid
// stands. Named placeholders only: t("attempt %(n)s", { n: 2 }).

const catalog = () => (typeof globalThis.gettext === "function" ? globalThis : null);

/** Interpolate named `%(name)s` placeholders (the catalog's own `interpolate` when present). */
function fillIn(text, params) {
  if (!params) return text;
  const cat = catalog();
  if (cat && typeof cat.interpolate === "function") return cat.interpolate(text, params, true);
  return text.replace(/%\(([^)]+)\)s/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** The msgid in the viewer's language, with its named parameters filled in. */
export function t(msgid, params) {
  const cat = catalog();
  return fillIn(cat ? cat.gettext(msgid) : msgid, params);
}

/** Singular or plural form for `n`, in the viewer's language. */
export function tn(singular, plural, n, params) {
  const cat = catalog();
  const text = cat && typeof cat.ngettext === "function" ? cat.ngettext(singular, plural, n) : (n === 1 ? singular : plural);
  return fillIn(text, { n, ...params });
}

/** The page's language for Intl (the <html lang> Django rendered), e.g. "zh-hans" or "en". */
export function locale() {
  const lang = globalThis.document?.documentElement?.lang;
  return lang || undefined;
}

/** An event's message in the viewer's language: `data.i18n` (msgid + params) when the kind gave one. */
export function eventMessage(event) {
  const i18n = event?.data?.i18n;
  if (i18n && typeof i18n.msgid === "string") return t(i18n.msgid, i18n.params || {});
  return event?.message || "";
}

/** The msgid in `context` (Django's pgettext), in the viewer's language. */
export function tp(context, msgid, params) {
  const cat = catalog();
  return fillIn(cat && typeof cat.pgettext === "function" ? cat.pgettext(context, msgid) : msgid, params);
}

// The job page's own spans (timeline.js); kinds' stage codes come translated from their apps' catalogs.
const PAGE_STAGES = {
  queued: () => tp("stage", "queued"),
  starting: () => tp("stage", "starting"),
  "waiting to retry": () => tp("stage", "waiting to retry"),
};

/** A stage code's title in the viewer's language (the code itself, as in English, when none is translated). */
export function stageTitle(code) {
  if (!code) return "";
  return PAGE_STAGES[code]?.() ?? tp("stage", code);
}

/** A number for the viewer's locale. */
export function formatNumber(value, options) {
  return new Intl.NumberFormat(locale(), options).format(value);
}
