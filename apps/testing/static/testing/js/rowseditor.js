// An ordered list of rows (a script's steps, a scenario's requests), each a fieldset of fields:
// add, remove, move up and down. Fields are declared as data (testfields.js); values are read into
// the API's nested shape ("expect.status" → {expect: {status}}) and errors come back by the same keys.

import { h } from "/static/jobcast/js/dom.js";
import { t } from "/static/jobcast/js/i18n.js";

let uid = 0;

/** A field's control: text, number, select or a JSON textarea; `control.read()` throws a message it cannot read. */
function control(field, id, describedBy) {
  const common = { id, name: field.key, "aria-describedby": describedBy, dataset: { key: field.key } };
  if (field.type === "select") {
    const select = h("select", common, field.options.map((o) => h("option", { value: o }, o)));
    return { el: select, set: (v) => { select.value = v ?? field.options[0]; }, read: () => select.value };
  }
  if (field.type === "json") {
    const area = h("textarea", { ...common, class: "mono", rows: 2, spellcheck: "false", placeholder: field.placeholder || "" });
    return {
      el: area,
      set: (v) => { area.value = v === undefined ? "" : JSON.stringify(v); },
      read: () => {
        if (area.value.trim() === "") return undefined;
        try {
          return JSON.parse(area.value);
        } catch (err) {
          throw new Error(t("Not valid JSON: %(error)s", { error: err.message }));
        }
      },
    };
  }
  const number = field.type === "number";
  const input = h("input", { ...common, type: number ? "number" : "text", step: number ? "any" : null,
    placeholder: field.placeholder || "", autocomplete: "off" });
  return {
    el: input,
    set: (v) => { input.value = v ?? ""; },
    read: () => {
      if (number && input.validity.badInput) throw new Error(t("Enter a number."));
      if (input.value === "") return undefined;
      return number ? Number(input.value) : input.value;
    },
  };
}

const getPath = (obj, key) => key.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);

function setPath(obj, key, value) {
  const parts = key.split(".");
  let o = obj;
  for (const k of parts.slice(0, -1)) o = o[k] ??= {};
  o[parts.at(-1)] = value;
}

/** {a: {b: ["msg"]}, c: ["msg"]} → [["a.b", ["msg"]], ["c", ["msg"]]]: DRF's nested errors by field key. */
export function flattenErrors(errors, prefix = "") {
  if (Array.isArray(errors) && errors.every((e) => typeof e === "string")) return [[prefix, errors]];
  if (typeof errors === "string") return [[prefix, [errors]]];
  if (!errors || typeof errors !== "object") return [];
  return Object.entries(errors).flatMap(([k, v]) => flattenErrors(v, prefix ? `${prefix}.${k}` : k));
}

/** A labelled field with its hint and its error line; `set`, `read`, `error(lines)`. */
export function fieldBox(field, prefix = "f") {
  const id = `${prefix}-${++uid}`;
  const hintId = field.hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const ctl = control(field, id, [hintId, errorId].filter(Boolean).join(" "));
  const error = h("p", { class: "field-error", id: errorId, hidden: true });
  const wrap = h("div", { class: `field field-${field.key.replace(/\./g, "-")}` },
    h("label", { for: id }, field.label(), field.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
    ctl.el, field.hint ? h("p", { class: "hint", id: hintId }, field.hint()) : null, error);
  return {
    field, wrap, input: ctl.el, set: ctl.set, read: ctl.read,
    error(lines) {
      error.textContent = lines.join(" ");
      error.hidden = !lines.length;
      wrap.classList.toggle("invalid", lines.length > 0);
      if (lines.length) ctl.el.setAttribute("aria-invalid", "true");
      else ctl.el.removeAttribute("aria-invalid");
    },
  };
}

/**
 * The rows editor. `fields`: [{key, label(), type?, options?, hint()?, required?, advanced?}];
 * `noun(n)`: the row's legend ("Step 2"); `labels`: {list, add, remove(n), up(n), down(n), more}; `blank`: a new row's values.
 */
export class RowsEditor {
  constructor({ fields, noun, labels, name, blank = {} }) {
    this.fields = fields;
    this.blank = blank;
    this.noun = noun;
    this.labels = labels;
    this.rows = [];
    this.list = h("ol", { class: "rows", "aria-label": labels.list() });
    this.error = h("p", { class: "field-error rows-error", hidden: true, tabindex: "-1" });
    const add = h("button", { type: "button", class: "btn add-row", onclick: () => this.add(this.blank, true) }, labels.add());
    this.el = h("div", { class: "rows-editor", dataset: { name } }, this.error, this.list, add);
  }

  /** Append a row with `values` (API shape); `focus` moves the keyboard into it. */
  add(values = {}, focus = false) {
    const boxes = this.fields.map((f) => fieldBox(f, "row"));
    for (const box of boxes) box.set(getPath(values, box.field.key));
    const legend = h("legend");
    const tool = (cls, label, onclick) => h("button", { type: "button", class: `btn small ${cls}`, onclick }, label);
    const row = { boxes, legend, li: null };
    const buttons = {
      up: tool("move-up", "↑", () => this.move(row, -1)),
      down: tool("move-down", "↓", () => this.move(row, 1)),
      remove: tool("remove-row danger", t("Remove"), () => this.remove(row)),
    };
    row.buttons = buttons;
    const main = boxes.filter((b) => !b.field.advanced).map((b) => b.wrap);
    const more = boxes.filter((b) => b.field.advanced);
    row.more = more.length ? h("details", { class: "row-more" }, h("summary", {}, this.labels.more()), more.map((b) => b.wrap)) : null;
    row.li = h("li", { class: "row" }, h("fieldset", {}, legend,
      h("div", { class: "row-tools" }, buttons.up, buttons.down, buttons.remove),
      h("div", { class: "row-fields" }, main), row.more));
    this.rows.push(row);
    this.list.append(row.li);
    this.renumber();
    if (focus) boxes[0].input.focus();
    return row;
  }

  remove(row) {
    const i = this.rows.indexOf(row);
    this.rows.splice(i, 1);
    row.li.remove();
    this.renumber();
    (this.rows[Math.min(i, this.rows.length - 1)]?.boxes[0].input || this.el.querySelector(".add-row")).focus();
  }

  move(row, by) {
    const i = this.rows.indexOf(row);
    const j = i + by;
    if (j < 0 || j >= this.rows.length) return;
    [this.rows[i], this.rows[j]] = [this.rows[j], this.rows[i]];
    this.list.replaceChildren(...this.rows.map((r) => r.li));
    this.renumber();
    (by < 0 ? row.buttons.up : row.buttons.down).focus();
  }

  renumber() {
    this.rows.forEach((row, i) => {
      const n = i + 1;
      row.legend.textContent = this.noun(n);
      row.li.dataset.index = String(i);
      row.buttons.up.disabled = i === 0;
      row.buttons.down.disabled = i === this.rows.length - 1;
      row.buttons.up.setAttribute("aria-label", this.labels.up(n));
      row.buttons.down.setAttribute("aria-label", this.labels.down(n));
      row.buttons.remove.setAttribute("aria-label", this.labels.remove(n));
    });
  }

  setRows(rows) {
    this.rows = [];
    this.list.replaceChildren();
    for (const values of rows) this.add(values);
  }

  /** The rows in the API's shape; fields it cannot read get their error and are collected in `problems`. */
  value(problems) {
    return this.rows.map((row, i) => {
      const out = {};
      for (const box of row.boxes) {
        try {
          const v = box.read();
          if (v !== undefined) setPath(out, box.field.key, v);
        } catch (err) {
          problems.push(box);
          box.error([err.message]);
          if (box.field.advanced) row.more.open = true;
        }
      }
      return out;
    });
  }

  clearErrors() {
    this.error.hidden = true;
    for (const row of this.rows) for (const box of row.boxes) box.error([]);
  }

  /** Show the API's errors for this list: {"1": {"path": [...]}} beside the fields, a list of strings above the rows. */
  showErrors(errors) {
    const shown = [];
    const general = [];
    for (const [key, lines] of flattenErrors(errors)) {
      const [index, ...rest] = key.split(".");
      const row = this.rows[Number(index)];
      const box = row && row.boxes.find((b) => b.field.key === rest.join("."));
      if (box) {
        box.error(lines);
        if (box.field.advanced) row.more.open = true;
        shown.push(box);
      } else {
        general.push(row ? `${this.noun(Number(index) + 1)}: ${rest.join(".")}: ${lines.join(" ")}` : lines.join(" "));
      }
    }
    this.error.textContent = general.join(" ");
    this.error.hidden = general.length === 0;
    return { shown, general: general.length > 0 };
  }
}
