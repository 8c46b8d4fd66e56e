// Stage spans and folded timeline rows (timeline.js), and durations/ETA (timefmt.js).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { elapsedMs, etaMs, formatDuration } from "../static/jobcast/js/timefmt.js";
import { stageSpans, timelineRows } from "../static/jobcast/js/timeline.js";

const t = (s) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const ev = (seq, event, s, extra = {}) => ({ seq, event, ts: t(s), stage: "", progress: 0, message: "", ...extra });

describe("stageSpans", () => {
  it("gives each stage its duration until the next one and the end", () => {
    const spans = stageSpans([
      ev(1, "pending", 0), ev(2, "started", 1), ev(3, "stage", 2, { stage: "extract" }),
      ev(4, "progress", 3, { stage: "extract" }), ev(5, "stage", 7, { stage: "save" }), ev(6, "success", 9),
    ]);
    assert.deepEqual(spans.map((s) => [s.stage, s.durationMs / 1000, s.outcome]), [
      ["queued", 1, null], ["starting", 1, null], ["extract", 5, null], ["save", 2, "success"],
    ]);
  });

  it("counts attempts across a retry and leaves the running stage open", () => {
    const spans = stageSpans([
      ev(1, "pending", 0), ev(2, "started", 0), ev(3, "stage", 1, { stage: "a" }), ev(4, "retry", 2),
      ev(5, "started", 5), ev(6, "stage", 5, { stage: "a" }),
    ]);
    assert.deepEqual(spans.map((s) => [s.stage, s.attempt, s.outcome]), [
      ["queued", 1, null], ["starting", 1, null], ["a", 1, "retry"], ["waiting to retry", 2, null], ["starting", 2, null], ["a", 2, null],
    ]);
    assert.equal(spans.at(-1).end, null);
  });
});

describe("timelineRows", () => {
  it("folds consecutive progress events of a stage into one row and keeps every seq once", () => {
    const events = [ev(1, "pending", 0), ev(2, "stage", 1, { stage: "a" }), ev(3, "progress", 1, { stage: "a", progress: 10 }),
      ev(4, "progress", 2, { stage: "a", progress: 50 }), ev(5, "log", 2, { stage: "a" }), ev(6, "progress", 3, { stage: "a", progress: 90 })];
    const rows = timelineRows(events);
    assert.deepEqual(rows.map((r) => r.kind), ["pending", "stage", "progress", "log", "progress"]);
    assert.deepEqual([rows[2].from, rows[2].to], [10, 50]);
    assert.deepEqual(rows.flatMap((r) => r.events.map((e) => e.seq)), [1, 2, 3, 4, 5, 6]);
  });
});

describe("time formatting", () => {
  it("formats durations for people", () => {
    assert.equal(formatDuration(850), "850 ms");
    assert.equal(formatDuration(12_300), "12 s");
    assert.equal(formatDuration(4_200), "4.2 s");
    assert.equal(formatDuration(245_000), "4 min 05 s");
    assert.equal(formatDuration(7_380_000), "2 h 03 min");
  });

  it("estimates the remaining time from progress so far, only while running", () => {
    const job = { status: "started", started_at: t(0), finished_at: null, progress: 25 };
    const now = Date.parse(t(10));
    assert.equal(elapsedMs(job, now), 10_000);
    assert.equal(etaMs(job, now), 30_000);
    assert.equal(etaMs({ ...job, progress: 0 }, now), null);
    assert.equal(etaMs({ ...job, status: "success", progress: 100 }, now), null);
  });
});
