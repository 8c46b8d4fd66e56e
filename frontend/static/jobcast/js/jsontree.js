// A collapsible JSON tree built from <details>/<summary>, so it is keyboard-usable for free.

import { h } from "./dom.js";
import { formatNumber, t, tn } from "./i18n.js";

const LONG_STRING = 160;

/** An element showing `value`; objects/arrays deeper than `openDepth` start collapsed. */
export function jsonTree(value, { openDepth = 2 } = {}) {
  return h("div", { class: "json-tree" }, node(value, 0, openDepth));
}

function node(value, depth, openDepth, key) {
  const label = key == null ? null : h("span", { class: "json-key" }, `${key}:`);
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    const summary = Array.isArray(value) ? tn("[%(n)s item]", "[%(n)s items]", entries.length)
      : tn("{%(n)s key}", "{%(n)s keys}", entries.length);
    if (!entries.length) return h("div", { class: "json-leaf" }, label, " ", h("span", { class: "json-empty" }, Array.isArray(value) ? "[]" : "{}"));
    return h(
      "details",
      { class: "json-node", open: depth < openDepth },
      h("summary", {}, label, " ", h("span", { class: "json-count" }, summary)),
      h("div", { class: "json-children" }, entries.map(([k, v]) => node(v, depth + 1, openDepth, k))),
    );
  }
  return h("div", { class: "json-leaf" }, label, label ? " " : null, scalar(value));
}

function scalar(value) {
  if (value === null) return h("span", { class: "json-null" }, "null");
  if (typeof value === "string") {
    if (value.length <= LONG_STRING) return h("span", { class: "json-string" }, JSON.stringify(value));
    const shown = h("span", { class: "json-string" }, JSON.stringify(value.slice(0, LONG_STRING)) + "…");
    const more = h("button", {
      type: "button",
      class: "link small",
      onclick: () => {
        shown.textContent = JSON.stringify(value);
        more.remove();
      },
    }, t("show all %(n)s characters", { n: formatNumber(value.length) }));
    return h("span", {}, shown, " ", more);
  }
  return h("span", { class: `json-${typeof value}` }, String(value));
}
