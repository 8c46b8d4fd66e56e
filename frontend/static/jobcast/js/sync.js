// Per-job sync state: events are applied strictly in seq order, exactly once.
// The server promises seq 1, 2, 3... per job (docs/api.md); a socket, a replay after
// reconnect and a polling fallback may each deliver the same event, or deliver one early.
// A JobLog drops what it has seen, holds early events until the gap is filled, and tells
// the caller when a gap is open so it can fetch `/api/jobs/<id>/events/?after=<seq>`.

export const TERMINAL = Object.freeze(["success", "failure", "revoked"]);
export const RETRYABLE = Object.freeze(["failure", "revoked"]);

export const isTerminal = (status) => TERMINAL.includes(status);

/** The job as it stands after `event` (a new object; `job` is not changed). */
export function reduceJob(job, event) {
  const next = {
    ...job,
    status: event.status,
    stage: event.stage,
    progress: event.progress,
    message: event.message,
    seq: event.seq,
    updated_at: event.ts,
  };
  if (event.event === "pending" && isTerminal(job.status)) {
    // A manual retry: a new attempt starts from scratch.
    next.attempt = (job.attempt || 1) + 1;
    next.started_at = null;
    next.finished_at = null;
    delete next.result;
    delete next.error;
  }
  if (event.event === "retry") next.attempt = (job.attempt || 1) + 1;
  if (event.event === "started") {
    next.started_at = event.ts;
    next.finished_at = null;
  }
  if (isTerminal(event.event)) next.finished_at = event.ts;
  // The message's translation key (issue 17), so each viewer reads it in their own language.
  if (event.data?.i18n) next.message_i18n = event.data.i18n;
  else delete next.message_i18n;
  if (event.event === "failure" && !next.error) next.error = { type: "Error", message: event.message };
  return next;
}

export class JobLog {
  /**
   * `job` is a Job snapshot. With keepEvents the log also keeps the full event timeline and
   * starts at seq 0 (feed it the stored events); without, it starts at the snapshot's seq.
   */
  constructor(job, { keepEvents = false } = {}) {
    this.keepEvents = keepEvents;
    this.job = { ...job };
    this.seq = keepEvents ? 0 : job.seq || 0;
    this.events = [];
    this.early = new Map();
  }

  /** True while an event ahead of seq+1 waits for the ones before it. */
  get hasGap() {
    return this.early.size > 0;
  }

  /** Apply one event; returns the events applied now, in order (none for a duplicate or an early one). */
  add(event) {
    if (event.seq <= this.seq || this.early.has(event.seq)) return [];
    if (event.seq > this.seq + 1) {
      this.early.set(event.seq, event);
      return [];
    }
    return [this._apply(event), ...this._drain()];
  }

  /** Apply a batch (a replay or a poll); returns every event applied, in order. */
  addMany(events) {
    return events.flatMap((event) => this.add(event));
  }

  /**
   * Take a fresher snapshot (after cancel/retry, or to learn a result/error).
   * Returns "stale" (older than what we have), "merged", or "gap" when the snapshot is ahead
   * of the timeline we keep and the events in between must be fetched.
   */
  merge(snapshot) {
    const snapSeq = snapshot.seq || 0;
    if (snapSeq < (this.job.seq || 0)) return "stale";
    this.job = { ...this.job, ...snapshot };
    if (!("result" in snapshot)) delete this.job.result;
    if (!("error" in snapshot)) delete this.job.error;
    if (this.keepEvents) return snapSeq > this.seq ? "gap" : "merged";
    this.seq = Math.max(this.seq, snapSeq);
    for (const seq of this.early.keys()) if (seq <= this.seq) this.early.delete(seq);
    this._drain();
    return "merged";
  }

  _drain() {
    const applied = [];
    while (this.early.has(this.seq + 1)) {
      const next = this.early.get(this.seq + 1);
      this.early.delete(this.seq + 1);
      applied.push(this._apply(next));
    }
    return applied;
  }

  _apply(event) {
    this.seq = event.seq;
    // A snapshot can be ahead of the timeline being rebuilt; older events must not rewind it.
    if (event.seq > (this.job.seq || 0)) this.job = reduceJob(this.job, event);
    if (this.keepEvents) this.events.push(event);
    return event;
  }
}
