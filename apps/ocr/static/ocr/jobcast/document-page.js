// /ocr/<id>/: one OCR document with its extracted data, live while its job runs. The stepper and
// the result are the ocr.extract views of the job page (result-views.js); the job's events come
// from the public client (JobcastClient.follow, docs/client.md). A failed document offers retry.

// Importing it registers window.Jobcast.{liveViews,resultViews}["ocr.extract"].
import { stageLabel } from "/static/ocr/jobcast/result-views.js";
import { JobcastClient } from "/static/jobcast/client.js";
import { fill, h, setText } from "/static/jobcast/js/dom.js";
import { t } from "/static/jobcast/js/i18n.js";
import { progressBar, renderConnection } from "/static/jobcast/js/jobview.js";
import { renderLive } from "/static/jobcast/js/liveviews.js";
import { resultViews } from "/static/jobcast/js/results.js";
import { documentsApi, formatWhen, statusBadge } from "./documents-api.js";

const KIND = "ocr.extract";
const root = document.getElementById("ocr-root");
const documentId = Number(root.dataset.documentId);
const el = (id) => document.getElementById(id);
const client = new JobcastClient();
const bar = progressBar(t("Extraction progress"));
const TONE = { pending: "pending", processing: "started", completed: "success", error: "failure" };

let doc = null;
let job = null; // the extraction job as its events describe it
const events = [];
let sub = null;
let shownResultFor = null;
let ended = false; // the followed job ended: the stream closing is expected, nothing more is coming

async function load() {
  doc = (await documentsApi.get(documentId)).data;
  renderDocument();
  return doc;
}

function renderDocument() {
  const name = doc.file_name || t("Document #%(id)s", { id: doc.id });
  setText(el("doc-title"), name);
  document.title = `${name} · Jobcast`;
  fill(el("doc-badge"), statusBadge(doc.status));
  bar.set(doc.progress_percentage, TONE[doc.status] || "pending", stageLabel(doc.processing_stage));
  setText(el("doc-stage"), stageLabel(doc.processing_stage));
  const failed = doc.status === "error";
  el("doc-error").hidden = !failed;
  if (failed) setText(el("doc-error-text"), doc.error_message || t("The extraction failed."));
  el("doc-retry").disabled = false;
  const meta = [
    [t("Source"), doc.source === "pdf" ? t("PDF text layer") : t("Pasted OCR text")],
    [t("Created"), h("time", { datetime: doc.created_at }, formatWhen(doc.created_at))],
    [t("Last processed"), doc.last_processed_at ? h("time", { datetime: doc.last_processed_at }, formatWhen(doc.last_processed_at)) : null],
    [t("Extraction job"), doc.job_id ? h("a", { href: `/jobs/${doc.job_id}/`, class: "mono" }, doc.job_id.slice(0, 8)) : null],
  ].filter(([, value]) => value != null);
  fill(el("doc-meta"), meta.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  if (el("doc-text").textContent !== doc.ocr_content) el("doc-text").textContent = doc.ocr_content || "";
  renderResult();
}

/** The extracted data once the document is complete: the job page's OCR result view, from the document. */
function renderResult() {
  const done = doc.status === "completed" && doc.summary;
  el("result-panel").hidden = !done;
  const key = done ? doc.updated_at : null;
  if (!done || shownResultFor === key) return;
  shownResultFor = key;
  const container = fill(el("doc-result"));
  const result = { document_id: doc.id, basic_info: doc.basic_info || {}, summary: doc.summary,
    rows: doc.table_data?.rows?.length ?? 0, links: { document: `/api/ocr/documents/${doc.id}/` } };
  Promise.resolve(resultViews()[KIND](container, result, job)).catch((err) => {
    fill(container, h("p", { class: "muted" }, t("Could not show the extracted data: %(reason)s", { reason: err.message })));
  }).finally(() => { document.body.dataset.result = "shown"; });
}

function renderStepper() {
  if (!job) return;
  el("live-panel").hidden = false; // shown first, so the view can measure its box
  el("live-panel").hidden = !renderLive(el("doc-live"), events, job);
}

function onEvent(event) {
  events.push(event);
  job = sub?.job || job;
  renderStepper();
  // Replayed events of a document already settled must not paint it as running again.
  if (event.event === "stage" && event.stage && !settled(doc)) {
    bar.set(event.progress, "started", stageLabel(event.stage));
    setText(el("doc-stage"), stageLabel(event.stage));
    fill(el("doc-badge"), statusBadge("processing"));
  }
}

/** After the job ended the document is written by the job's end handler: read it until it says so. */
const settled = (d) => ["completed", "error"].includes(d.status);

async function settle(finalJob, delayMs = 250) {
  job = finalJob;
  ended = true;
  renderStepper();
  await load();
  if (!settled(doc) && delayMs < 8000) {
    setTimeout(() => settle(finalJob, delayMs * 2), delayMs);
  }
}

function follow() {
  if (!doc.job_id) return;
  sub?.close();
  ended = false;
  el("conn").hidden = false;
  sub = client.follow(doc.job_id, {
    after: events.at(-1)?.seq ?? 0,
    onSnapshot: (snapshot) => { job = snapshot; renderStepper(); },
    onEvent,
    onEnd: (finalJob) => settle(finalJob).catch(showError),
    onConnection: (state, info) => {
      el("conn").hidden = ended && state === "closed";
      renderConnection(el("conn"), { state: state === "not_found" ? "closed" : state, polling: info?.transport === "polling" });
      if (state === "unauthorized") location.assign(`/accounts/login/?next=${encodeURIComponent(location.pathname)}`);
    },
  });
}

async function retry() {
  const button = el("doc-retry");
  button.disabled = true;
  try {
    const answer = await documentsApi.retry(documentId);
    Object.assign(doc, answer.data);
    renderDocument();
    follow();
  } catch (err) {
    button.disabled = false;
    setText(el("doc-error-text"), t("Could not retry: %(reason)s", { reason: err.message }));
  }
}

function showError(err) {
  const banner = el("page-error");
  banner.textContent = t("Could not load the document: %(error)s", { error: err.message });
  banner.hidden = false;
}

async function main() {
  el("doc-progress").append(bar.el);
  el("doc-retry").addEventListener("click", retry);
  await load();
  follow();
  if (!doc.job_id) el("conn").hidden = true;
  document.body.dataset.ready = "true";
}

main().catch(showError);
