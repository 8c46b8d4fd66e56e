// Building blocks for the domain apps' result and live views (docs/frontend.md): numbers in the
// page's language, definition lists, tables, a line chart and a bar chart in plain SVG. Knows no kind.

import { h } from "./dom.js";
import { t } from "./i18n.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const locale = () => document.documentElement.lang || undefined;

/** An SVG element (h() builds HTML elements only). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) if (value != null) el.setAttribute(key, String(value));
  for (const child of children.flat()) if (child != null) el.append(child);
  return el;
}

/** `n` formatted for the page's language; "–" for a missing number. */
export function num(n, options = {}) {
  if (n == null || n === "" || Number.isNaN(Number(n))) return "–";
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2, ...options }).format(Number(n));
}

/** A share 0–1 as a percentage ("29.3%"). */
export const pct = (share, digits = 1) => (share == null ? "–"
  : new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: digits }).format(Number(share)));

/** A byte count for people ("34 kB"). */
export function bytes(n) {
  if (n == null) return "–";
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"];
  let i = 0;
  let v = Number(n);
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i += 1; }
  return new Intl.NumberFormat(locale(), { style: "unit", unit: units[i], unitDisplay: "short", maximumFractionDigits: i ? 1 : 0 }).format(v);
}

/** A <dl> of [label, value] pairs, leaving out missing values. */
export function definitionList(items, attrs = {}) {
  const shown = items.filter(([, v]) => v != null && v !== "");
  return h("dl", { class: "meta", ...attrs }, shown.map(([k, v, key]) =>
    [h("dt", {}, k), h("dd", { dataset: key ? { field: key } : {} }, v instanceof Node ? v : String(v))]));
}

/**
 * A table: `columns` [{label, cell(row) -> text|Node, num?, header?}], one row per item of
 * `rows`; `rowAttrs(row, i)` adds attributes (a class, data-*) to a row.
 */
export function dataTable({ columns, rows, caption = null, className = "", rowAttrs = () => ({}) }) {
  const cellOf = (col, row, i) => {
    const value = col.cell(row, i);
    const attrs = { class: col.num ? "num" : null };
    return col.header ? h("th", { scope: "row", ...attrs }, value) : h("td", attrs, value);
  };
  return h("div", { class: "table-wrap" }, h("table", { class: `data-table ${className}`.trim() },
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : null }, c.label)))),
    h("tbody", {}, rows.map((row, i) => h("tr", rowAttrs(row, i), columns.map((c) => cellOf(c, row, i)))))));
}

/** The smallest 1, 2, 2.5 or 5 × 10^k at or above `v`: an axis top that reads well. */
export function niceCeil(v) {
  if (!(v > 0)) return 1;
  const pow = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * pow).find((m) => m >= v);
}

const chartWidth = (container) => Math.round(Math.min(960, Math.max(300, container?.clientWidth || 640)));

/**
 * A line chart as wide as `container` (so its text stays legible on a phone): `series`
 * [{key, label, color: "c1".."c6", points: [[x, y]]}], an optional vertical `marker` {x, label}.
 * Returns a <figure> with the SVG, a legend and `caption` (also the SVG's accessible name).
 */
export function lineChart(container, { series, xLabel, marker = null, caption, yFormat = (v) => num(v, { notation: "compact" }) }) {
  const W = chartWidth(container), H = 240, L = 64, R = 16, T = 12, B = 40;
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const xMin = Math.min(...xs), xMax = Math.max(...xs, xMin + 1);
  const yMax = niceCeil(Math.max(0, ...series.flatMap((s) => s.points.map(([, y]) => y ?? 0))));
  const x = (v) => L + ((v - xMin) / (xMax - xMin)) * (W - L - R);
  const y = (v) => T + (1 - v / yMax) * (H - T - B);
  const parts = [];
  for (const v of [0, yMax / 4, yMax / 2, (3 * yMax) / 4, yMax]) {
    parts.push(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: v ? "chart-grid" : "chart-axis" }),
      svg("text", { x: L - 6, y: y(v) + 4, class: "chart-tick", "text-anchor": "end" }, yFormat(v)));
  }
  const step = Math.max(1, Math.ceil((xMax - xMin) / Math.max(2, Math.floor(W / 70))));
  for (let v = xMin; v <= xMax; v += step) {
    parts.push(svg("text", { x: x(v), y: H - B + 16, class: "chart-tick", "text-anchor": "middle" }, num(v)));
  }
  if (marker) {
    parts.push(svg("line", { x1: x(marker.x), x2: x(marker.x), y1: T, y2: H - B, class: "chart-marker" }),
      svg("text", { x: Math.min(x(marker.x) + 4, W - R - 60), y: T + 12, class: "chart-tick" }, marker.label));
  }
  for (const s of series) {
    const d = s.points.filter(([, v]) => v != null).map(([px, py], i) => `${i ? "L" : "M"}${x(px).toFixed(1)},${y(py).toFixed(1)}`).join("");
    parts.push(svg("path", { d, class: `chart-line ${s.color}`, "data-series": s.key }));
  }
  parts.push(svg("text", { x: L + (W - L - R) / 2, y: H - 4, class: "chart-label", "text-anchor": "middle" }, xLabel));
  const chart = svg("svg", { role: "img", class: "chart", viewBox: `0 0 ${W} ${H}`, "aria-label": caption }, parts);
  const legend = h("ul", { class: "chart-legend" }, series.map((s) =>
    h("li", {}, h("span", { class: `swatch ${s.color}`, "aria-hidden": "true" }), s.label)));
  return h("figure", { class: "chart-figure" }, chart, legend, h("figcaption", { class: "chart-caption" }, caption));
}

/** A bar chart of `values` (equal-width bins, left to right) with a caption; `color` c1..c6. */
export function barChart(container, { values, caption, color = "c1", height = 120, labels = [] }) {
  const W = chartWidth(container), H = height, B = labels.length ? 18 : 4;
  const top = Math.max(...values, 1e-9);
  const w = W / Math.max(1, values.length);
  const bars = values.map((v, i) => svg("rect", {
    x: (i * w + 1).toFixed(1), width: Math.max(1, w - 2).toFixed(1),
    y: (H - B - (v / top) * (H - B - 4)).toFixed(1), height: ((v / top) * (H - B - 4)).toFixed(1), class: `chart-bar ${color}`,
  }));
  const ticks = labels.map(([i, text]) => svg("text", { x: i * w, y: H - 4, class: "chart-tick",
    "text-anchor": i === 0 ? "start" : i >= values.length ? "end" : "middle" }, text));
  return h("figure", { class: "chart-figure" },
    svg("svg", { role: "img", class: "chart", viewBox: `0 0 ${W} ${H}`, "aria-label": caption, "data-bars": values.length }, bars, ticks),
    h("figcaption", { class: "chart-caption" }, caption));
}

/** A short "n of m" style note for a view whose data is still on its way. */
export const loading = () => h("p", { class: "muted" }, t("Loading…"));
