// /ocr/: the user's OCR documents (the API's pages, newest first; rows follow their jobs live over
// the feed socket), and the two ways to create one: paste the OCR text or upload a PDF.

import { JobcastClient } from "/static/jobcast/client.js";
import { fill, h } from "/static/jobcast/js/dom.js";
import { formatNumber, t, tn, tp } from "/static/jobcast/js/i18n.js";
import { stageLabel } from "/static/ocr/jobcast/result-views.js";
import { clearErrors, documentsApi, formatWhen, showErrors, statusBadge } from "./documents-api.js";

const root = document.getElementById("ocr-root");
const el = (id) => document.getElementById(id);
const pageSize = Number(root.dataset.pageSize) || 20;
const page = Math.max(1, Number(new URLSearchParams(location.search).get("page")) || 1);
const documentUrl = (id) => `/ocr/${id}/`;
/** job id -> the row showing its document, for the live updates. */
const rowsByJob = new Map();

function stageCell(doc) {
  if (doc.status === "completed") return "";
  const percent = formatNumber((doc.progress_percentage || 0) / 100, { style: "percent" });
  return t("%(stage)s · %(percent)s", { stage: stageLabel(doc.processing_stage), percent });
}

function row(doc) {
  const tr = h("tr", { dataset: { documentId: String(doc.id), status: doc.status } },
    h("th", { scope: "row" }, h("a", { href: documentUrl(doc.id), class: "doc-link" }, doc.file_name || t("Document #%(id)s", { id: doc.id }))),
    h("td", { class: "doc-status" }, statusBadge(doc.status), " ", h("span", { class: "doc-stage muted" }, stageCell(doc))),
    h("td", {}, h("time", { datetime: doc.created_at }, formatWhen(doc.created_at))));
  if (doc.job_id) rowsByJob.set(doc.job_id, tr);
  return tr;
}

async function renderList() {
  const answer = await documentsApi.list(page);
  rowsByJob.clear();
  el("doc-count").textContent = tn("%(n)s document", "%(n)s documents", answer.count);
  if (!answer.data.length) {
    fill(el("doc-list"), h("p", { class: "empty" }, page > 1 ? t("No documents on this page.") : t("No documents yet: paste a proposal's text or upload a PDF.")));
  } else {
    // "Name" and "Status" alone are other apps' "任务名" and "状态码" in the merged catalogs: a context keeps ours apart.
    fill(el("doc-list"), h("table", { class: "data-table doc-table" },
      h("thead", {}, h("tr", {}, [tp("ocr document", "Name"), tp("ocr document", "Status"), t("Created")].map((label) => h("th", { scope: "col" }, label)))),
      h("tbody", {}, answer.data.map(row))));
  }
  const pages = Math.max(1, Math.ceil(answer.count / pageSize));
  el("doc-pager").hidden = pages <= 1;
  pagerLink(el("pager-prev"), answer.previous ? page - 1 : null);
  pagerLink(el("pager-next"), answer.next ? page + 1 : null);
  el("pager-label").textContent = t("Page %(page)s of %(pages)s", { page, pages });
}

function pagerLink(link, target) {
  if (target == null) {
    link.removeAttribute("href");
    link.setAttribute("aria-disabled", "true");
  } else {
    link.href = `?page=${target}`;
    link.removeAttribute("aria-disabled");
  }
}

/** A row's status and stage move with its job's events; at the end the list is read again. */
function followRows() {
  let reload = null;
  new JobcastClient().feed({
    onEvent(event) {
      const tr = rowsByJob.get(event.job_id);
      if (!tr) return;
      if (["success", "failure", "revoked"].includes(event.event)) {
        clearTimeout(reload);
        reload = setTimeout(() => renderList().catch(showListError), 300); // the document is written just after
        return;
      }
      if (event.stage && event.event === "stage") {
        fill(tr.querySelector(".doc-status"), statusBadge("processing"), " ",
          h("span", { class: "doc-stage muted" }, t("%(stage)s · %(percent)s", {
            stage: stageLabel(event.stage), percent: formatNumber((event.progress || 0) / 100, { style: "percent" }) })));
      }
    },
  });
}

function showListError(err) {
  fill(el("doc-list"), h("p", { class: "form-error", role: "alert" }, t("Could not load your documents: %(reason)s", { reason: err.message })));
}

/** Submit through the API; on success open the new document's page, else show the API's words. */
async function create(form, body) {
  clearErrors(form);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const answer = await documentsApi.save(body);
    location.assign(documentUrl(answer.document_id));
  } catch (err) {
    showErrors(form, err);
    button.disabled = false;
  }
}

function wireForms() {
  const paste = el("paste-form");
  const sample = JSON.parse(el("ocr-sample").textContent);
  el("use-sample").addEventListener("click", () => {
    paste.elements.file_name.value = sample.file_name;
    paste.elements.ocr_content.value = sample.ocr_content;
    clearErrors(paste);
    paste.elements.ocr_content.focus();
  });
  paste.addEventListener("submit", (e) => {
    e.preventDefault();
    create(paste, { file_name: paste.elements.file_name.value.trim(), ocr_content: paste.elements.ocr_content.value });
  });
  const upload = el("upload-form");
  upload.addEventListener("submit", (e) => {
    e.preventDefault();
    const file = upload.elements.file.files[0];
    if (!file) {
      showErrors(upload, { body: { errors: { file: [t("Choose a PDF file first.")] } } });
      return;
    }
    const body = new FormData();
    body.append("file", file);
    create(upload, body);
  });
}

async function main() {
  wireForms();
  await renderList();
  followRows();
  document.body.dataset.ready = "true";
}

main().catch(showListError);
