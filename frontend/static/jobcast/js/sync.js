// A job's state as the pages render it: a snapshot, moved forward by each event (reduceJob), and
// merged with a fresher snapshot (mergeSnapshot). Delivery (each seq once, in order, resumed after
// a drop) is the public client's job (../client.js); what reaches these functions is already exact.

import { isTerminal, TERMINAL } from "../client.js";

export { isTerminal, TERMINAL };
export const RETRYABLE = Object.freeze(["failure", "revoked"]);

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

/**
 * The job after a fresher snapshot (after cancel/retry, a reconnect, or to learn a result/error);
 * null when `snapshot` is older than `job`. A snapshot's missing result/error means there is none.
 */
export function mergeSnapshot(job, snapshot) {
  if (job && (snapshot.seq || 0) < (job.seq || 0)) return null;
  const next = { ...job, ...snapshot };
  if (!("result" in snapshot)) delete next.result;
  if (!("error" in snapshot)) delete next.error;
  return next;
}
