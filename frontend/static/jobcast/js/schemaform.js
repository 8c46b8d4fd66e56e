// A submit form generated from a kind's params JSON Schema (GET /api/kinds/).
// The API is the validator: the form sends what the user typed, and shows each 400 error
// beside the field it names. A string field with contentEncoding base64 (and usually
// contentMediaType image/*) is a file input whose content is sent as base64 text.

import { h } from "./dom.js";
import { t } from "./i18n.js";

const PRIORITY = "priority";

/** Turn a field name into a label: "interval_ms" -> "Interval ms". */
export function humanize(name) {
  const words = String(name).replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Which control a property schema gets (`name` hints at long text). */
export function controlFor(schema, name = "") {
  if (schema.contentEncoding === "base64" || schema.format === "binary") return "file";
  if (Array.isArray(schema.enum)) return "select";
  if (schema.type === "boolean") return "checkbox";
  if (schema.type === "integer" || schema.type === "number") return "number";
  if (schema.type === "object" || schema.type === "array" || schema.type == null) return "json";
  if (schema["x-widget"] === "textarea" || (schema.maxLength ?? 0) > 200) return "textarea";
  if (schema.maxLength == null && /content|text|body|script|prompt/i.test(name)) return "textarea";
  return "text";
}

/** Flatten DRF error values (lists, nested dicts) into readable lines. */
export function errorLines(value, prefix = "") {
  if (value == null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => errorLines(v, prefix));
  if (typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) =>
      errorLines(v, k === "non_field_errors" ? prefix : `${prefix}${humanize(k)}: `));
  }
  return [`${prefix}${value}`];
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error || new Error(t("could not read the file")));
    reader.readAsDataURL(file);
  });
}

class FieldError extends Error {}

export function buildKindForm(kind, { onSubmit }) {
  const schema = kind.params_schema || { properties: {} };
  const required = new Set(schema.required || []);
  const slug = kind.kind.replace(/[^a-z0-9]+/gi, "-");
  const fields = new Map();
  const formError = h("div", { class: "form-error", role: "alert", hidden: true });

  const makeField = (name, prop, { isRequired, idBase }) => {
    const id = `${idBase}-${name}`;
    const control = controlFor(prop, name);
    const hintId = `${id}-hint`;
    const errId = `${id}-error`;
    const describedBy = [prop.description ? hintId : null, errId].filter(Boolean).join(" ");
    const common = { id, name, "aria-describedby": describedBy, required: isRequired };
    let input;
    if (control === "select") {
      input = h("select", common,
        isRequired ? null : h("option", { value: "" }, "—"),
        prop.enum.map((v, i) => h("option", { value: String(i), selected: prop.default === v }, String(v))));
    } else if (control === "checkbox") {
      input = h("input", { ...common, type: "checkbox", checked: prop.default === true });
    } else if (control === "number") {
      input = h("input", {
        ...common, type: "number", inputmode: prop.type === "integer" ? "numeric" : "decimal",
        min: prop.minimum, max: prop.maximum, step: prop.type === "integer" ? "1" : "any",
        value: prop.default ?? "", placeholder: prop.nullable && prop.default == null ? t("optional") : null,
      });
    } else if (control === "file") {
      input = h("input", { ...common, type: "file", accept: prop.contentMediaType || null });
    } else if (control === "json") {
      input = h("textarea", { ...common, rows: 4, spellcheck: "false", class: "mono",
        placeholder: prop.type === "array" ? "[ ]" : "{ }" });
      if (prop.default !== undefined) input.value = JSON.stringify(prop.default, null, 2);
    } else if (control === "textarea") {
      input = h("textarea", { ...common, rows: 4, maxlength: prop.maxLength });
      if (prop.default != null) input.value = prop.default;
    } else {
      input = h("input", { ...common, type: prop.format === "uri" ? "url" : prop.format === "email" ? "email" : "text",
        maxlength: prop.maxLength, value: prop.default ?? "" });
    }
    const error = h("p", { class: "field-error", id: errId, hidden: true });
    const label = h("label", { for: id }, prop.title || humanize(name), isRequired ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null);
    const wrap = h("div", { class: `field field-${control}`, dataset: { field: name } },
      control === "checkbox" ? h("div", { class: "check" }, input, label) : [label, input],
      prop.description ? h("p", { class: "hint", id: hintId }, prop.description) : null,
      error);
    const field = { name, prop, control, input, error, wrap, isRequired };
    fields.set(name, field);
    return wrap;
  };

  const inputs = Object.entries(schema.properties || {}).map(([name, prop]) =>
    makeField(name, prop, { isRequired: required.has(name), idBase: `p-${slug}` }));
  const priorityField = makeField(PRIORITY, {
    type: "integer", minimum: 0, maximum: 9, default: 5, title: t("Priority"),
    description: t("0–9; the queue prefers higher-priority jobs."),
  }, { isRequired: false, idBase: `o-${slug}` });
  fields.get(PRIORITY).isOption = true;

  const button = h("button", { type: "submit", class: "primary" }, t("Submit job"));
  const form = h("form", { class: "kind-form", novalidate: true, dataset: { kind: kind.kind }, "aria-label": t("Submit a %(kind)s job", { kind: kind.title || kind.kind }) },
    inputs.length ? inputs : h("p", { class: "muted" }, t("This kind takes no parameters.")),
    h("details", { class: "options" }, h("summary", {}, t("Options")), priorityField),
    formError,
    h("div", { class: "form-actions" }, button));

  const clearErrors = () => {
    formError.hidden = true;
    formError.replaceChildren();
    for (const f of fields.values()) {
      f.error.hidden = true;
      f.error.textContent = "";
      f.input.removeAttribute("aria-invalid");
      f.wrap.classList.remove("invalid");
    }
  };

  const setFieldError = (name, lines) => {
    const f = fields.get(name);
    if (!f) return false;
    f.error.textContent = lines.join(" ");
    f.error.hidden = false;
    f.input.setAttribute("aria-invalid", "true");
    f.wrap.classList.add("invalid");
    if (f.isOption) f.wrap.closest("details").open = true;
    return true;
  };

  /** Show a 400 body: params.<field> and priority beside their fields, the rest above the button. */
  const showErrors = (body) => {
    clearErrors();
    const general = [];
    const params = body?.params;
    if (params && typeof params === "object" && !Array.isArray(params)) {
      for (const [name, value] of Object.entries(params)) {
        if (!setFieldError(name, errorLines(value))) general.push(...errorLines(value, name === "non_field_errors" ? "" : `${humanize(name)}: `));
      }
    } else if (params) {
      general.push(...errorLines(params));
    }
    for (const [key, value] of Object.entries(body || {})) {
      if (key === "params") continue;
      if (key === PRIORITY && setFieldError(PRIORITY, errorLines(value))) continue;
      general.push(...errorLines(value, key === "detail" || key === "non_field_errors" ? "" : `${humanize(key)}: `));
    }
    if (general.length) {
      formError.replaceChildren(...general.map((line) => h("p", {}, line)));
      formError.hidden = false;
    }
    const firstInvalid = [...fields.values()].find((f) => f.input.getAttribute("aria-invalid"));
    (firstInvalid?.input || formError).focus?.();
  };

  const valueOf = async (f) => {
    const { input, prop, control } = f;
    if (control === "checkbox") return input.checked;
    if (control === "select") return input.value === "" ? undefined : prop.enum[Number(input.value)];
    if (control === "number") {
      if (input.validity.badInput) throw new FieldError(t("Enter a number."));
      if (input.value === "") return undefined;
      return Number(input.value);
    }
    if (control === "file") {
      const file = input.files?.[0];
      return file ? readBase64(file) : undefined;
    }
    if (control === "json") {
      if (input.value.trim() === "") return undefined;
      try {
        return JSON.parse(input.value);
      } catch (err) {
        throw new FieldError(t("Not valid JSON: %(error)s", { error: err.message }));
      }
    }
    if (input.value === "" && !f.isRequired) return undefined;
    return input.value;
  };

  /** The request body, or null after showing the fields that cannot be read. */
  const collect = async () => {
    const params = {};
    const errors = {};
    let priority;
    for (const f of fields.values()) {
      try {
        const value = await valueOf(f);
        if (value === undefined) continue;
        if (f.isOption) priority = value;
        else params[f.name] = value;
      } catch (err) {
        if (f.isOption) errors.priority = [err.message];
        else (errors.params ||= {})[f.name] = [err.message];
      }
    }
    if (Object.keys(errors).length) {
      showErrors(errors);
      return null;
    }
    return priority === undefined ? { kind: kind.kind, params } : { kind: kind.kind, params, priority };
  };

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (button.disabled) return;
    clearErrors();
    const body = await collect();
    if (!body) return;
    button.disabled = true;
    button.textContent = t("Submitting…");
    try {
      await onSubmit(body);
    } catch (err) {
      if (err?.status === 400 || err?.status === 413) showErrors(err.body || { detail: err.message });
      else showErrors({ detail: err?.message || t("Submitting failed.") });
    } finally {
      button.disabled = false;
      button.textContent = t("Submit job");
    }
  });

  return { form, showErrors, clearErrors };
}
