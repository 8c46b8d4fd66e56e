// The job page's views for web tests and load tests (docs/testing.md, "On the job page"):
// testing.perf draws its once-a-second progress figures as a live SVG chart (no library) with the
// latest per-request table (the whole run's once it finished), and shows the totals as its result; testing.web lists its steps with pass/fail, live as they run.

import { fill, h } from "/static/jobcast/js/dom.js";
import { locale, t, tp } from "/static/jobcast/js/i18n.js";

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element (the page's h() builds HTML elements only). */
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) if (value != null) el.setAttribute(key, String(value));
  for (const child of children.flat()) if (child != null) el.append(child);
  return el;
}

// --- numbers --------------------------------------------------------------------------------

const fmt = (n, digits = 1) => (n == null || Number.isNaN(Number(n)) ? "–"
  : Number(n).toLocaleString(locale(), { maximumFractionDigits: Math.abs(n) < 10 ? digits : 0 }));
const tick = (v) => v.toLocaleString(locale(), { maximumFractionDigits: 2 });
const ms = (n) => (n == null ? "–" : t("%(n)s ms", { n: fmt(n) }));

/** The smallest 1, 2, 2.5 or 5 × 10^k at or above `v`: a y-axis top that reads well. */
function niceCeil(v) {
  if (!(v > 0)) return 1;
  const pow = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * pow).find((m) => m >= v);
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
const timeStep = (span, width) => TIME_STEPS.find((step) => step >= span / Math.max(2, Math.floor(width / 110))) || 3600;
const timeLabel = (at, step) => (step < 60 ? t("%(n)s s", { n: at }) : t("%(n)s min", { n: at / 60 }));

// --- testing.perf: the live chart ------------------------------------------------------------

const PANELS = [
  { title: t("Requests per second"), series: [["rps", t("requests/s"), "c1"], ["fps", t("failures/s"), "c2"]] },
  { title: t("Latency (ms)"), series: [["p50_ms", "p50", "c3"], ["p95_ms", "p95", "c4"], ["p99_ms", "p99", "c5"]] },
  { title: t("Active users"), series: [["users", t("users"), "c6"]] },
];
const LEFT = 52, RIGHT = 20, TOP = 8, TITLE_H = 18, PLOT_H = 86, GAP = 24;
const PANEL_H = TITLE_H + PLOT_H + GAP;
const H = TOP + PANELS.length * PANEL_H - GAP + 36;

/** The per-second figures of the latest attempt (a retry starts its clock again). */
function perfPoints(events) {
  let start = 0;
  events.forEach((e, i) => { if (e.event === "started") start = i; });
  return events.slice(start).filter((e) => e.event === "progress" && typeof e.data?.t === "number").map((e) => e.data);
}

/** An SVG path through the points, broken where a value is missing (a second without requests). */
function pathD(points, key, x, y) {
  let d = "";
  let pen = "M";
  for (const p of points) {
    if (p[key] == null) { pen = "M"; continue; }
    d += `${pen}${x(p.t).toFixed(1)},${y(p[key]).toFixed(1)}`;
    pen = "L";
  }
  return d;
}

/** Redraw the chart; the drawing is as wide as its box (at least 300), so the text stays legible on a phone. */
function drawChart(svg, points, xMax) {
  const W = Math.round(Math.min(1000, Math.max(300, svg.parentElement?.clientWidth || 640)));
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const step = timeStep(xMax, W);
  const x = (at) => LEFT + (at / xMax) * (W - LEFT - RIGHT);
  const parts = [];
  PANELS.forEach((panel, i) => {
    const top = TOP + i * PANEL_H + TITLE_H;
    const bottom = top + PLOT_H;
    const yMax = niceCeil(Math.max(0, ...points.flatMap((p) => panel.series.map(([key]) => p[key] ?? 0))));
    const y = (v) => bottom - (v / yMax) * PLOT_H;
    parts.push(s("text", { x: LEFT, y: top - 6, class: "chart-title" }, panel.title));
    for (const v of [0, yMax / 2, yMax]) {
      parts.push(s("line", { x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v), class: v ? "chart-grid" : "chart-axis" }),
        s("text", { x: LEFT - 6, y: y(v) + 4, class: "chart-tick", "text-anchor": "end" }, tick(v)));
    }
    for (let at = 0; at <= xMax; at += step) {
      parts.push(s("line", { x1: x(at), x2: x(at), y1: top, y2: bottom, class: at ? "chart-grid" : "chart-axis" }));
      if (i === PANELS.length - 1) {
        parts.push(s("text", { x: x(at), y: bottom + 15, class: "chart-tick", "text-anchor": "middle" }, timeLabel(at, step)));
      }
    }
    for (const [key, , color] of panel.series) {
      parts.push(s("path", { d: pathD(points, key, x, y), class: `chart-line ${color}`, "data-series": key }));
    }
  });
  parts.push(s("text", { x: LEFT + (W - LEFT - RIGHT) / 2, y: H - 4, class: "chart-label", "text-anchor": "middle" },
    t("time since start")));
  svg.replaceChildren(...parts);
  svg.dataset.points = String(points.length);
}

const STATE = {
  pending: () => tp("load test", "queued"), started: () => tp("load test", "running"),
  retry: () => tp("load test", "waiting to retry"), success: () => tp("load test", "finished"),
  failure: () => tp("load test", "failed"), revoked: () => tp("load test", "stopped"),
};

/** One sentence with the latest figures (or the run's totals once it finished): the chart's accessible name and caption. */
function perfSummary(points, job) {
  const state = STATE[job.status]?.() || job.status;
  const stats = job.result?.stats;
  if (stats) {
    return t("Load test %(state)s after %(elapsed)s s: %(requests)s requests and %(failures)s failures in total, "
      + "%(rps)s requests/s on average, latency p50 %(p50)s, p95 %(p95)s, p99 %(p99)s.", {
      state, elapsed: fmt(job.result.elapsed_s), requests: stats.requests, failures: stats.failures, rps: fmt(stats.rps),
      p50: ms(stats.p50_ms), p95: ms(stats.p95_ms), p99: ms(stats.p99_ms),
    });
  }
  const last = points.at(-1);
  if (!last) return t("Load test %(state)s: no figures yet.", { state });
  return t("Load test %(state)s at %(at)s s: %(users)s users, %(rps)s requests/s, %(fps)s failures/s, latency p50 "
    + "%(p50)s, p95 %(p95)s, p99 %(p99)s; %(requests)s requests and %(failures)s failures in total.", {
    state, at: fmt(last.t), users: last.users, rps: fmt(last.rps), fps: fmt(last.fps), p50: ms(last.p50_ms),
    p95: ms(last.p95_ms), p99: ms(last.p99_ms), requests: last.requests, failures: last.failures,
  });
}

const TABLE_COLUMNS = [
  [t("Requests"), (r) => r.requests], [t("Failures"), (r) => r.failures], [t("req/s"), (r) => fmt(r.rps)],
  ["p50", (r) => ms(r.p50_ms)], ["p95", (r) => ms(r.p95_ms)], ["p99", (r) => ms(r.p99_ms)],
  ["avg", (r) => ms(r.avg_ms)], ["max", (r) => ms(r.max_ms)],
];

/** Locust's statistics table: one row per request name. */
function requestTable(rows, caption) {
  return h("div", { class: "table-wrap" }, h("table", { class: "data-table perf-table" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Request")), TABLE_COLUMNS.map(([name]) => h("th", { scope: "col", class: "num" }, name)))),
    h("tbody", {}, rows.map((row) => h("tr", { dataset: { name: row.name } },
      h("th", { scope: "row" }, h("span", { class: "muted" }, `${row.method} `), row.name),
      TABLE_COLUMNS.map(([, cell]) => h("td", { class: "num" }, String(cell(row)))))))));
}

function buildPerfView(container) {
  const svg = s("svg", { role: "img", class: "chart perf-chart" });
  const legend = h("ul", { class: "chart-legend" }, PANELS.flatMap((panel) => panel.series.map(([key, label, color]) =>
    h("li", {}, h("span", { class: `swatch ${color}`, "aria-hidden": "true" }), `${label} `,
      h("strong", { dataset: { latest: key } }, "–")))));
  const caption = h("p", { class: "chart-caption" });
  const table = h("div", { class: "perf-latest" });
  fill(container, h("figure", { class: "chart-figure" }, svg, legend, h("figcaption", {}, caption)), table);
  return { svg, legend, caption, table };
}

function perfLiveView(container, events, job) {
  container.perfView ??= buildPerfView(container);
  const { svg, legend, caption, table } = container.perfView;
  // A finished run's result holds the complete series (with the last partial second) and table.
  const final = Array.isArray(job.result?.series) ? job.result : null;
  const points = final ? final.series : perfPoints(events);
  const last = points.at(-1);
  const xMax = Math.max(1, Number(job.params?.run_time) || 0, last?.t || 0);
  drawChart(svg, points, xMax);
  const summary = perfSummary(points, job);
  svg.setAttribute("aria-label", summary);
  caption.textContent = summary;
  for (const strong of legend.querySelectorAll("[data-latest]")) {
    const key = strong.dataset.latest;
    strong.textContent = key.endsWith("_ms") ? ms(last?.[key]) : fmt(last?.[key]);
  }
  const rows = final ? final.table : last?.table;
  if (rows?.length) fill(table, requestTable(rows, final ? t("Per request, whole run") : t("Per request, as of %(at)s s", { at: fmt(last.t) })));
}

function perfResultView(container, result) {
  const st = result.stats || {};
  const items = [
    ["State", t("State"), result.state], ["Duration", t("Duration"), t("%(n)s s", { n: fmt(result.elapsed_s) })],
    ["Requests", t("Requests"), st.requests],
    ["Failures", t("Failures"), st.failures == null ? null
      : t("%(n)s (%(percent)s)", { n: st.failures, percent: `${fmt(100 * (st.fail_ratio || 0))} %` })],
    ["Requests/s", t("Requests/s"), fmt(st.rps)],
    ["p50 / p95 / p99", "p50 / p95 / p99", `${ms(st.p50_ms)} / ${ms(st.p95_ms)} / ${ms(st.p99_ms)}`],
    ["avg / min / max", t("avg / min / max"), `${ms(st.avg_ms)} / ${ms(st.min_ms)} / ${ms(st.max_ms)}`],
  ];
  const errors = Object.entries(result.errors || {});
  container.append(...[
    h("dl", { class: "meta perf-totals" }, items.map(([key, label, v]) => [h("dt", {}, label), h("dd", { dataset: { stat: key } }, String(v ?? "–"))])),
    errors.length ? h("details", { class: "perf-errors" }, h("summary", {}, t("Errors (%(n)s)", { n: errors.length })),
      h("ul", {}, errors.map(([msg, n]) => h("li", {}, h("span", { class: "mono" }, msg), ` × ${n}`)))) : null,
  ].filter(Boolean));  // append(null) would print "null"
}

// --- testing.web: the steps ------------------------------------------------------------------

/** The steps table; `steps` are the result's steps or, while it runs, the steps' log data. */
function webStepsTable(steps, caption = null) {
  return h("div", { class: "table-wrap" }, h("table", { class: "data-table web-steps" },
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, [["#", "#"], ["Step", t("Step")], ["Result", t("Result")], ["Status", t("Status")],
      ["Time", t("Time")], ["Error", t("Error")]].map(([c, label]) =>
      h("th", { scope: "col", class: ["Status", "Time"].includes(c) ? "num" : null }, label)))),
    h("tbody", {}, steps.map((step, i) => h("tr", { dataset: { passed: String(Boolean(step.passed)), step: String(step.step ?? i + 1) } },
      h("td", {}, String(step.step ?? i + 1)),
      h("th", { scope: "row" }, step.name, step.request ? h("span", { class: "muted mono small" }, ` ${step.request.method} ${step.request.url}`) : null),
      h("td", {}, h("span", { class: "verdict", dataset: { passed: String(Boolean(step.passed)) } }, step.passed ? t("pass") : t("fail"))),
      h("td", { class: "num" }, step.status_code == null ? "–" : String(step.status_code)),
      h("td", { class: "num" }, ms(step.elapsed_ms)),
      h("td", { class: "step-error" }, step.failures?.length > 1 ? step.failures.join("; ") : step.error || ""))))));
}

function webResultView(container, result) {
  const steps = result.steps || [];
  container.append(
    h("p", { class: "web-verdict", dataset: { failed: String(result.failed || 0) } },
      t("%(passed)s passed, %(failed)s failed of %(total)s steps",
        { passed: result.passed, failed: result.failed, total: result.total ?? steps.length })),
    webStepsTable(steps));
}

/**
 * While a web test runs, its steps fill in from the `log` events ({step, name, passed,
 * status_code, elapsed_ms, error}); once the result is there it has the table, and this panel hides.
 */
function webLiveView(container, events, job) {
  if (job.result) return false;
  let start = 0;
  events.forEach((e, i) => { if (e.event === "started") start = i; });
  const run = events.slice(start);
  const total = run.find((e) => e.event === "stage" && typeof e.data?.steps === "number")?.data.steps;
  const steps = run.filter((e) => e.event === "log" && typeof e.data?.step === "number").map((e) => e.data);
  const caption = total == null ? t("Waiting for the first step…")
    : t("%(done)s of %(total)s steps run", { done: steps.length, total });
  fill(container, webStepsTable(steps, caption));
  return true;
}
webLiveView.title = () => t("Steps");

// --- dashboard cards --------------------------------------------------------------------------

function perfCardView(container, result) {
  const st = result.stats || {};
  container.append(h("p", { class: "card-preview" }, t("%(rps)s req/s, p95 %(p95)s, %(failures)s failures",
    { rps: fmt(st.rps), p95: ms(st.p95_ms), failures: st.failures ?? "–" })));
}

function webCardView(container, result) {
  container.append(h("p", { class: "card-preview" }, t("%(passed)s passed, %(failed)s failed",
    { passed: result.passed ?? 0, failed: result.failed ?? 0 })));
}

window.Jobcast = window.Jobcast || {};
window.Jobcast.cardViews = window.Jobcast.cardViews || {};
window.Jobcast.cardViews["testing.perf"] = perfCardView;
window.Jobcast.cardViews["testing.web"] = webCardView;
window.Jobcast.liveViews = window.Jobcast.liveViews || {};
window.Jobcast.resultViews = window.Jobcast.resultViews || {};
window.Jobcast.liveViews["testing.perf"] = perfLiveView;
window.Jobcast.resultViews["testing.perf"] = perfResultView;
window.Jobcast.resultViews["testing.web"] = webResultView;
window.Jobcast.liveViews["testing.web"] = webLiveView;
