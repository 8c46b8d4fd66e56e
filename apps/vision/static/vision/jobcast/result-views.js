// vision.analyze on the job page (docs/vision.md): the thumbnail, the score and suggestions, each
// verdict with the figure behind it, the luminance histogram, the palette with shares, EXIF as a
// table and a warning when the photo carries GPS data; on the dashboard card, thumbnail and score.

import { h } from "/static/jobcast/js/dom.js";
import { t } from "/static/jobcast/js/i18n.js";
import { barChart, bytes, dataTable, definitionList, num, pct } from "/static/jobcast/js/viewkit.js";

const words = (s) => (s == null ? "–" : String(s).replaceAll("_", " "));
const stops = (n) => t("%(n)s stops", { n: num(n, { signDisplay: "exceptZero" }) });

/** Each check: its label, and the figure its verdict rests on. */
const VERDICTS = [
  ["exposure", () => t("Exposure"), (v) => t("offset %(offset)s, median tone %(median)s/255", { offset: stops(v.offset_stops), median: num(v.median_luminance) })],
  ["contrast", () => t("Contrast"), (v) => t("RMS %(rms)s, tonal range %(range)s", { rms: num(v.rms, { maximumFractionDigits: 3 }), range: pct(v.tonal_range) })],
  ["saturation", () => t("Saturation"), (v) => t("mean %(mean)s, highly saturated %(share)s", { mean: pct(v.mean), share: pct(v.highly_saturated_share) })],
  ["colour_cast", () => t("Colour cast"), (v) => t("%(hue)s, strength %(strength)s", { hue: v.hue ?? "–", strength: num(v.strength, { maximumFractionDigits: 3 }) })],
  ["sharpness", () => t("Sharpness"), (v) => t("Laplacian variance %(lv)s%(motion)s", { lv: num(v.laplacian_variance), motion: v.motion_blur_likely ? t(", motion blur likely") : "" })],
  ["noise", () => t("Noise"), (v) => t("sigma %(sigma)s", { sigma: num(v.sigma) })],
  ["composition", () => t("Composition"), (v) => t("%(aspect)s %(orientation)s, %(thirds)s from the thirds", { aspect: v.aspect_name ?? "", orientation: words(v.orientation), thirds: num(v.distance_to_thirds, { maximumFractionDigits: 3 }) })],
];

const EXIF = [
  ["camera", () => t("Camera")], ["lens", () => t("Lens")], ["captured_at", () => t("Captured")],
  ["exposure_time", () => t("Exposure time")], ["aperture_f", () => t("Aperture (f/)")], ["iso", () => t("ISO")],
  ["focal_length_mm", () => t("Focal length (mm)")], ["focal_length_35mm", () => t("35 mm equivalent")], ["orientation", () => t("Orientation")],
];

function thumbnail(result, className = "vision-thumb") {
  const thumb = result.thumbnail;
  if (!thumb?.data_url?.startsWith("data:image/")) return null;
  const img = result.image || {};
  return h("img", { class: className, src: thumb.data_url, width: thumb.width, height: thumb.height,
    alt: t("Thumbnail of the analysed image (%(w)s × %(h)s)", { w: img.width ?? thumb.width, h: img.height ?? thumb.height }) });
}

function privacyWarning(result) {
  const gps = result.privacy?.gps_present || result.exif?.gps_present;
  if (!gps) return null;
  return h("p", { class: "privacy-warning", role: "alert" },
    h("strong", {}, t("Privacy: ")), t("this photo carries GPS location data. Remove it before sharing the file."));
}

function scoreBlock(result) {
  const q = result.quality || {};
  const comps = Object.entries(q.components || {});
  return h("div", { class: "vision-score" },
    h("p", { class: "score-big" }, h("span", { class: "score-value", dataset: { score: String(q.score ?? "") } }, num(q.score)),
      h("span", { class: "muted" }, t(" / 100 quality score"))),
    comps.length ? h("ul", { class: "score-parts" }, comps.map(([name, value]) =>
      h("li", {}, h("span", {}, words(name)), h("meter", { min: 0, max: 100, value, "aria-label": words(name) }),
        h("span", { class: "num" }, num(value))))) : null);
}

function palette(result) {
  const colours = result.palette || [];
  if (!colours.length) return null;
  return h("ul", { class: "palette", "aria-label": t("Palette") }, colours.map((c) =>
    h("li", { class: "palette-colour", dataset: { hex: c.hex } },
      h("span", { class: "palette-chip", style: `background:${/^#[0-9a-f]{6}$/i.test(c.hex) ? c.hex : "transparent"}; flex-basis:${Math.max(4, 100 * (c.share || 0))}%`, "aria-hidden": "true" }),
      h("span", { class: "palette-text" }, h("span", { class: "mono" }, c.hex), " ", words(c.name), " ",
        h("strong", { class: "palette-share" }, pct(c.share))))));
}

function histogram(container, result) {
  const hist = result.histogram;
  if (!Array.isArray(hist?.bins) || !hist.bins.length) return null;
  const lum = hist.luminance || {};
  return barChart(container, {
    values: hist.bins.map(Number), color: "c6", labels: [[0, "0"], [hist.bins.length, "255"]],
    caption: t("Luminance histogram (%(n)s bins): mean %(mean)s, median %(median)s, 1st–99th percentile %(p1)s–%(p99)s.",
      { n: hist.bins.length, mean: num(lum.mean), median: num(lum.median), p1: num(lum.p1), p99: num(lum.p99) }),
  });
}

function exifTable(result) {
  const exif = result.exif || {};
  if (!exif.present) return h("p", { class: "muted" }, t("No EXIF metadata."));
  const rows = EXIF.filter(([key]) => exif[key] != null && exif[key] !== "").map(([key, label]) => ({ key, label: label(), value: exif[key] }));
  rows.push({ key: "gps_present", label: t("GPS location"), value: exif.gps_present ? t("present") : t("none") });
  return dataTable({ className: "exif-table", caption: t("EXIF metadata"), rows,
    columns: [{ label: t("Field"), header: true, cell: (r) => r.label }, { label: t("Value"), cell: (r) => String(r.value) }],
    rowAttrs: (r) => ({ dataset: { field: r.key } }) });
}

function resultView(container, result) {
  const img = result.image || {};
  const verdicts = VERDICTS.filter(([key]) => result[key]).map(([key, label, figure]) => ({ key, label: label(), v: result[key], figure }));
  const suggestions = result.suggestions || [];
  container.append(h("div", { class: "vision-view" },
    privacyWarning(result),
    h("div", { class: "vision-top" },
      h("figure", { class: "vision-figure" }, thumbnail(result),
        h("figcaption", { class: "muted small" }, t("%(format)s, %(w)s × %(h)s px, %(size)s", { format: img.format ?? "", w: img.width, h: img.height, size: bytes(img.bytes) }))),
      h("div", {}, scoreBlock(result),
        h("h3", {}, t("Suggestions")),
        suggestions.length ? h("ul", { class: "suggestions" }, suggestions.map((s) => h("li", {}, s))) : h("p", { class: "muted" }, t("Nothing to improve.")))),
    h("h3", {}, t("Verdicts")),
    dataTable({ className: "verdicts", rows: verdicts, rowAttrs: (r) => ({ dataset: { check: r.key } }), columns: [
      { label: t("Check"), header: true, cell: (r) => r.label },
      { label: t("Verdict"), cell: (r) => h("span", { class: "verdict-word" }, words(r.v.verdict)) },
      { label: t("Figure"), cell: (r) => r.figure(r.v) },
    ] }),
    h("h3", {}, t("Palette")), palette(result),
    h("h3", {}, t("Histogram")), histogram(container, result),
    h("h3", {}, t("EXIF")), exifTable(result)));
}

function cardView(container, result) {
  container.append(h("div", { class: "card-preview" }, thumbnail(result, "card-thumb"),
    h("span", {}, t("Score %(score)s/100", { score: num(result.quality?.score) }),
      result.privacy?.gps_present ? h("span", { class: "privacy-flag" }, t(" · GPS data")) : null)));
}

window.Jobcast = window.Jobcast || {};
window.Jobcast.resultViews = window.Jobcast.resultViews || {};
window.Jobcast.cardViews = window.Jobcast.cardViews || {};
window.Jobcast.resultViews["vision.analyze"] = resultView;
window.Jobcast.cardViews["vision.analyze"] = cardView;
