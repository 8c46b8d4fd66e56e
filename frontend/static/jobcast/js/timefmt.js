// Durations, elapsed time and ETA of a job, from its timestamps (pure; `now` is passed in).

import { locale, t } from "./i18n.js";

const parse = (ts) => (ts ? Date.parse(ts) : NaN);

/** "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(ms) {
  if (ms == null || !Number.isFinite(ms)) return "—";
  if (ms < 0) ms = 0;
  if (ms < 1000) return t("%(n)s ms", { n: Math.round(ms) });
  const s = ms / 1000;
  if (s < 60) return t("%(n)s s", { n: s < 10 ? s.toFixed(1) : Math.round(s) });
  const totalS = Math.round(s);
  const m = Math.floor(totalS / 60);
  if (m < 60) return t("%(m)s min %(s)s s", { m, s: String(totalS % 60).padStart(2, "0") });
  return t("%(h)s h %(m)s min", { h: Math.floor(m / 60), m: String(m % 60).padStart(2, "0") });
}

/** Time the current attempt has been running (to its end once finished); null before it starts. */
export function elapsedMs(job, now) {
  const start = parse(job.started_at);
  if (Number.isNaN(start)) return null;
  const end = job.finished_at ? parse(job.finished_at) : now;
  return Math.max(0, end - start);
}

/** Remaining time at the rate so far; null until progress moves or once the job is not running. */
export function etaMs(job, now) {
  if (job.status !== "started") return null;
  const elapsed = elapsedMs(job, now);
  const p = Number(job.progress) || 0;
  if (elapsed == null || p <= 0 || p >= 100) return null;
  return (elapsed * (100 - p)) / p;
}

/** "14:03:07" in the browser's time zone. */
export function formatClock(ts) {
  const t = parse(ts);
  if (Number.isNaN(t)) return "";
  return new Date(t).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
}

/** "just now", "5 min ago", "3 h ago", or a date: Intl.RelativeTimeFormat in the page's language. */
export function formatAgo(ts, now) {
  const at = parse(ts);
  if (Number.isNaN(at)) return "";
  const s = Math.round((now - at) / 1000);
  if (s < 10) return t("just now");
  const relative = new Intl.RelativeTimeFormat(locale(), { numeric: "auto", style: "short" });
  if (s < 60) return relative.format(-s, "second");
  if (s < 3600) return relative.format(-Math.floor(s / 60), "minute");
  if (s < 86400) return relative.format(-Math.floor(s / 3600), "hour");
  return new Date(at).toLocaleDateString(locale());
}
