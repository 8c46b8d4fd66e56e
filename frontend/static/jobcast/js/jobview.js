// A job's summary (kind, status badge, stage, progress bar, message, elapsed, ETA, actions),
// updated in place as events arrive: used as a dashboard card and as the job page's header.

import { h, setText } from "./dom.js";
import { eventMessage, formatNumber, stageTitle, t } from "./i18n.js";
import { isTerminal, RETRYABLE } from "./sync.js";
import { elapsedMs, etaMs, formatAgo, formatDuration } from "./timefmt.js";
import { renderCardPreview } from "./results.js";

export const shortId = (id) => String(id).slice(0, 8);

// Status codes stay the data (data-status, tests, CSS); people read a translated label.
const STATUS_LABELS = {
  pending: () => t("pending"), started: () => t("started"), retry: () => t("retry"),
  success: () => t("success"), failure: () => t("failure"), revoked: () => t("revoked"),
};

export const statusLabel = (status) => STATUS_LABELS[status]?.() ?? status;

/** The job's latest message in the viewer's language: from the event's key when one came with it,
 * else the stored English looked up as a msgid (a snapshot's "done", "queued"), else as it is. */
export const jobMessage = (job) => {
  if (job.message_i18n) return eventMessage({ data: { i18n: job.message_i18n } });
  return job.message ? t(job.message) : "";
};

export function badge(status) {
  return h("span", { class: "badge", dataset: { status } }, statusLabel(status));
}

export function progressBar(label) {
  const fill = h("div", { class: "progress-fill" });
  const bar = h("div", {
    class: "progress", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100",
    "aria-valuenow": "0", "aria-label": label,
  }, fill);
  const pct = h("span", { class: "pct", "aria-hidden": "true" }, "0%");
  const set = (progress, status, message) => {
    const value = Math.max(0, Math.min(100, Number(progress) || 0));
    const rounded = value >= 99.95 || value === 0 ? String(Math.round(value)) : value.toFixed(1).replace(/\.0$/, "");
    const shown = formatNumber(value / 100, { style: "percent", maximumFractionDigits: rounded.includes(".") ? 1 : 0 });
    bar.setAttribute("aria-valuenow", rounded);
    bar.setAttribute("aria-valuetext", message ? t("%(percent)s — %(message)s", { percent: shown, message }) : shown);
    bar.dataset.status = status;
    fill.style.width = `${value}%`;
    setText(pct, shown);
  };
  return { el: h("div", { class: "progress-row" }, bar, pct), bar, set };
}

export class JobSummary {
  /** `actions`: {cancel(job), retry(job)}; `link`: the kind links to the job page; `preview`: the kind's compact result view. */
  constructor(job, { actions, link = true, headingLevel = null, preview = false } = {}) {
    this.job = job;
    this.actions = actions;
    const kindText = h("span", { class: "job-kind" }, job.kind);
    const title = link ? h("a", { href: `/jobs/${job.id}/`, class: "job-link" }, kindText) : kindText;
    this.badge = badge(job.status);
    this.stage = h("span", { class: "job-stage" });
    this.attempt = h("span", { class: "job-attempt" });
    this.progress = progressBar(t("Progress of %(kind)s %(id)s", { kind: job.kind, id: shortId(job.id) }));
    this.message = h("p", { class: "job-message" });
    this.warning = h("p", { class: "job-warning", role: "status", hidden: true });
    this.elapsed = h("span", { class: "job-elapsed" });
    this.eta = h("span", { class: "job-eta" });
    this.created = h("span", { class: "job-created" });
    this.cancelBtn = h("button", { type: "button", class: "btn danger", dataset: { action: "cancel" }, onclick: () => this._act("cancel") }, t("Cancel"));
    this.retryBtn = h("button", { type: "button", class: "btn", dataset: { action: "retry" }, onclick: () => this._act("retry") }, t("Retry"));
    this.actionError = h("span", { class: "action-error", role: "alert" });
    this.preview = preview ? h("div", { class: "job-preview", hidden: true }) : null;
    const heading = headingLevel ? h(`h${headingLevel}`, { class: "job-title" }, title) : h("div", { class: "job-title" }, title);
    this.el = h("article", { class: "job-card", dataset: { jobId: job.id }, "aria-label": t("%(kind)s job %(id)s", { kind: job.kind, id: shortId(job.id) }) },
      h("header", { class: "job-card-head" }, heading, h("span", { class: "job-id mono", title: job.id }, `#${shortId(job.id)}`), this.badge),
      h("div", { class: "job-sub" }, this.stage, this.attempt),
      this.progress.el,
      this.warning,
      this.message,
      this.preview,
      h("footer", { class: "job-card-foot" },
        h("div", { class: "job-times" }, this.elapsed, this.eta, this.created),
        h("div", { class: "job-actions" }, this.actionError, this.cancelBtn, this.retryBtn)));
    this.update(job, Date.now());
  }

  async _act(name) {
    const button = name === "cancel" ? this.cancelBtn : this.retryBtn;
    button.disabled = true;
    setText(this.actionError, "");
    try {
      await this.actions?.[name]?.(this.job);
    } catch (err) {
      setText(this.actionError, err.message || (name === "cancel" ? t("Cancel failed") : t("Retry failed")));
    } finally {
      button.disabled = false;
    }
  }

  update(job, now) {
    this.job = job;
    this.el.dataset.status = job.status;
    this.badge.dataset.status = job.status;
    setText(this.badge, statusLabel(job.status));
    setText(this.stage, job.stage ? t("Stage: %(stage)s", { stage: stageTitle(job.stage) })
      : job.status === "pending" ? t("Waiting for a worker") : "");
    setText(this.attempt, job.attempt > 1 ? t("Attempt %(n)s", { n: job.attempt }) : "");
    this.progress.set(job.progress, job.status, jobMessage(job));
    setText(this.message, job.status === "failure" && job.error ? `${job.error.type}: ${job.error.message}` : jobMessage(job));
    this.message.classList.toggle("is-error", job.status === "failure");
    // The server's word that nothing will run it ("no worker listens on queue media.video").
    const warnings = job.status === "pending" ? job.warnings || [] : [];
    setText(this.warning, warnings.join(" "));
    this.warning.hidden = warnings.length === 0;
    this.cancelBtn.hidden = isTerminal(job.status) || !this.actions?.cancel;
    this.retryBtn.hidden = !RETRYABLE.includes(job.status) || !this.actions?.retry;
    if (this.preview) renderCardPreview(this.preview, job);
    this.tick(now);
  }

  /** Refresh the clock-driven parts (elapsed, ETA, "2 min ago"). */
  tick(now) {
    const job = this.job;
    const elapsed = elapsedMs(job, now);
    const eta = etaMs(job, now);
    const duration = elapsed == null ? null : formatDuration(elapsed);
    setText(this.elapsed, duration == null ? ""
      : isTerminal(job.status) ? t("Took %(duration)s", { duration }) : t("Elapsed %(duration)s", { duration }));
    setText(this.eta, eta == null ? "" : t("ETA %(duration)s", { duration: formatDuration(eta) }));
    setText(this.created, job.created_at ? t("Created %(ago)s", { ago: formatAgo(job.created_at, now) }) : "");
  }
}

/** The header pill that tells whether updates are live. */
/**
 * The connection indicator (_connection.html) from the client's onConnection(state, info). Polling
 * is shown as a degraded connection: updates come, but only every few seconds.
 */
export function renderConnection(el, state, { transport = null, retryInMs = null } = {}) {
  if (!el) return;
  const polling = transport === "polling" && state === "live";
  const shown = polling ? "reconnecting" : state;
  const text = {
    connecting: () => t("Connecting…"),
    live: () => t("Live"),
    reconnecting: () => (retryInMs != null ? t("Reconnecting (retry in %(delay)s)", { delay: formatDuration(retryInMs) }) : t("Reconnecting…")),
    unauthorized: () => t("Signed out"),
    not_found: () => t("Not found"),
    closed: () => t("Disconnected"),
  }[shown]?.() || shown;
  el.dataset.state = shown;
  el.dataset.polling = polling ? "true" : "false";
  el.dataset.transport = transport || "";
  setText(el.querySelector(".conn-text"), polling ? t("%(state)s · polling", { state: text }) : text);
  el.title = {
    websocket: () => t("Updates arrive over the WebSocket"),
    sse: () => t("Updates arrive over a Server-Sent Events stream (WebSockets are not getting through)"),
  }[shown === "live" ? transport : ""]?.() || t("Connection to the server is down; updates are fetched every few seconds");
}
