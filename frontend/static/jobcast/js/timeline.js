// What the job page shows of an event log: stage spans with durations, and timeline rows
// where runs of progress events fold into one row (pure; tested with node --test).

import { TERMINAL } from "./sync.js";

const ms = (ts) => Date.parse(ts);

/**
 * Stages in order with their durations: "queued" from pending, "starting" from started, each
 * stage event opens its stage, a retry opens "waiting to retry"; a span ends when the next one
 * opens or at the terminal event (open-ended while running: `end` null). Attempts are counted.
 */
export function stageSpans(events) {
  const spans = [];
  let attempt = 1;
  let current = null;
  const close = (ts) => {
    if (!current) return;
    current.end = ts;
    current.durationMs = ms(ts) - ms(current.start);
    current = null;
  };
  const open = (stage, ev) => {
    close(ev.ts);
    current = { stage, attempt, start: ev.ts, end: null, durationMs: null, outcome: null };
    spans.push(current);
  };
  for (const ev of events) {
    if (ev.event === "pending") {
      if (spans.length) attempt += 1;
      open("queued", ev);
    } else if (ev.event === "started") {
      open("starting", ev);
    } else if (ev.event === "stage") {
      open(ev.stage || "stage", ev);
    } else if (ev.event === "retry") {
      if (current) current.outcome = "retry";
      attempt += 1;
      open("waiting to retry", ev);
    } else if (TERMINAL.includes(ev.event)) {
      if (current) current.outcome = ev.event;
      close(ev.ts);
    }
  }
  return spans;
}

/** Timeline rows: one per event, except consecutive progress events of a stage fold into one. */
export function timelineRows(events) {
  const rows = [];
  for (const ev of events) {
    const last = rows.at(-1);
    if (ev.event === "progress" && last?.kind === "progress" && last.stage === ev.stage) {
      last.events.push(ev);
      last.to = ev.progress;
      last.end = ev.ts;
      last.message = ev.message;
      continue;
    }
    rows.push({
      kind: ev.event,
      stage: ev.stage,
      events: [ev],
      from: ev.progress,
      to: ev.progress,
      start: ev.ts,
      end: ev.ts,
      message: ev.message,
    });
  }
  return rows;
}
