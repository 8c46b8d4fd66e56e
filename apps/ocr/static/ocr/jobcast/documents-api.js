// The OCR documents endpoints (docs/api.md, apps/ocr/urls.py) and what their answers mean to a
// person: a document's status in words, a refused request's messages next to the field named.

import { api } from "/static/jobcast/js/api.js";
import { h } from "/static/jobcast/js/dom.js";
import { t, tp } from "/static/jobcast/js/i18n.js";

export const documentsApi = {
  list: (page = 1) => api(`/api/ocr/documents/?${new URLSearchParams({ page })}`),
  get: (id) => api(`/api/ocr/documents/${id}/`),
  /** `body` is `{file_name, ocr_content}` (JSON) or a FormData holding the PDF as `file`. */
  save: (body) => api("/api/ocr/save/", { method: "POST", body }),
  retry: (id) => api(`/api/ocr/documents/${id}/retry/`, { method: "POST" }),
};

/** A document's status -> its label and the job badge colour that means the same. */
const STATUS = {
  pending: [() => t("Queued"), "pending"],
  processing: [() => t("Processing"), "started"],
  completed: [() => t("Completed"), "success"],
  error: [() => t("Failed"), "failure"],
};

export function statusBadge(status) {
  const [label, tone] = STATUS[status] || [() => status, "pending"];
  return h("span", { class: "badge", dataset: { status: tone, documentStatus: status } }, label());
}

/** "1 Dec 2026, 14:03" in the viewer's time zone and language (the <html lang> Django rendered). */
export function formatWhen(ts) {
  if (!ts) return "";
  return new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { dateStyle: "medium", timeStyle: "short" }).format(new Date(ts));
}

const FIELD_LABELS = { ocr_content: () => t("OCR text"), file: () => t("PDF file"), file_name: () => tp("ocr document", "Name") };
// (A context: plain "Name" and "Status" mean other things in other apps' catalogs, e.g. "任务名", "状态码".)

/**
 * Show a refused save in `form`: each field's messages (already in the viewer's language) under
 * its label in the form's alert, the field marked invalid; any other failure as its message.
 */
export function showErrors(form, err) {
  const box = form.querySelector(".form-error");
  form.querySelectorAll(".field.invalid").forEach((f) => f.classList.remove("invalid"));
  const errors = err?.body?.errors;
  const lines = [];
  if (errors && typeof errors === "object") {
    for (const [field, messages] of Object.entries(errors)) {
      const text = [].concat(messages).join(" ");
      const label = FIELD_LABELS[field]?.();
      lines.push(label ? t("%(field)s: %(message)s", { field: label, message: text }) : text);
      const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
      input?.closest(".field")?.classList.add("invalid");
      input?.setAttribute("aria-invalid", "true");
    }
  } else {
    lines.push(err?.message || String(err));
  }
  box.replaceChildren(...lines.map((line) => h("p", {}, line)));
  box.hidden = false;
}

export function clearErrors(form) {
  const box = form.querySelector(".form-error");
  box.hidden = true;
  box.replaceChildren();
  form.querySelectorAll(".field.invalid").forEach((f) => f.classList.remove("invalid"));
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
}
