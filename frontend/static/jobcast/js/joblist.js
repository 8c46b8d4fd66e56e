// The dashboard's job list at scale: filter by status and kind (the API's ?status=&kind=), find
// a job by its id, select jobs and cancel or retry them together after a confirm step (one
// normal API call per job). Knows nothing of how cards are drawn: dashboard.js wires it in.

import { h, setText } from "./dom.js";
import { t } from "./i18n.js";
import { isTerminal, RETRYABLE } from "./sync.js";

const STATUSES = ["pending", "started", "retry", "success", "failure", "revoked"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a bulk action applies to: cancel anything unfinished, retry what failed or was cancelled. */
export const BULK = {
  cancel: { label: () => t("Cancel selected"), applies: (job) => !isTerminal(job.status) },
  retry: { label: () => t("Retry selected"), applies: (job) => RETRYABLE.includes(job.status) },
};

/** Whether `job` belongs in the list under `filters` ({status, kind, q}); q matches the id's start. */
export function matches(job, { status = "", kind = "", q = "" } = {}) {
  if (status && job.status !== status) return false;
  if (kind && job.kind !== kind) return false;
  const needle = q.trim().toLowerCase().replace(/^#/, "");
  return !needle || String(job.id).toLowerCase().startsWith(needle);
}

/** The list request's query for `filters` (the id search is done here, not by the API). */
export const listQuery = ({ status = "", kind = "" } = {}) =>
  Object.fromEntries(Object.entries({ status, kind }).filter(([, v]) => v));

/** Is `q` a whole job id, worth asking the API for directly? */
export const isJobId = (q) => UUID.test(q.trim());

/**
 * The toolbar: filters (calls `onFilter(filters)` on change), and the selection with its bulk
 * actions; `jobs()` gives the selected ids' current snapshots, `act(name, job)` runs one call.
 */
export class JobListControls {
  constructor({ kinds, onFilter, jobs, act }) {
    this.filters = { status: "", kind: "", q: "" };
    this.selected = new Set();
    this.jobs = jobs;
    this.act = act;
    const option = (value, text) => h("option", { value }, text);
    this.status = h("select", { id: "filter-status", name: "status" }, option("", t("Any status")), STATUSES.map((s) => option(s, s)));
    this.kind = h("select", { id: "filter-kind", name: "kind" }, option("", t("Any kind")), kinds.map((k) => option(k, k)));
    this.q = h("input", { id: "filter-q", name: "q", type: "search", placeholder: t("Job id or its start"), autocomplete: "off", spellcheck: false });
    const changed = () => {
      this.filters = { status: this.status.value, kind: this.kind.value, q: this.q.value };
      onFilter(this.filters);
    };
    this.status.addEventListener("change", changed);
    this.kind.addEventListener("change", changed);
    this.q.addEventListener("input", changed);
    this.count = h("span", { class: "selection-count", role: "status" });
    this.buttons = Object.fromEntries(Object.entries(BULK).map(([name, spec]) =>
      [name, h("button", { type: "button", class: "btn", dataset: { bulk: name }, disabled: true, onclick: () => this.confirm(name) }, spec.label())]));
    this.confirmBox = h("div", { class: "bulk-confirm", role: "alertdialog", "aria-live": "polite", hidden: true });
    this.outcome = h("p", { class: "bulk-outcome", role: "status", hidden: true });
    const field = (label, control) => h("label", { class: "filter-field" }, h("span", {}, label), control);
    this.el = h("div", { class: "joblist-controls" },
      h("form", { class: "jobs-filter", role: "search", onsubmit: (e) => e.preventDefault() },
        field(t("Status"), this.status), field(t("Kind"), this.kind), field(t("Find by id"), this.q)),
      h("div", { class: "bulk-bar" }, this.count, this.buttons.cancel, this.buttons.retry,
        h("button", { type: "button", class: "btn link", onclick: () => this.clear() }, t("Clear selection"))),
      this.confirmBox, this.outcome);
    this.refresh();
  }

  /** A card's checkbox, kept in step with the selection. */
  checkbox(job) {
    const box = h("input", { type: "checkbox", class: "job-select", dataset: { jobId: job.id },
      "aria-label": t("Select %(kind)s job %(id)s", { kind: job.kind, id: String(job.id).slice(0, 8) }) });
    box.checked = this.selected.has(job.id);
    box.addEventListener("change", () => {
      if (box.checked) this.selected.add(job.id);
      else this.selected.delete(job.id);
      this.refresh();
    });
    return box;
  }

  clear() {
    this.selected.clear();
    for (const box of document.querySelectorAll("input.job-select")) box.checked = false;
    this.confirmBox.hidden = true;
    this.refresh();
  }

  /** Forget ids no longer shown (a new filter), then redraw the counts. */
  keepOnly(ids) {
    for (const id of [...this.selected]) if (!ids.has(id)) this.selected.delete(id);
    this.refresh();
  }

  refresh() {
    const jobs = this.jobs([...this.selected]);
    setText(this.count, this.selected.size ? t("%(n)s selected", { n: this.selected.size }) : t("None selected"));
    for (const [name, spec] of Object.entries(BULK)) {
      const n = jobs.filter(spec.applies).length;
      this.buttons[name].disabled = n === 0;
      setText(this.buttons[name], n ? `${spec.label()} (${n})` : spec.label());
    }
  }

  /** The confirm step: names how many jobs the action applies to and how many it skips. */
  confirm(name) {
    const jobs = this.jobs([...this.selected]);
    const targets = jobs.filter(BULK[name].applies);
    const skipped = jobs.length - targets.length;
    const question = name === "cancel"
      ? t("Cancel %(n)s jobs?", { n: targets.length }) : t("Retry %(n)s jobs?", { n: targets.length });
    this.confirmBox.replaceChildren(
      h("p", {}, question, skipped ? ` ${t("%(n)s selected jobs do not apply and are skipped.", { n: skipped })}` : ""),
      h("button", { type: "button", class: `btn ${name === "cancel" ? "danger" : "primary"}`, dataset: { confirm: name },
        onclick: () => this.run(name, targets) }, name === "cancel" ? t("Yes, cancel them") : t("Yes, retry them")),
      h("button", { type: "button", class: "btn", onclick: () => { this.confirmBox.hidden = true; } }, t("No")));
    this.confirmBox.hidden = false;
    this.confirmBox.querySelector("button").focus();
  }

  /** One API call per job, one after another; the outcome names what failed and why. */
  async run(name, targets) {
    this.confirmBox.hidden = true;
    for (const button of Object.values(this.buttons)) button.disabled = true;
    const failures = [];
    for (const job of targets) {
      try {
        await this.act(name, job);
      } catch (err) {
        failures.push(`#${String(job.id).slice(0, 8)}: ${err.message}`);
      }
    }
    const done = targets.length - failures.length;
    setText(this.outcome, (name === "cancel" ? t("Cancelled %(n)s jobs.", { n: done }) : t("Retried %(n)s jobs.", { n: done }))
      + (failures.length ? ` ${t("Failed: %(list)s", { list: failures.join("; ") })}` : ""));
    this.outcome.hidden = false;
    this.outcome.classList.toggle("is-error", failures.length > 0);
    this.clear();
  }
}
