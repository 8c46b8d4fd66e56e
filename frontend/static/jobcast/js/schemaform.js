// A submit form generated from a kind's params JSON Schema (GET /api/kinds/).
// The API is the validator: the form sends what the user typed, and shows each 400 error
// beside the field it names. A string field with contentEncoding base64 (and usually
// contentMediaType image/*) is a file input whose content is sent as base64 text.
// Properties marked `x-diagnostics` (fault injection; the API sends them to staff only) are
// grouped under "Diagnostics"; `oneOf: [{required: [a]}, {required: [b]}]` becomes a hint.
// The "Example" button fills the kind's example (see `example` in GET /api/kinds/).

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
  if (schema["x-widget"] === "text") return "text";
  if (Array.isArray(schema.enum)) return "select";
  if (schema.type === "boolean") return "checkbox";
  if (schema.type === "integer" || schema.type === "number") return "number";
  if (schema.type === "object" || schema.type === "array" || schema.type == null) return "json";
  if (schema["x-widget"] === "textarea" || (schema.maxLength ?? 0) > 255) return "textarea";
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

/** Fill `{origin}` in an example's create body with this page's origin (deep copy). */
export function withOrigin(value, origin) {
  if (typeof value === "string") return value.replaceAll("{origin}", origin);
  if (Array.isArray(value)) return value.map((v) => withOrigin(v, origin));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withOrigin(v, origin)]));
  }
  return value;
}

/** "Give exactly one of: Text, Scenes." for a schema whose oneOf lists single required fields. */
export function oneOfHint(schema) {
  const names = (schema.oneOf || []).map((alt) => alt.required?.length === 1 ? alt.required[0] : null);
  if (!names.length || names.includes(null)) return null;
  return t("Give exactly one of: %(names)s.", { names: names.map((n) => schema.properties?.[n]?.title || humanize(n)).join(", ") });
}

export function buildKindForm(kind, { onSubmit, create = null }) {
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

  const entries = Object.entries(schema.properties || {});
  const inputs = entries.filter(([, prop]) => !prop["x-diagnostics"]).map(([name, prop]) =>
    makeField(name, prop, { isRequired: required.has(name), idBase: `p-${slug}` }));
  const diagnostics = entries.filter(([, prop]) => prop["x-diagnostics"]).map(([name, prop]) =>
    makeField(name, prop, { isRequired: required.has(name), idBase: `d-${slug}` }));
  const hint = oneOfHint(schema);
  const priorityField = makeField(PRIORITY, {
    type: "integer", minimum: 0, maximum: 9, default: 5, title: t("Priority"),
    description: t("0–9; the queue prefers higher-priority jobs."),
  }, { isRequired: false, idBase: `o-${slug}` });
  fields.get(PRIORITY).isOption = true;

  const button = h("button", { type: "submit", class: "primary" }, t("Submit job"));
  const exampleNote = h("span", { class: "example-note muted", role: "status" });
  const exampleBtn = kind.example ? h("button", { type: "button", class: "btn", dataset: { action: "example" },
    "aria-label": t("Example: fill in a %(kind)s job that runs as it is", { kind: kind.title || kind.kind }) }, t("Example")) : null;
  const form = h("form", { class: "kind-form", novalidate: true, dataset: { kind: kind.kind }, "aria-label": t("Submit a %(kind)s job", { kind: kind.title || kind.kind }) },
    hint ? h("p", { class: "hint one-of" }, hint) : null,
    inputs.length ? inputs : h("p", { class: "muted" }, t("This kind takes no parameters.")),
    diagnostics.length ? h("details", { class: "options diagnostics" },
      h("summary", {}, t("Diagnostics (staff)")), diagnostics) : null,
    h("details", { class: "options" }, h("summary", {}, t("Options")), priorityField),
    formError,
    h("div", { class: "form-actions" }, exampleBtn, exampleNote, button));

  /** Put one example value into its field's control. */
  const setValue = (f, value) => {
    const { input, prop, control } = f;
    f.exampleValue = undefined;
    if (control === "checkbox") input.checked = Boolean(value);
    else if (control === "select") input.value = String(prop.enum.indexOf(value));
    else if (control === "file") {
      input.value = "";
      f.exampleValue = value;  // a file input cannot be filled; its value is sent instead
    } else if (control === "json") input.value = value === undefined ? "" : JSON.stringify(value, null, 2);
    else input.value = value ?? "";
  };

  const fillExample = async () => {
    const example = kind.example;
    clearErrors();
    const params = { ...(example.params || {}) };
    exampleBtn.disabled = true;
    try {
      if (example.create && create) {
        const made = await create(example.create.url, withOrigin(example.create.body, window.location.origin));
        params[example.create.param] = made.id;
      }
      for (const f of fields.values()) {
        if (f.isOption) continue;
        if (f.name in params) setValue(f, params[f.name]);
        else setValue(f, f.prop.default);
      }
      exampleNote.textContent = example.note || t("Example filled in: submit it as it is.");
    } catch (err) {
      showErrors(err?.body || { detail: err?.message || t("Could not prepare the example.") });
    } finally {
      exampleBtn.disabled = false;
    }
  };
  exampleBtn?.addEventListener("click", fillExample);

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
      return file ? readBase64(file) : f.exampleValue;
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
