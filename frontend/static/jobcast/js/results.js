// Result rendering with a hook for domain apps: window.Jobcast.resultViews[kind] =
// (container, result, job) => {...} draws a richer view; the JSON tree is always there too.

import { h } from "./dom.js";
import { t } from "./i18n.js";
import { jsonTree } from "./jsontree.js";

export function resultViews() {
  window.Jobcast = window.Jobcast || {};
  window.Jobcast.resultViews = window.Jobcast.resultViews || {};
  return window.Jobcast.resultViews;
}

/** Fill `container` with the kind's registered view (if any) and a collapsible JSON tree. */
export function renderResult(container, job) {
  container.replaceChildren();
  const view = resultViews()[job.kind];
  if (typeof view === "function") {
    const custom = h("div", { class: "result-custom" });
    container.append(custom);
    try {
      view(custom, job.result, job);
    } catch (err) {
      custom.replaceChildren(h("p", { class: "muted" }, `The ${job.kind} result view failed: ${err.message}`));
    }
    container.append(h("details", { class: "raw-json" }, h("summary", {}, t("Raw JSON")), jsonTree(job.result)));
  } else {
    container.append(jsonTree(job.result));
  }
}
