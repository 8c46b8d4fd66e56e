// ocr.extract on the job page (docs/ocr.md): the seven document stages as a stepper while it runs;
// at the end the basic info, the policy value table (read from the document: break-even row
// highlighted, flagged rows marked), surrender value against premiums paid, milestones with IRR
// and key points. On the dashboard card: the break-even year and the IRR at year 20.

import { api } from "/static/jobcast/js/api.js";
import { fill, h } from "/static/jobcast/js/dom.js";
import { t } from "/static/jobcast/js/i18n.js";
import { dataTable, definitionList, lineChart, num } from "/static/jobcast/js/viewkit.js";

/** The document's processing stages with their percentages (docs/ocr.md, "Stages"). */
const STAGES = [
  ["pending", 0, () => t("Queued")],
  ["extracting_basic_info", 20, () => t("Reading basic info")],
  ["basic_info_completed", 33, () => t("Basic info read")],
  ["extracting_table", 50, () => t("Reading the value table")],
  ["table_completed", 66, () => t("Value table read")],
  ["extracting_summary", 80, () => t("Summarising")],
  ["all_completed", 100, () => t("All extracted")],
];

/** A document stage's label in the viewer's language (the stepper's words; the OCR pages show them too). */
export function stageLabel(code) {
  if (code === "error") return t("Stopped by an error");
  const stage = STAGES.find(([name]) => name === code);
  return stage ? stage[2]() : code;
}

const COLUMNS = [
  ["policy_year", () => t("Policy year")], ["age", () => t("Age")],
  ["total_premiums_paid", () => t("Premiums paid")], ["guaranteed_cash_value", () => t("Guaranteed cash value")],
  ["non_guaranteed_reversionary_bonus", () => t("Reversionary bonus")], ["non_guaranteed_terminal_bonus", () => t("Terminal bonus")],
  ["non_guaranteed_bonus", () => t("Non-guaranteed bonus")], ["total_surrender_value", () => t("Total surrender value")],
  ["death_benefit", () => t("Death benefit")],
];

const money = (n) => num(n, { maximumFractionDigits: 0 });

// --- the stepper (live) ----------------------------------------------------------------------

function stepperView(container, events, job) {
  let start = 0;
  events.forEach((e, i) => { if (e.event === "started") start = i; });
  const reached = new Set(["pending"]);
  let current = "pending";
  for (const e of events.slice(start)) {
    if (e.event === "stage" && STAGES.some(([name]) => name === e.stage)) { reached.add(e.stage); current = e.stage; }
  }
  const failed = ["failure", "revoked"].includes(job.status);
  const ended = job.status === "success";
  if (!container.stepper) {
    container.stepper = h("ol", { class: "stepper", "aria-label": t("Extraction stages") });
    fill(container, container.stepper);
  }
  // Stages are sequential: an attempt that resumes at a later step (a retry) passed the earlier ones.
  const at = STAGES.findIndex(([name]) => name === current);
  fill(container.stepper, STAGES.map(([name, percent, label], i) => {
    let state = i <= at ? "done" : "todo";
    if (name === current && !ended) state = failed ? "failed" : "current";
    if (name === "all_completed" && reached.has(name)) state = "done";
    return h("li", { class: "step", dataset: { stage: name, state }, "aria-current": state === "current" ? "step" : null },
      h("span", { class: "step-pct" }, `${num(percent)}%`), h("span", { class: "step-label" }, label()),
      h("span", { class: "visually-hidden" }, ` (${{ done: t("done"), todo: t("to do"), current: t("in progress"), failed: t("stopped here") }[state]})`));
  }));
}
stepperView.title = () => t("Extraction stages");

// --- the result ------------------------------------------------------------------------------

function basicInfo(info) {
  const currency = info.currency || "";
  return definitionList([
    [t("Insured"), info.insured_name, "insured_name"], [t("Age"), info.age, "age"],
    [t("Gender"), info.gender && { male: t("male"), female: t("female") }[info.gender] || info.gender, "gender"],
    [t("Product"), info.product_name, "product_name"], [t("Currency"), currency, "currency"],
    [t("Sum assured"), info.sum_assured != null ? `${currency} ${money(info.sum_assured)}` : null, "sum_assured"],
    [t("Annual premium"), info.annual_premium != null ? `${currency} ${money(info.annual_premium)}` : null, "annual_premium"],
    [t("Payment term"), info.payment_term_years != null ? t("%(n)s years", { n: num(info.payment_term_years) }) : null, "payment_term_years"],
    [t("Coverage"), info.coverage_term, "coverage_term"],
  ], { class: "meta ocr-basic" });
}

/** Policy year -> the reasons its row was flagged by the cross-checks. */
function flags(table) {
  const out = new Map();
  for (const w of table.warnings || []) {
    const year = w.policy_year ?? w.year;
    if (year == null) continue;
    out.set(year, [...(out.get(year) || []), w.message || w.reason || w.code || t("flagged")]);
  }
  return out;
}

function valueTable(table, summary) {
  const rows = table.rows || [];
  const keys = COLUMNS.filter(([key]) => rows.some((r) => r[key] != null));
  const flagged = flags(table);
  const breakEven = summary.break_even_year;
  const note = (row) => {
    const parts = [];
    if (row.policy_year === breakEven) parts.push(h("span", { class: "tag tag-good" }, t("Break-even")));
    for (const reason of flagged.get(row.policy_year) || []) parts.push(h("span", { class: "tag tag-warn" }, t("Flagged: %(reason)s", { reason })));
    return parts;
  };
  return dataTable({
    className: "ocr-values", rows,
    caption: t("Policy values by year (%(currency)s)", { currency: summary.currency || "" }),
    rowAttrs: (row) => ({
      class: [row.policy_year === breakEven ? "row-highlight" : "", flagged.has(row.policy_year) ? "row-flagged" : ""].join(" ").trim() || null,
      dataset: { year: String(row.policy_year), breakEven: String(row.policy_year === breakEven), flagged: String(flagged.has(row.policy_year)) },
    }),
    columns: [
      ...keys.map(([key, label]) => ({ label: label(), num: true, header: key === "policy_year",
        cell: (row) => (key === "policy_year" || key === "age" ? num(row[key]) : money(row[key])) })),
      { label: t("Note"), cell: note },
    ],
  });
}

function valueChart(container, table, summary) {
  const rows = (table.rows || []).filter((r) => r.policy_year != null);
  const valueKey = summary.value_column || "total_surrender_value";
  if (rows.length < 2) return null;
  const series = [
    { key: valueKey, label: valueKey === "total_surrender_value" ? t("Total surrender value") : t("Guaranteed cash value"), color: "c1",
      points: rows.filter((r) => r[valueKey] != null).map((r) => [r.policy_year, r[valueKey]]) },
    { key: "total_premiums_paid", label: t("Premiums paid"), color: "c4",
      points: rows.filter((r) => r.total_premiums_paid != null).map((r) => [r.policy_year, r.total_premiums_paid]) },
  ];
  const breakEven = summary.break_even_year;
  return lineChart(container, {
    series, xLabel: t("policy year"),
    marker: breakEven != null ? { x: breakEven, label: t("break-even") } : null,
    caption: breakEven != null
      ? t("Surrender value against premiums paid over %(n)s policy years; it reaches the premiums paid in year %(year)s.", { n: rows.length, year: breakEven })
      : t("Surrender value against premiums paid over %(n)s policy years; it never reaches the premiums paid.", { n: rows.length }),
  });
}

function milestones(summary) {
  const list = summary.milestones || [];
  if (!list.length) return null;
  return dataTable({ className: "ocr-milestones", rows: list, columns: [
    { label: t("Policy year"), num: true, header: true, cell: (m) => num(m.policy_year) },
    { label: t("Age"), num: true, cell: (m) => num(m.age) },
    { label: t("Premiums paid"), num: true, cell: (m) => money(m.total_premiums_paid) },
    { label: t("Surrender value"), num: true, cell: (m) => money(m.total_surrender_value ?? m.guaranteed_cash_value) },
    { label: t("Multiple"), num: true, cell: (m) => (m.value_multiple == null ? "–" : `${num(m.value_multiple)}×`) },
    { label: t("IRR"), num: true, cell: (m) => (m.irr_percent == null ? "–" : `${num(m.irr_percent, { signDisplay: "exceptZero" })}%`) },
  ] });
}

function verificationNote(verification) {
  if (!verification) return null;
  const text = {
    verified: t("All %(rows)s rows passed the cross-checks.", verification),
    partly_verified: t("%(flagged)s of %(rows)s rows were flagged by the cross-checks.", verification),
    failed: t("Most rows failed the cross-checks (%(flagged)s of %(rows)s): check the figures against the proposal.", verification),
    not_checkable: t("The table could not be cross-checked."),
  }[verification.status] || verification.status;
  return h("p", { class: "ocr-verification", dataset: { status: verification.status } }, text);
}

async function resultView(container, result) {
  const summary = result.summary || {};
  const body = h("div", { class: "ocr-table" }, h("p", { class: "muted" }, t("Loading the value table…")));
  container.append(h("div", { class: "ocr-view" },
    h("h3", {}, t("Basic info")), basicInfo(result.basic_info || {}),
    h("h3", {}, t("Summary")),
    definitionList([
      [t("Total premiums"), summary.total_premiums != null ? `${summary.currency || ""} ${money(summary.total_premiums)}` : null],
      [t("Break-even"), summary.break_even_year != null
        ? t("policy year %(year)s (age %(age)s)", { year: summary.break_even_year, age: summary.break_even_age ?? "–" }) : t("not reached"), "break_even"],
    ], { class: "meta ocr-summary" }),
    milestones(summary),
    (summary.key_points || []).length ? [h("h3", {}, t("Key points")), h("ul", { class: "key-points" }, summary.key_points.map((p) => h("li", {}, p)))] : null,
    h("h3", {}, t("Policy value table")), body));
  const url = result.links?.document;
  if (!url) return fill(body, h("p", { class: "muted" }, t("The document is not linked from this result.")));
  try {
    const answer = await api(url);
    const table = answer.data?.table_data || { rows: [] };
    fill(body, verificationNote(table.verification || summary.verification), valueChart(body, table, summary), valueTable(table, summary));
  } catch (err) {
    fill(body, h("p", { class: "muted" }, t("Could not load the value table: %(reason)s", { reason: err.message })));
  }
}

function cardView(container, result) {
  const s = result.summary || {};
  const at20 = (s.milestones || []).find((m) => m.policy_year === 20);
  container.append(h("p", { class: "card-preview" },
    s.break_even_year != null ? t("Break-even in year %(year)s", { year: s.break_even_year }) : t("No break-even"),
    at20?.irr_percent != null ? t(" · IRR at year 20: %(irr)s%", { irr: num(at20.irr_percent) }) : null));
}

window.Jobcast = window.Jobcast || {};
for (const hook of ["liveViews", "resultViews", "cardViews"]) window.Jobcast[hook] = window.Jobcast[hook] || {};
window.Jobcast.liveViews["ocr.extract"] = stepperView;
window.Jobcast.resultViews["ocr.extract"] = resultView;
window.Jobcast.cardViews["ocr.extract"] = cardView;
