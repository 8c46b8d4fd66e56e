// A run followed live on a script's or scenario's page: JobcastClient.follow() (docs/client.md)
// feeds the testing result-view module's live view (web-test steps table, load-test chart) and,
// once it ends, its result view; the runs table lists the runs from …/runs/.

import { JobcastClient, isTerminal } from "/static/jobcast/client.js";
import { h, fill } from "/static/jobcast/js/dom.js";
import { locale, t } from "/static/jobcast/js/i18n.js";
import { badge, jobMessage, progressBar } from "/static/jobcast/js/jobview.js";
import { renderLive } from "/static/jobcast/js/liveviews.js";
import { renderResult } from "/static/jobcast/js/results.js";
import "/static/testing/jobcast/result-views.js";

const el = (id) => document.getElementById(id);
const num = (n, digits = 1) => (n == null ? "–" : Number(n).toLocaleString(locale(), { maximumFractionDigits: digits }));

export class RunPanel {
  /** `onChange(job)`: the followed run's job changed status (the page enables Run, shows Stop). */
  constructor({ onChange = () => {}, onEnd = () => {} } = {}) {
    this.client = new JobcastClient({ transport: "auto" });
    this.onChange = onChange;
    this.onEnd = onEnd;
    this.sub = null;
    this.bar = progressBar(t("Progress of the run"));
    el("run-status").closest(".panel-head").after(this.bar.el);
    this.bar.el.hidden = true;
  }

  follow(jobId) {
    this.sub?.close();
    this.events = [];
    this.job = null;
    this.shownResult = null;
    this.live = h("div", { class: "run-live-view" });  // a fresh container: the live views build into it once
    fill(el("run-live"), this.live);
    fill(el("run-result"));
    el("run-result").hidden = true;
    el("run-error").hidden = true;
    el("run-empty").hidden = true;
    const link = el("run-link");
    link.hidden = false;
    link.querySelector("a").href = `/jobs/${jobId}/`;
    const sub = this.client.follow(jobId, {
      after: 0,
      onSnapshot: (job) => this.update(job),
      onEvent: (event) => {
        this.events.push(event);
        this.update(sub.job || this.job);
      },
      onEnd: (job) => {
        this.update(job);
        this.onEnd(job);
      },
      onConnection: (state) => { el("run-panel").dataset.connection = state; },
    });
    this.sub = sub;
  }

  update(job) {
    if (!job) return;
    const changed = this.job?.status !== job.status;
    this.job = job;
    if (changed) this.onChange(job);
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = null;
      this.render(this.job);
    });
  }

  render(job) {
    fill(el("run-status"), badge(job.status));
    el("run-panel").dataset.status = job.status;
    this.bar.el.hidden = false;
    const message = jobMessage(job);
    this.bar.set(job.progress, job.status, message);
    el("run-message").hidden = !message;
    el("run-message").textContent = message;
    el("run-live").hidden = false;  // shown first, so a chart can measure its box
    el("run-live").hidden = !renderLive(this.live, this.events, job);
    if (job.status === "success" && "result" in job && this.shownResult !== job.seq) {
      this.shownResult = job.seq;
      renderResult(el("run-result"), job);
      el("run-result").hidden = false;
    }
    const error = el("run-error");
    error.hidden = !(job.status === "failure" && job.error);
    if (!error.hidden) fill(error, h("p", {}, `${job.error.type || t("Error")}: ${job.error.message || ""}`));
  }

  get running() {
    return Boolean(this.job) && !isTerminal(this.job.status);
  }
}

/** One row of the runs table: when, status, the verdict (web) or load and figures (perf), a link. */
function runRow(run, what) {
  const when = new Date(run.created_at).toLocaleString(locale());
  const failed = run.status === "success" && run.failed > 0;
  const cells = what === "script"
    ? [h("td", {}, run.passed == null ? "–" : h("span", { class: "verdict", dataset: { passed: String(!failed) } },
      t("%(passed)s passed, %(failed)s failed", { passed: run.passed, failed: run.failed })))]
    : [h("td", {}, t("%(users)s users, %(rate)s/s, %(time)s s", { users: run.user_count, rate: num(run.spawn_rate), time: run.run_time_s })),
      h("td", {}, run.stats ? t("%(rps)s req/s, p95 %(p95)s ms, %(failures)s failures",
        { rps: num(run.stats.rps), p95: num(run.stats.p95_ms), failures: run.stats.failures }) : "–")];
  return h("tr", { dataset: { runId: String(run.run_id), status: run.status } },
    h("td", {}, h("time", { datetime: run.created_at }, when)), h("td", {}, badge(run.status)), cells,
    h("td", {}, h("a", { href: `/jobs/${run.job_id}/` }, t("Details"))));
}

/** The runs table: the first page, then "Show older runs" follows `next`. */
export class RunsTable {
  constructor({ what, url, load }) {
    this.what = what;
    this.url = url;
    this.load = load;
    this.next = null;
    el("runs-more").addEventListener("click", () => this.more());
  }

  async refresh() {
    const page = await this.load(this.url);
    this.show(page, false);
    return page.results;
  }

  async more() {
    if (this.next) this.show(await this.load(this.next), true);
  }

  show(page, append) {
    const body = el("runs-table").querySelector("tbody");
    const rows = page.results.map((run) => runRow(run, this.what));
    if (append) body.append(...rows);
    else body.replaceChildren(...rows);
    this.next = page.next ? new URL(page.next, location.origin).pathname + new URL(page.next, location.origin).search : null;
    el("runs-more").hidden = !this.next;
    el("runs-table").hidden = body.children.length === 0;
    el("runs-empty").hidden = body.children.length > 0;
  }
}
