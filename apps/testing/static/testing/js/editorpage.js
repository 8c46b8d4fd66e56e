// The script / scenario editor page: name, target, (think time), the rows editor; "Use the example"
// fills in the health check the testing kinds' examples use (apps/testing/examples.py); Save is a
// POST (new) or PUT (edit) to /api/v1/…, whose 400 errors appear beside their fields.

import { api } from "/static/jobcast/js/api.js";
import { h } from "/static/jobcast/js/dom.js";
import { t } from "/static/jobcast/js/i18n.js";
import { fieldBox, flattenErrors, RowsEditor } from "./rowseditor.js";
import { EDITORS } from "./testfields.js";

const root = document.getElementById("editor-root");
const what = root.dataset.what;
const spec = EDITORS[what];
const readJson = (id) => JSON.parse(document.getElementById(id).textContent);

const top = {
  name: fieldBox({ key: "name", label: () => t("Name"), required: true }, "top"),
  base_url: fieldBox({ key: "base_url", label: () => t("Target"), required: true, placeholder: "http://127.0.0.1:8000",
    hint: () => t("The base URL every path is appended to; it must be an allowed target (TESTING_ALLOWED_TARGETS).") }, "top"),
};
const think = what === "scenario" ? [
  fieldBox({ key: "think_time_ms.0", label: () => t("Think time from (ms)"), type: "number", placeholder: "0" }, "top"),
  fieldBox({ key: "think_time_ms.1", label: () => t("to (ms)"), type: "number", placeholder: "0",
    hint: () => t("Each user pauses a random time in this range between two requests.") }, "top"),
] : [];
const rows = new RowsEditor({ fields: spec.fields, noun: spec.noun, labels: spec.labels, name: spec.rowsKey, blank: spec.blank });
const formError = h("div", { class: "form-error", role: "alert", hidden: true, tabindex: "-1" });
const exampleNote = h("span", { class: "example-note muted", "aria-live": "polite" });
const save = h("button", { type: "submit", class: "primary" }, t("Save"));
const example = h("button", { type: "button", class: "btn" }, t("Use the example"));

function fill(values) {
  top.name.set(values.name);
  top.base_url.set(values.base_url);
  think.forEach((box, i) => box.set(values.think_time_ms?.[i]));
  rows.setRows(values[spec.rowsKey]?.length ? values[spec.rowsKey] : [spec.blank]);
}

function clearErrors() {
  formError.hidden = true;
  formError.replaceChildren();
  for (const box of [...Object.values(top), ...think]) box.error([]);
  rows.clearErrors();
}

/** A 400 body: top-level fields, think_time_ms[i] and each row's fields beside themselves, the rest above Save. */
function showErrors(body) {
  clearErrors();
  const general = [];
  const invalid = [];
  for (const [key, value] of Object.entries(body || {})) {
    if (key === spec.rowsKey) {
      const { shown, general: listError } = rows.showErrors(value);
      invalid.push(...shown.map((b) => b.input));
      if (listError) invalid.push(rows.error);
    } else if (top[key]) {
      top[key].error(flattenErrors(value).flatMap(([, lines]) => lines));
      invalid.push(top[key].input);
    } else if (key === "think_time_ms" && think.length) {
      const flat = flattenErrors(value);
      const box = flat.length && flat[0][0] === "" ? think[0] : null;
      for (const [index, lines] of flat) (box || think[Number(index)] || think[0]).error(lines);
      invalid.push(think[0].input);
    } else {
      general.push(...flattenErrors(value).map(([k, lines]) => (key === "detail" || key === "non_field_errors" ? lines.join(" ") : `${key}${k ? `.${k}` : ""}: ${lines.join(" ")}`)));
    }
  }
  if (general.length) {
    formError.replaceChildren(...general.map((line) => h("p", {}, line)));
    formError.hidden = false;
    invalid.unshift(formError);
  }
  invalid[0]?.focus();
}

function collect() {
  const problems = [];
  const read = (box) => {
    try {
      return box.read();
    } catch (err) {
      box.error([err.message]);
      problems.push(box);
      return undefined;
    }
  };
  const body = { name: read(top.name) ?? "", base_url: read(top.base_url) ?? "", [spec.rowsKey]: rows.value(problems) };
  if (think.length) {
    const range = think.map(read);
    if (range.some((v) => v !== undefined)) body.think_time_ms = range.map((v) => v ?? 0);
  }
  if (problems.length) {
    problems[0].input.focus();
    return null;
  }
  return body;
}

const form = h("form", { class: "test-editor", novalidate: true, dataset: { what } },
  formError,
  h("div", { class: "editor-top" }, top.name.wrap, top.base_url.wrap),
  think.length ? h("div", { class: "editor-think" }, think.map((b) => b.wrap)) : null,
  h("h2", {}, spec.labels.list()),
  rows.el,
  h("div", { class: "form-actions" }, exampleNote, example,
    h("a", { class: "btn ghost", href: root.dataset.id ? `${root.dataset.pages}${root.dataset.id}/` : root.dataset.pages }, t("Cancel")),
    save));

example.addEventListener("click", () => {
  clearErrors();
  const body = JSON.parse(JSON.stringify(readJson("editor-example")).replaceAll("{origin}", window.location.origin));
  fill(body);
  exampleNote.textContent = t("Example filled in: a check of this service's own health endpoint. Save it as it is.");
});

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  if (save.disabled) return;
  clearErrors();
  const body = collect();
  if (!body) return;
  save.disabled = true;
  const id = root.dataset.id;
  try {
    const saved = await api(id ? `${root.dataset.api}${id}/` : root.dataset.api, { method: id ? "PUT" : "POST", body });
    window.location.assign(`${root.dataset.pages}${saved.id}/`);
  } catch (err) {
    showErrors(err?.status === 400 && err.body ? err.body : { detail: [err?.message || t("Saving failed.")] });
    save.disabled = false;
  }
});

fill(readJson("editor-initial") || {});
root.replaceChildren(form);
document.body.dataset.ready = "true";
