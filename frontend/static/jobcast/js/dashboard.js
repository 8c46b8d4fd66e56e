// The dashboard at /: submit forms per kind, and the user's jobs (newest first) kept live,
// filtered and acted on in bulk through joblist.js.

import { api, jobsApi } from "./api.js";
import { h, fill } from "./dom.js";
import { JobSummary, renderConnection } from "./jobview.js";
import { isJobId, JobListControls, listQuery, matches } from "./joblist.js";
import { LiveJobs } from "./livejobs.js";
import { t } from "./i18n.js";
import { hasCardView } from "./results.js";
import { buildKindForm } from "./schemaform.js";

const list = document.getElementById("job-list");
const empty = document.getElementById("jobs-empty");
const more = document.getElementById("jobs-more");
const count = document.getElementById("jobs-count");
const cards = new Map();
const fetchedResults = new Set();
let nextPage = null;
let controls = null;
let shownQuery = "{}";

const actions = {
  cancel: async (job) => live.track(await jobsApi.cancel(job.id)),
  retry: async (job) => live.track(await jobsApi.retry(job.id)),
};

const live = new LiveJobs({
  onChange: (log) => render(log.job),
  onStatus: (status) => {
    renderConnection(document.getElementById("conn"), status);
    if (status.state === "unauthorized") location.assign(`/accounts/login/?next=/`);
  },
  onLive: () => refreshList(),
  onPoll: () => refreshList(),
});

/** Insert or update a job's card, keeping the list newest first. */
function render(job) {
  // A card with a result preview needs the result, which the success event does not carry.
  if (job.status === "success" && !("result" in job) && hasCardView(job.kind) && !fetchedResults.has(job.id)) {
    fetchedResults.add(job.id);
    live.refresh(job.id);
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

/** The first page again: jobs created while the socket was down (or in another tab). */
async function refreshList() {
  try {
    const page = await jobsApi.list(1, query());
    for (const job of page.results.slice().reverse()) live.track(job);
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
    for (const job of page.results) live.track(job);
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
          live.track(job);
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
    jobs: (ids) => ids.map((id) => live.logs.get(id)?.job).filter(Boolean),
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
    for (const job of page.results.slice().reverse()) live.track(job);
    showMore(page.next ? 2 : null);
  }
  if (isJobId(filters.q) && ![...cards.keys()].some((id) => id === filters.q.trim())) {
    try {
      live.track(await jobsApi.get(filters.q.trim()));
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
  for (const job of page.results.slice().reverse()) live.track(job);
  empty.hidden = cards.size > 0;
  count.textContent = String(cards.size);
  showMore(page.next ? 2 : null);
  live.start();
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
