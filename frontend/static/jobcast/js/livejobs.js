// The page's live job state: JobLogs fed by the one /ws/jobs/ feed socket, gaps filled from
// /api/jobs/<id>/events/?after=<seq>, and the polling fallback while the socket is down.

import { jobsApi } from "./api.js";
import { FeedSocket } from "./feed.js";
import { isTerminal, JobLog } from "./sync.js";

const GAP_GRACE_MS = 800; // a replay in flight usually fills a gap before this
const DISCOVER_GRACE_MS = 300; // our own POST's answer usually introduces a new job before this

export class LiveJobs {
  /**
   * keepEvents: keep every job's full timeline (the job page).
   * follow(id): whether an event for a job not yet shown should add it (the dashboard: yes).
   * onChange(log, applied): a job changed. onStatus(status): the socket's state.
   * onLive(): the socket became live (again). onPoll(): one polling round (socket down).
   */
  constructor({ keepEvents = false, follow = () => true, onChange = () => {}, onStatus = () => {}, onLive = async () => {}, onPoll = async () => {} } = {}) {
    Object.assign(this, { keepEvents, follow, onChange, onStatus, onLive, onPoll });
    this.logs = new Map();
    this._fetching = new Map(); // job id -> buffered events while its snapshot loads
    this._gapTimers = new Map();
    this._wasLive = false;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.feed = new FeedSocket({
      url: `${scheme}//${location.host}/ws/jobs/`,
      onFrame: (frame) => this.handleFrame(frame),
      onStatus: (status) => this._status(status),
      resume: () => [...this.logs.entries()].map(([id, log]) => [id, log.seq]),
      poll: () => this.poll(),
    });
  }

  start() {
    this.feed.start();
    return this;
  }

  /** Show a job from a snapshot (or merge a fresher one); returns its log. */
  track(job, events = null) {
    let log = this.logs.get(job.id);
    if (!log) {
      log = new JobLog(job, { keepEvents: this.keepEvents });
      this.logs.set(job.id, log);
      const applied = events ? log.addMany(events) : [];
      this.onChange(log, applied);
      const buffered = this._fetching.get(job.id);
      if (buffered?.length) this._apply(log, buffered.splice(0));
      this.feed.subscribe(job.id, log.seq); // not open yet: the next resume subscribes it
      return log;
    }
    const outcome = log.merge(job);
    if (outcome !== "stale") this.onChange(log, []);
    if (outcome === "gap") this.fill(job.id);
    return log;
  }

  handleFrame(frame) {
    if (frame.type === "event") this._event(frame);
    else if (frame.type === "subscribed" && this.logs.get(frame.job_id)?.hasGap) this.fill(frame.job_id);
  }

  _event(event) {
    const log = this.logs.get(event.job_id);
    if (!log) {
      if (this._fetching.has(event.job_id)) this._fetching.get(event.job_id).push(event);
      else if (this.follow(event.job_id)) this._discover(event.job_id, [event]);
      return;
    }
    this._apply(log, [event]);
  }

  _apply(log, events) {
    const applied = log.addMany(events);
    if (applied.length) this.onChange(log, applied);
    if (applied.some((e) => isTerminal(e.event)) && (this.keepEvents || applied.some((e) => e.event === "failure"))) {
      this.refresh(log.job.id);
    }
    if (log.hasGap) this._scheduleFill(log.job.id);
  }

  async _discover(id, buffered) {
    this._fetching.set(id, buffered);
    try {
      await new Promise((resolve) => setTimeout(resolve, DISCOVER_GRACE_MS));
      if (this.logs.has(id)) return;
      const job = await jobsApi.get(id);
      const log = this.track(job);
      this._apply(log, this._fetching.get(id)?.splice(0) || []);
    } catch {
      // gone or not ours: nothing to show
    } finally {
      this._fetching.delete(id);
    }
  }

  /** Fetch the stored events after what we have (a gap, a poll, a snapshot ahead of us). */
  async fill(id) {
    const log = this.logs.get(id);
    if (!log) return;
    const { events } = await jobsApi.events(id, log.seq);
    this._apply(log, events);
  }

  /** Re-read a job's snapshot (to learn its result or error once it finishes). */
  async refresh(id) {
    try {
      this.track(await jobsApi.get(id));
    } catch {
      // the next event or poll brings it
    }
  }

  _scheduleFill(id) {
    if (this._gapTimers.has(id)) return;
    this._gapTimers.set(id, setTimeout(() => {
      this._gapTimers.delete(id);
      if (this.logs.get(id)?.hasGap) this.fill(id).catch(() => {});
    }, GAP_GRACE_MS));
  }

  /** One polling round while the socket is down: every unfinished job's new events. */
  async poll() {
    const open = [...this.logs.values()].filter((log) => !isTerminal(log.job.status) || log.hasGap);
    await Promise.all(open.map((log) => this.fill(log.job.id)));
    await this.onPoll();
  }

  _status(status) {
    this.onStatus(status);
    const live = status.state === "live";
    if (live && !this._wasLive) this.onLive();
    this._wasLive = live;
  }
}
