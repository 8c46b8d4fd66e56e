// The seq/dedupe state of one job (static/jobcast/js/sync.js).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { JobLog, reduceJob } from "../static/jobcast/js/sync.js";

const ev = (seq, event = "progress", extra = {}) => ({
  type: "event", job_id: "j1", seq, event, status: event === "pending" ? "pending" : "started",
  stage: "ticking", progress: seq * 10, message: `m${seq}`, data: {}, ts: `2026-01-01T00:00:${String(seq).padStart(2, "0")}.000000+00:00`, ...extra,
});
const snapshot = (seq, extra = {}) => ({ id: "j1", kind: "jobs.ticker", status: "started", stage: "ticking", progress: seq * 10, message: "", attempt: 1, seq, ...extra });

describe("JobLog", () => {
  it("applies events in order and drops duplicates", () => {
    const log = new JobLog(snapshot(2));
    assert.deepEqual(log.add(ev(3)).map((e) => e.seq), [3]);
    assert.deepEqual(log.add(ev(3)), []);
    assert.deepEqual(log.add(ev(2)), []);
    assert.equal(log.seq, 3);
    assert.equal(log.job.progress, 30);
  });

  it("holds an early event until the gap fills, then applies the run in order", () => {
    const log = new JobLog(snapshot(1));
    assert.deepEqual(log.add(ev(4)), []);
    assert.deepEqual(log.add(ev(3)), []);
    assert.equal(log.hasGap, true);
    assert.equal(log.job.seq, 1);
    assert.deepEqual(log.add(ev(2)).map((e) => e.seq), [2, 3, 4]);
    assert.equal(log.hasGap, false);
    assert.equal(log.job.message, "m4");
  });

  it("rebuilds a timeline exactly once from a replay overlapping live events", () => {
    const log = new JobLog(snapshot(3), { keepEvents: true });
    log.addMany([ev(1, "pending"), ev(2, "started"), ev(3, "stage")]);
    log.add(ev(5)); // live, early
    log.addMany([ev(3, "stage"), ev(4), ev(5), ev(6)]); // replay after reconnect
    log.add(ev(6)); // the live copy of the last one
    assert.deepEqual(log.events.map((e) => e.seq), [1, 2, 3, 4, 5, 6]);
    assert.equal(log.job.seq, 6);
  });

  it("does not rewind a newer snapshot while older events are replayed", () => {
    const log = new JobLog(snapshot(5, { progress: 50, message: "newest" }), { keepEvents: true });
    log.addMany([ev(1, "pending"), ev(2, "started")]);
    assert.equal(log.job.message, "newest");
    assert.equal(log.job.progress, 50);
  });

  it("merges a fresher snapshot, and reports a gap when the timeline is behind it", () => {
    const log = new JobLog(snapshot(2), { keepEvents: true });
    log.addMany([ev(1, "pending"), ev(2, "started")]);
    assert.equal(log.merge(snapshot(1)), "stale");
    assert.equal(log.merge(snapshot(4, { status: "revoked" })), "gap");
    assert.equal(log.job.status, "revoked");
    assert.deepEqual(log.addMany([ev(3), ev(4, "revoked", { status: "revoked" })]).map((e) => e.seq), [3, 4]);
    assert.equal(log.job.status, "revoked");
  });

  it("without a timeline, a snapshot ahead moves seq and releases held events", () => {
    const log = new JobLog(snapshot(1));
    log.add(ev(5));
    assert.equal(log.merge(snapshot(4)), "merged");
    assert.equal(log.seq, 5);
    assert.equal(log.hasGap, false);
  });

  it("a snapshot without result drops a stale one", () => {
    const log = new JobLog(snapshot(3, { status: "success", result: { a: 1 } }));
    log.merge(snapshot(4, { status: "pending" }));
    assert.equal("result" in log.job, false);
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
