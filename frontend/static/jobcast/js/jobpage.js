// One job's page: snapshot, stages with durations, the full timeline, the kind's live view,
// result or error, and cancel/retry; kept live by the public client (../client.js): follow() while
// the job runs, then the feed, which hears of a retry (from here or elsewhere) and follows again.

import { jobsApi } from "./api.js";
import { h, fill } from "./dom.js";
import { eventMessage, formatNumber, locale, stageTitle, t, tn } from "./i18n.js";
import { JobSummary, renderConnection } from "./jobview.js";
import { jsonTree } from "./jsontree.js";
import { JobcastClient } from "../client.js";
import { hasLiveView, liveViewTitle, renderLive } from "./liveviews.js";
import { renderResult } from "./results.js";
import { formatClock, formatDuration } from "./timefmt.js";
import { stageSpans, timelineRows } from "./timeline.js";
import { isTerminal, mergeSnapshot, reduceJob } from "./sync.js";

const root = document.getElementById("job-root");
const jobId = root.dataset.jobId;
const el = (id) => document.getElementById(id);
let summary = null;
let shownResultFor = null;
let shownLiveFor = null;

const client = new JobcastClient();
const log = { job: null, events: [] }; // the job, and its events 1..n each once (the client's promise)
let watching = null; // the follow() while the job runs, the feed once it ended

function onConnection(state, info) {
  if (state === "closed") return; // one watcher handing over to the next
  renderConnection(el("conn"), state, info);
  if (state === "unauthorized") location.assign(`/accounts/login/?next=${encodeURIComponent(location.pathname)}`);
  if (state === "not_found") showError(t("No such job, or it is not yours."));
}

/** A snapshot (each connection starts with one; cancel and retry answer one). */
function merge(snapshot) {
  log.job = mergeSnapshot(log.job, snapshot) || log.job;
  scheduleRender();
  document.body.dataset.ready = "true";
}

function onEvent(event) {
  log.events.push(event);
  if (event.seq > (log.job?.seq || 0)) log.job = reduceJob(log.job || { id: jobId }, event);
  scheduleRender();
}

/** Follow the job from the last event shown; once it ends, wait on the feed for a retry. */
function follow() {
  watching?.close();
  watching = client.follow(jobId, {
    after: log.events.at(-1)?.seq ?? 0, onSnapshot: merge, onEvent, onConnection,
    onEnd: (job) => {
      merge(job);
      idle();
    },
  });
}

function idle() {
  watching = client.feed({
    onConnection,
    onEvent: (event) => {
      if (event.job_id === jobId && event.seq > (log.events.at(-1)?.seq ?? 0)) follow(); // retried: it runs again
    },
  });
  watching.track(log.job);
}

const actions = {
  cancel: async (job) => merge(await jobsApi.cancel(job.id)),
  retry: async (job) => merge(await jobsApi.retry(job.id)),
};

let pending = null;

/** Render at most once per animation frame, however many events arrive. */
function scheduleRender() {
  if (pending) return;
  pending = requestAnimationFrame(() => {
    pending = null;
    if (log.job?.kind) render();
  });
}

function render() {
  const job = log.job;
  if (!summary) {
    summary = new JobSummary(job, { actions, link: false, headingLevel: 1 });
    summary.el.classList.add("job-card--page");
    fill(el("job-summary"), summary.el);
    fill(el("job-params"), jsonTree(job.params ?? {}, { openDepth: 1 }));
    document.title = `${job.kind} #${job.id.slice(0, 8)} · Jobcast`;
  }
  summary.update(job, Date.now());
  renderMeta(job);
  renderLiveView(log.events, job);
  renderOutput(log.events);
  renderOutcome(job);
  renderStages(log.events, job);
  renderTimeline(log.events);
}

function renderMeta(job) {
  // Times in the viewer's browser time zone and language (issue 17).
  const when = (ts) => ts && new Date(ts).toLocaleString(locale());
  const items = [
    ["id", t("Job id"), job.id], ["queue", t("Queue"), job.queue], ["priority", t("Priority"), job.priority],
    ["attempt", t("Attempt"), job.attempt],
    ["created", t("Created"), when(job.created_at)],
    ["started", t("Started"), when(job.started_at)],
    ["finished", t("Finished"), when(job.finished_at)],
  ].filter(([, , v]) => v != null && v !== "");
  fill(el("job-meta"), items.map(([key, k, v]) => [h("dt", {}, k), h("dd", { class: key === "id" ? "mono" : null }, String(v))]));
}

/** The job's streamed text output: its `output` events' chunks in seq order, growing as they arrive. */
function renderOutput(events) {
  const text = events.filter((e) => e.event === "output").map((e) => e.data?.text ?? "").join("");
  const pre = el("job-output");
  el("output-panel").hidden = text === "";
  if (pre.textContent === text) return;
  const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  pre.textContent = text;
  if (atBottom) pre.scrollTop = pre.scrollHeight;
}

function renderOutcome(job) {
  const errorPanel = el("error-panel");
  errorPanel.hidden = !(job.status === "failure" && job.error);
  if (!errorPanel.hidden) {
    fill(el("job-error"),
      h("p", { class: "error-type mono" }, job.error.type || t("Error")),
      h("p", { class: "error-message" }, job.error.message || ""),
      Object.keys(job.error).some((k) => !["type", "message"].includes(k))
        ? h("details", {}, h("summary", {}, t("Details")), jsonTree(job.error)) : null);
  }
  const resultPanel = el("result-panel");
  const hasResult = job.status === "success" && "result" in job;
  resultPanel.hidden = !hasResult;
  const key = hasResult ? `${job.seq}` : null;
  if (hasResult && shownResultFor !== key) {
    renderResult(el("job-result"), job);
    shownResultFor = key;
  }
}

/** The kind's live view, called again only when the events, the status or the result changed. */
function renderLiveView(events, job) {
  const key = `${events.length} ${job.status} ${"result" in job}`;
  if (shownLiveFor === key) return;
  shownLiveFor = key;
  el("live-panel").hidden = !hasLiveView(job.kind); // shown first, so the view can measure its box
  const title = liveViewTitle(job.kind);
  if (title) el("live-heading").textContent = title;
  el("live-panel").hidden = !renderLive(el("job-live"), events, job);
}

function renderStages(events, job) {
  const spans = stageSpans(events);
  const now = Date.now();
  const list = el("job-stages");
  fill(list, spans.map((span) => {
    const running = span.end == null && !["success", "failure", "revoked"].includes(job.status);
    const duration = span.durationMs ?? (running ? now - Date.parse(span.start) : null);
    return h("li", { class: "stage", dataset: { outcome: span.outcome || (running ? "running" : "") } },
      h("span", { class: "stage-name", dataset: { stage: span.stage } }, stageTitle(span.stage)),
      span.attempt > 1 ? h("span", { class: "stage-attempt" }, t("attempt %(n)s", { n: span.attempt })) : null,
      h("span", { class: "stage-duration" }, duration == null ? "" : `${formatDuration(duration)}${running ? "…" : ""}`));
  }));
  el("stages-empty").hidden = spans.length > 0;
}

const LABELS = {
  pending: () => t("Queued"), started: () => t("Started"), stage: () => t("Stage"), progress: () => t("Progress"),
  log: () => t("Log"), retry: () => t("Retry"), success: () => t("Succeeded"), failure: () => t("Failed"),
  revoked: () => t("Cancelled"), output: () => t("Output"),
};

function renderTimeline(events) {
  const rows = timelineRows(events);
  const first = events.length ? Date.parse(events[0].ts) : 0;
  const list = el("job-timeline");
  // Rows are derived from the log (which holds each seq once), never appended per frame;
  // unchanged rows keep their element (and any opened details).
  const previous = new Map([...list.children].map((li) => [li.dataset.seqs, li]));
  list.replaceChildren(...rows.map((row) => {
    const seqs = row.events.map((e) => e.seq);
    const reuse = previous.get(seqs.join(" "));
    if (reuse) return reuse;
    // Messages in the viewer's language from the events' data.i18n (the stored message is English).
    const message = eventMessage(row.events.at(-1));
    let text = message;
    if (row.kind === "stage") {
      text = message ? t("%(stage)s — %(message)s", { stage: stageTitle(row.stage), message }) : stageTitle(row.stage);
    }
    if (row.kind === "progress") {
      const n = row.events.length;
      const range = t("%(from)s → %(to)s", { from: fmtPct(row.from), to: fmtPct(row.to) });
      const counted = n > 1 ? tn("%(range)s (%(n)s update)", "%(range)s (%(n)s updates)", n, { range }) : range;
      text = message ? t("%(progress)s · %(message)s", { progress: counted, message }) : counted;
    }
    const data = row.events.length === 1 && row.events[0].data && Object.keys(row.events[0].data).length ? row.events[0].data : null;
    return h("li", { class: "tl-row", dataset: { event: row.kind, seqs: seqs.join(" ") } },
      h("span", { class: "tl-dot", "aria-hidden": "true" }),
      h("div", { class: "tl-body" },
        h("div", { class: "tl-head" },
          h("span", { class: "tl-label" }, LABELS[row.kind]?.() || row.kind),
          h("time", { class: "tl-time", datetime: row.start, title: row.start }, `${formatClock(row.start)} · +${formatDuration(Date.parse(row.start) - first)}`),
          h("span", { class: "tl-seq mono" }, seqs.length > 1 ? `#${seqs[0]}–${seqs.at(-1)}` : `#${seqs[0]}`)),
        text ? h("p", { class: "tl-text" }, text) : null,
        data ? h("details", { class: "tl-data" }, h("summary", {}, t("data")), jsonTree(data, { openDepth: 1 })) : null));
  }));
  el("timeline-count").textContent = tn("%(n)s event", "%(n)s events", events.length);
}

const fmtPct = (p) => formatNumber(Math.round(Number(p) || 0) / 100, { style: "percent" });

function showError(message) {
  const banner = el("page-error");
  banner.textContent = t("Could not load the job: %(error)s", { error: message });
  banner.hidden = false;
}

follow();
setInterval(() => {
  if (!log.job?.kind) return;
  summary?.tick(Date.now());
  if (!isTerminal(log.job.status)) renderStages(log.events, log.job);
}, 1000);
