// Result rendering with hooks for domain apps: window.Jobcast.resultViews[kind] =
// (container, result, job) => {...} draws a richer view on the job page (the JSON tree is always
// there too); window.Jobcast.cardViews[kind] = (container, result, job) => {...} a compact one on
// the dashboard card.

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

export function cardViews() {
  window.Jobcast = window.Jobcast || {};
  window.Jobcast.cardViews = window.Jobcast.cardViews || {};
  return window.Jobcast.cardViews;
}

export const hasCardView = (kind) => typeof cardViews()[kind] === "function";

/** Fill a card's `container` with the kind's compact result view, once per result; hidden without one. */
export function renderCardPreview(container, job) {
  const view = cardViews()[job.kind];
  const show = typeof view === "function" && job.status === "success" && job.result != null;
  const key = show ? `${job.id} ${job.seq}` : "";
  if (container.dataset.shown === key) return;
  container.dataset.shown = key;
  container.replaceChildren();
  container.hidden = !show;
  if (!show) return;
  try {
    view(container, job.result, job);
  } catch (err) {
    container.hidden = true;
    console.warn(`The ${job.kind} card view failed`, err);
  }
}
