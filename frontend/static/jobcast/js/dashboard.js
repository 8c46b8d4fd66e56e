// The dashboard at /: submit forms per kind, and the user's jobs (newest first) kept live by the
// public client's feed (../client.js: WebSocket, SSE or polling, each event once and in order),
// filtered and acted on in bulk through joblist.js.

import { api, jobsApi } from "./api.js";
import { h, fill } from "./dom.js";
import { JobSummary, renderConnection } from "./jobview.js";
import { isJobId, JobListControls, listQuery, matches } from "./joblist.js";
import { JobcastClient } from "../client.js";
import { t } from "./i18n.js";
import { hasCardView } from "./results.js";
import { buildKindForm } from "./schemaform.js";
import { mergeSnapshot, reduceJob } from "./sync.js";

const DISCOVER_GRACE_MS = 300; // our own POST's answer usually introduces a new job before this

const list = document.getElementById("job-list");
const empty = document.getElementById("jobs-empty");
const more = document.getElementById("jobs-more");
const count = document.getElementById("jobs-count");
const cards = new Map();
const fetchedResults = new Set();
let nextPage = null;
let controls = null;
let shownQuery = "{}";

const jobs = new Map(); // job id -> the job as shown
const discovering = new Map(); // job id -> its events that arrived while its snapshot loads

const actions = {
  cancel: async (job) => track(await jobsApi.cancel(job.id)),
  retry: async (job) => track(await jobsApi.retry(job.id)),
};

let feed = null;

/** Show a job from a snapshot (or merge a fresher one); the feed resumes it from there. */
function track(snapshot) {
  const known = jobs.get(snapshot.id);
  const job = mergeSnapshot(known, snapshot) || known; // an older snapshot changes nothing
  jobs.set(job.id, job);
  feed?.track(job);
  render(job);
  const buffered = discovering.get(job.id);
  if (!known && buffered?.length) buffered.splice(0).forEach(apply);
}

/** The feed's events: each once and in seq order per job (the client sees to that). A page
 * extension (or a test) can listen to them as `jobcast:event` on the document. */
function onEvent(event) {
  document.dispatchEvent(new CustomEvent("jobcast:event", { detail: event }));
  apply(event);
}

function apply(event) {
  const job = jobs.get(event.job_id);
  if (!job) {
    if (discovering.has(event.job_id)) discovering.get(event.job_id).push(event);
    else discover(event);
    return;
  }
  if (event.seq <= (job.seq || 0)) return; // the snapshot already counts it
  const next = reduceJob(job, event);
  jobs.set(job.id, next);
  render(next);
  if (event.event === "failure") refresh(job.id); // the error's type and details
}

/** A job not shown yet (created in another tab, or by the API): fetch its snapshot. */
async function discover(first) {
  discovering.set(first.job_id, [first]);
  try {
    await new Promise((resolve) => setTimeout(resolve, DISCOVER_GRACE_MS));
    if (!jobs.has(first.job_id)) track(await jobsApi.get(first.job_id));
  } catch {
    // gone or not ours: nothing to show
  } finally {
    discovering.delete(first.job_id);
  }
}

/** Re-read a job's snapshot (its result or error once it finished). */
async function refresh(id) {
  try {
    track(await jobsApi.get(id));
  } catch {
    // the next event or poll brings it
  }
}

let wasLive = false;

function onConnection(state, info) {
  renderConnection(document.getElementById("conn"), state, info);
  if (state === "unauthorized") location.assign(`/accounts/login/?next=/`);
  // (Back) live: the first page again, for jobs created while the feed was down.
  if (state === "live" && !wasLive) refreshList();
  wasLive = state === "live";
}

/** Insert or update a job's card, keeping the list newest first. */
function render(job) {
  // A card with a result preview needs the result, which the success event does not carry.
  if (job.status === "success" && !("result" in job) && hasCardView(job.kind) && !fetchedResults.has(job.id)) {
    fetchedResults.add(job.id);
    refresh(job.id);
  }
  let card = cards.get(job.id);
  if (card) {
    card.update(job, Date.now());
    controls?.refresh();
    return;
  }
  if (controls && !matches(job, controls.filters)) return;
  card = new JobSummary(job, { actions, preview: true });
  cards.set(job.id, card);
  const li = h("li", { class: "job-item" }, controls?.checkbox(job), card.el);
  li.dataset.created = job.created_at;
  const after = [...list.children].find((other) => other.dataset.created < job.created_at);
  list.insertBefore(li, after || null);
  empty.hidden = true;
  count.textContent = String(cards.size);
}

/** The first page again: jobs created while the feed was down (or polls: every round). */
async function refreshList() {
  try {
    const page = await jobsApi.list(1, query());
    for (const job of page.results.slice().reverse()) track(job);
    if (nextPage === null && page.next) showMore(2);
  } catch {
    // offline: the next poll or reconnect tries again
  }
}

function showMore(page) {
  nextPage = page;
  more.hidden = page == null;
}

more.addEventListener("click", async () => {
  more.disabled = true;
  try {
    const page = await jobsApi.list(nextPage, query());
    for (const job of page.results) track(job);
    showMore(page.next ? nextPage + 1 : null);
  } finally {
    more.disabled = false;
  }
});

async function setupForms() {
  const select = document.getElementById("kind-select");
  const desc = document.getElementById("kind-desc");
  const holder = document.getElementById("kind-form");
  const kinds = await jobsApi.kinds();
  setupListControls(kinds.map((k) => k.kind));
  const forms = new Map();
  fill(select, kinds.map((k) => h("option", { value: k.kind }, k.title ? `${k.title} (${k.kind})` : k.kind)));
  const show = (name) => {
    const kind = kinds.find((k) => k.kind === name);
    if (!kind) return;
    if (!forms.has(name)) {
      forms.set(name, buildKindForm(kind, {
        create: (url, body) => api(url, { method: "POST", body }),
        onSubmit: async (body) => {
          const job = await jobsApi.create(body);
          track(job);
          cards.get(job.id)?.el.classList.add("just-added");
        },
      }));
    }
    desc.textContent = kind.description || "";
    fill(holder, forms.get(name).form);
    history.replaceState(null, "", `#${encodeURIComponent(name)}`);
  };
  select.addEventListener("change", () => show(select.value));
  const wanted = decodeURIComponent(location.hash.slice(1));
  const initial = kinds.some((k) => k.kind === wanted) ? wanted : kinds.find((k) => k.kind === "jobs.ticker")?.kind ?? kinds[0]?.kind;
  if (initial) {
    select.value = initial;
    show(initial);
  }
}

const query = () => listQuery(controls?.filters);

function setupListControls(kinds) {
  controls = new JobListControls({
    kinds,
    onFilter: (filters) => applyFilters(filters),
    jobs: (ids) => ids.map((id) => jobs.get(id)).filter(Boolean),
    act: (name, job) => actions[name](job),
  });
  list.before(controls.el);
}

/** A new status or kind reloads the list from the API; the id search narrows what is shown. */
async function applyFilters(filters) {
  const wanted = JSON.stringify(listQuery(filters));
  if (wanted !== shownQuery) {
    shownQuery = wanted;
    cards.clear();
    list.replaceChildren();
    showMore(null);
    const page = await jobsApi.list(1, query());
    if (JSON.stringify(query()) !== wanted) return; // the filters changed again meanwhile
    for (const job of page.results.slice().reverse()) track(job);
    showMore(page.next ? 2 : null);
  }
  if (isJobId(filters.q) && ![...cards.keys()].some((id) => id === filters.q.trim())) {
    try {
      track(await jobsApi.get(filters.q.trim()));
    } catch {
      // not one of yours: nothing matches
    }
  }
  for (const [id, card] of cards) card.el.closest("li").hidden = !matches(card.job, controls.filters);
  const shown = [...cards.values()].filter((card) => !card.el.closest("li").hidden).length;
  count.textContent = String(shown);
  empty.hidden = shown > 0;
  empty.textContent = wanted === "{}" && !filters.q ? t("No jobs yet. Pick a kind and submit one.") : t("No jobs match these filters.");
  controls.keepOnly(new Set([...cards.entries()].filter(([, c]) => !c.el.closest("li").hidden).map(([id]) => id)));
}

async function main() {
  const [page] = await Promise.all([jobsApi.list(1), setupForms()]);
  for (const job of page.results.slice().reverse()) track(job);
  empty.hidden = cards.size > 0;
  count.textContent = String(cards.size);
  showMore(page.next ? 2 : null);
  feed = new JobcastClient().feed({ onEvent, onConnection, onPoll: () => refreshList() });
  for (const job of jobs.values()) feed.track(job);
  setInterval(() => {
    const now = Date.now();
    for (const card of cards.values()) card.tick(now);
  }, 1000);
  document.body.dataset.ready = "true";
}

main().catch((err) => {
  const banner = document.getElementById("page-error");
  banner.textContent = t("Could not load the dashboard: %(error)s", { error: err.message });
  banner.hidden = false;
});
