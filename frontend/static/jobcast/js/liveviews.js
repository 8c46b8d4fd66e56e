// Live view hook for domain apps: window.Jobcast.liveViews[kind] = (container, events, job) => {...}
// draws from the job's events while they arrive (a chart of progress figures, say) and keeps
// showing it after the job ends: a stopped run has no result, but its events are all there.

import { fill, h } from "./dom.js";

export function liveViews() {
  window.Jobcast = window.Jobcast || {};
  window.Jobcast.liveViews = window.Jobcast.liveViews || {};
  return window.Jobcast.liveViews;
}

export const hasLiveView = (kind) => typeof liveViews()[kind] === "function";

/** The panel heading a kind's live view asks for (its `title` function), or null. */
export const liveViewTitle = (kind) => (hasLiveView(kind) && typeof liveViews()[kind].title === "function" ? liveViews()[kind].title() : null);

/**
 * Call the kind's live view (if any) with the same `container` every time, so it can build once
 * and update in place. Returns whether there is something to show: false when the kind has no
 * live view, or its view returned false (nothing to show now, e.g. the result says it all). A
 * view that throws is replaced by a message and not called again, never a broken page.
 */
export function renderLive(container, events, job) {
  if (!hasLiveView(job.kind)) return false;
  if (container.dataset.failed) return true;
  try {
    return liveViews()[job.kind](container, events, job) !== false;
  } catch (err) {
    container.dataset.failed = "true";
    fill(container, h("p", { class: "muted" }, `The ${job.kind} live view failed: ${err.message}`));
  }
  return true;
}
