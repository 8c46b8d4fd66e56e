// A script's or scenario's page: Run (a scenario's with its load shape), Stop, the latest run
// followed live (runpanel.js) and the runs table. The API is the validator: a 400 from …/run
// appears beside the load-shape fields, in the viewer's language.

import { api } from "/static/jobcast/js/api.js";
import { h } from "/static/jobcast/js/dom.js";
import { t } from "/static/jobcast/js/i18n.js";
import { flattenErrors } from "./rowseditor.js";
import { RunPanel, RunsTable } from "./runpanel.js";

const root = document.getElementById("detail-root");
const what = root.dataset.what;
const base = `${root.dataset.api}${root.dataset.id}/`;
const el = (id) => document.getElementById(id);
const runButton = el("run-button");
const stopButton = el("stop-button");
const formError = el("run-form-error");
const SHAPE = ["user_count", "spawn_rate", "run_time"];

const runs = new RunsTable({ what, url: `${base}runs/`, load: (url) => api(url) });
const panel = new RunPanel({
  onChange: (job) => {
    const running = !["success", "failure", "revoked"].includes(job.status);
    runButton.disabled = running;
    stopButton.hidden = !running;
  },
  onEnd: () => runs.refresh().catch(showError),
});

function showError(err) {
  formError.replaceChildren(h("p", {}, err?.message || String(err)));
  formError.hidden = false;
}

function clearErrors() {
  formError.hidden = true;
  for (const name of SHAPE) {
    const input = el(`run-${name}`);
    if (!input) continue;
    input.removeAttribute("aria-invalid");
    input.closest(".field").classList.remove("invalid");
    el(`run-${name}-error`).hidden = true;
  }
}

/** A 400 from …/run: the load-shape fields beside themselves, anything else (base_url, detail) above. */
function showRunErrors(body) {
  const general = [];
  let first = null;
  for (const [key, value] of Object.entries(body || {})) {
    const lines = flattenErrors(value).flatMap(([, l]) => l);
    const input = el(`run-${key}`);
    if (SHAPE.includes(key) && input) {
      input.setAttribute("aria-invalid", "true");
      input.closest(".field").classList.add("invalid");
      const error = el(`run-${key}-error`);
      error.textContent = lines.join(" ");
      error.hidden = false;
      first ??= input;
    } else {
      general.push(key === "detail" ? lines.join(" ") : `${key}: ${lines.join(" ")}`);
    }
  }
  if (general.length) {
    formError.replaceChildren(...general.map((line) => h("p", {}, line)));
    formError.hidden = false;
  }
  (first || formError).focus?.();
}

function loadShape() {
  const body = {};
  for (const name of SHAPE) {
    const value = el(`run-${name}`).value.trim();
    if (value === "") continue;
    body[name] = name === "run_time" ? (/^\d+$/.test(value) ? Number(value) : value) : Number(value);
  }
  return body;
}

async function run() {
  clearErrors();
  runButton.disabled = true;
  try {
    const started = await api(`${base}run/`, { method: "POST", body: what === "scenario" ? loadShape() : {} });
    panel.follow(started.job_id);
    await runs.refresh();
  } catch (err) {
    runButton.disabled = false;
    if (err?.status === 400 && err.body) showRunErrors(err.body);
    else showError(err);
  }
}

if (what === "scenario") {
  el("run-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!runButton.disabled) run();
  });
} else {
  runButton.addEventListener("click", run);
}

stopButton.addEventListener("click", async () => {
  stopButton.disabled = true;
  try {
    await api(`${base}stop/`, { method: "POST" });
  } catch (err) {
    if (err?.status !== 409) showError(err);  // 409: it ended meanwhile
  } finally {
    stopButton.disabled = false;
  }
});

async function main() {
  const latest = await runs.refresh();
  if (latest.length) panel.follow(latest[0].job_id);
  document.body.dataset.ready = "true";
}

main().catch((err) => {
  const banner = el("page-error");
  banner.textContent = t("Could not load the runs: %(error)s", { error: err.message });
  banner.hidden = false;
});
