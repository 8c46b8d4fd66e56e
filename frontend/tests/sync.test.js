// A job's state from snapshots and events (static/jobcast/js/sync.js).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { mergeSnapshot, reduceJob } from "../static/jobcast/js/sync.js";

const ev = (seq, event = "progress", extra = {}) => ({
  type: "event", job_id: "j1", seq, event, status: event === "pending" ? "pending" : "started",
  stage: "ticking", progress: seq * 10, message: `m${seq}`, data: {}, ts: `2026-01-01T00:00:${String(seq).padStart(2, "0")}.000000+00:00`, ...extra,
});
const snapshot = (seq, extra = {}) => ({ id: "j1", kind: "jobs.ticker", status: "started", stage: "ticking", progress: seq * 10, message: "", attempt: 1, seq, ...extra });

describe("mergeSnapshot", () => {
  it("takes a fresher snapshot, ignores an older one", () => {
    const job = snapshot(3, { message: "three" });
    assert.equal(mergeSnapshot(job, snapshot(2)), null);
    assert.equal(mergeSnapshot(job, snapshot(4, { status: "revoked" })).status, "revoked");
    assert.equal(mergeSnapshot(undefined, snapshot(1)).seq, 1);
  });

  it("a snapshot without result drops a stale one", () => {
    const merged = mergeSnapshot(snapshot(3, { status: "success", result: { a: 1 } }), snapshot(4, { status: "pending" }));
    assert.equal("result" in merged, false);
  });
});

describe("reduceJob", () => {
  it("counts a new attempt on retry and on a manual retry from failure", () => {
    let job = snapshot(3, { status: "started", attempt: 1 });
    job = reduceJob(job, ev(4, "retry", { status: "retry" }));
    assert.equal(job.attempt, 2);
    job = reduceJob({ ...job, status: "failure", error: { type: "X", message: "y" } }, ev(5, "pending", { status: "pending", progress: 0 }));
    assert.equal(job.attempt, 3);
    assert.equal(job.error, undefined);
    assert.equal(job.started_at, null);
  });

  it("stamps start and finish times from event timestamps", () => {
    let job = reduceJob(snapshot(1, { status: "pending" }), ev(2, "started"));
    assert.equal(job.started_at, ev(2).ts);
    job = reduceJob(job, ev(3, "failure", { status: "failure", message: "boom" }));
    assert.equal(job.finished_at, ev(3).ts);
    assert.deepEqual(job.error, { type: "Error", message: "boom" });
  });
});
