// The public client's pure parts and its follow() over a scripted SSE server (static/jobcast/client.js).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { JobcastClient, SeqGate, SseParser, applyEvent, backoffDelay } from "../static/jobcast/client.js";

const ev = (seq, event = "progress", extra = {}) => ({
  type: "event", job_id: "j1", seq, event, status: ["success", "failure", "revoked"].includes(event) ? event : "started",
  stage: "ticking", progress: seq, message: `m${seq}`, data: {}, ts: "2026-01-01T00:00:00.000000+00:00", ...extra,
});
const job = (seq, status = "started", extra = {}) => ({ id: "j1", kind: "jobs.ticker", status, stage: "", progress: 0, message: "", attempt: 1, seq, ...extra });
const sse = (type, data, id) => `${id != null ? `id: ${id}\n` : ""}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

describe("SeqGate", () => {
  it("delivers each seq once and in order, holding early ones", () => {
    const gate = new SeqGate(2);
    assert.deepEqual(gate.push(ev(2)), []);
    assert.deepEqual(gate.push(ev(5)), []);
    assert.equal(gate.hasGap, true);
    assert.deepEqual(gate.push(ev(3)).map((e) => e.seq), [3]);
    assert.deepEqual(gate.push(ev(4)).map((e) => e.seq), [4, 5]);
    assert.deepEqual(gate.push(ev(5)), []);
    assert.equal(gate.hasGap, false);
    assert.equal(gate.last, 5);
  });
});

describe("SseParser", () => {
  it("parses messages split anywhere, skips comments, joins data lines", () => {
    const text = `: keepalive\n\n${sse("snapshot", job(0))}id: 1\r\nevent: pending\r\ndata: {"seq":\r\ndata: 1}\r\n\r\n`;
    const parser = new SseParser();
    const out = [];
    for (let i = 0; i < text.length; i += 7) out.push(...parser.feed(text.slice(i, i + 7)));
    assert.deepEqual(out.map((m) => [m.event, m.id]), [["snapshot", null], ["pending", "1"]]);
    assert.deepEqual(JSON.parse(out[0].data), job(0));
    assert.equal(out[1].data, '{"seq":\n1}');
  });
});

describe("backoffDelay and applyEvent", () => {
  it("grows, caps and jitters; a retry starts a new attempt", () => {
    assert.equal(backoffDelay(0, { random: () => 0 }), 250);
    assert.equal(backoffDelay(10, { random: () => 1, maxMs: 8000 }), 8000);
    const next = applyEvent(job(3, "failure", { result: 1 }), ev(4, "pending", { status: "pending" }));
    assert.equal(next.attempt, 2);
    assert.equal(next.seq, 4);
  });
});

/** A fetch() that answers each /stream/ request with the next scripted body (a broken stream errors). */
function scriptedServer(streams, finalJob) {
  const requests = [];
  const fetchImpl = async (url) => {
    requests.push(url);
    if (url.endsWith(`/api/jobs/j1/`)) return new Response(JSON.stringify(finalJob), { status: 200 });
    const script = streams.shift();
    if (!script) throw new TypeError("connection refused");
    const chunks = [...script.chunks];
    const body = new ReadableStream({
      pull(controller) { // one chunk per read, so an error comes after what was sent (error() drops queued chunks)
        if (chunks.length) controller.enqueue(new TextEncoder().encode(chunks.shift()));
        else if (script.broken) controller.error(new Error("connection reset"));
        else controller.close();
      },
    });
    return new Response(body, { status: script.status || 200, headers: { "Content-Type": "text/event-stream" } });
  };
  return { fetchImpl, requests };
}

describe("JobcastClient.follow over SSE", () => {
  it("resumes by seq after a drop: each event once, in order, onEnd once with the final job", async () => {
    const done = job(6, "success", { result: { steps: 3 } });
    const server = scriptedServer([
      { chunks: [sse("snapshot", job(2)), sse("pending", ev(1, "pending"), 1), sse("started", ev(2, "started"), 2),
        sse("progress", ev(3), 3)], broken: true },
      { status: 503, chunks: [] },
      // The replay overlaps what was seen (the server would not, a proxy cache might).
      { chunks: [sse("snapshot", job(4)), sse("progress", ev(3), 3), sse("progress", ev(4), 4), ": keepalive\n\n",
        sse("progress", ev(5), 5), sse("success", ev(6, "success"), 6)] },
    ], done);
    const client = new JobcastClient({ transport: "sse", fetchImpl: server.fetchImpl, baseMs: 1, maxMs: 2 });
    const seen = [];
    const ended = [];
    const states = [];
    await new Promise((resolve) => {
      client.follow("j1", {
        onEvent: (e) => seen.push(e.seq),
        onEnd: (j) => { ended.push(j); resolve(); },
        onConnection: (s) => states.push(s),
      });
    });
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
    assert.equal(ended.length, 1);
    assert.deepEqual(ended[0].result, { steps: 3 });
    const streamUrls = server.requests.filter((u) => u.includes("/stream/"));
    assert.deepEqual(streamUrls, ["/api/jobs/j1/stream/?after=0", "/api/jobs/j1/stream/?after=3", "/api/jobs/j1/stream/?after=3"]);
    assert.ok(states.includes("reconnecting") && states.at(-1) === "closed");
  });

  it("ends at once on a snapshot of a finished job it is caught up with, and stops on 404", async () => {
    const done = job(4, "failure", { error: { type: "X", message: "boom" } });
    const server = scriptedServer([{ chunks: [sse("snapshot", done)] }], done);
    const client = new JobcastClient({ transport: "sse", fetchImpl: server.fetchImpl, baseMs: 1 });
    const ended = await new Promise((resolve) => client.follow("j1", { after: 4, onEnd: resolve }));
    assert.equal(ended.error.message, "boom");

    const missing = scriptedServer([{ status: 404, chunks: [] }], done);
    const states = [];
    await new Promise((resolve) => {
      new JobcastClient({ transport: "sse", fetchImpl: missing.fetchImpl }).follow("j1", {
        onConnection: (s) => { states.push(s); if (s === "not_found") resolve(); },
      });
    });
    assert.deepEqual(states, ["connecting", "not_found"]);
  });
});

/** A scripted WebSocket: the test opens, sends frames into and closes each instance. */
class FakeSocket {
  static made = [];
  constructor(url) {
    this.url = url;
    this.sent = [];
    FakeSocket.made.push(this);
  }
  send(text) { this.sent.push(JSON.parse(text)); }
  close(code = 1000) { this.onclose?.({ code }); }
  open() { this.onopen?.(); }
  frame(data) { this.onmessage?.({ data: JSON.stringify(data) }); }
}

describe("JobcastClient.feed", () => {
  it("delivers each job's events once and resubscribes unfinished jobs with after=<last seq> on reconnect", async () => {
    FakeSocket.made = [];
    const client = new JobcastClient({ WebSocketImpl: FakeSocket, baseUrl: "http://h", baseMs: 1, maxMs: 2 });
    const seen = [];
    const feed = client.feed({ onEvent: (e) => seen.push(`${e.job_id}#${e.seq}`) });
    const first = FakeSocket.made[0];
    assert.equal(first.url, "ws://h/ws/jobs/");
    first.open();
    const a = (seq, event = "progress") => ({ ...ev(seq, event), job_id: "a" });
    const b = (seq, event = "progress") => ({ ...ev(seq, event), job_id: "b" });
    for (const frame of [a(1, "pending"), a(2, "started"), b(5), a(2, "started"), b(6, "success"), a(3)]) first.frame(frame);
    first.close(1006);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = FakeSocket.made[1];
    second.open();
    const subscribes = second.sent.filter((frame) => frame.action === "subscribe");
    assert.deepEqual(subscribes, [{ action: "subscribe", job_id: "a", after: 3 }]); // b ended: not resubscribed
    for (const frame of [a(3), a(4), a(5, "success")]) second.frame(frame);
    assert.deepEqual(seen, ["a#1", "a#2", "b#5", "b#6", "a#3", "a#4", "a#5"]);
    feed.close();
  });
});

describe("JobcastClient.feed fallback", () => {
  it("falls back to the SSE feed, catches a tracked job up from its seq, and climbs back to the WebSocket", async () => {
    FakeSocket.made = [];
    const requests = [];
    const fetchImpl = async (url, { signal } = {}) => {
      requests.push(url.replace("http://h", ""));
      if (url.endsWith("/api/jobs/a/events/?after=2")) return Response.json({ events: [{ ...ev(3), job_id: "a" }] });
      if (!url.endsWith("/api/jobs/stream/")) return new Response("{}", { status: 500 });
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(sse("ready", { type: "ready" }) + sse("progress", { ...ev(4), job_id: "a" })));
          signal.addEventListener("abort", () => controller.error(new Error("aborted")));
        },
      });
      return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
    };
    const client = new JobcastClient({ WebSocketImpl: FakeSocket, fetchImpl, baseUrl: "http://h", baseMs: 1, maxMs: 2,
      failuresBeforeFallback: 2, upgradeAfterMs: 30 });
    const seen = [];
    const transports = [];
    const feed = client.feed({
      onEvent: (e) => seen.push(`${e.job_id}#${e.seq}`),
      onConnection: (state, info) => { if (state === "live") transports.push(info.transport); },
    });
    feed.track({ id: "a", seq: 2, status: "started" });
    const waitFor = async (what) => {
      for (let i = 0; i < 200 && !what(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.ok(what());
    };
    for (let n = 1; n <= 2; n += 1) { // two refused upgrades (closed before any frame)
      await waitFor(() => FakeSocket.made.length === n);
      FakeSocket.made[n - 1].close(1006);
    }
    await waitFor(() => seen.length === 2);
    assert.deepEqual(seen, ["a#3", "a#4"]);
    assert.deepEqual(transports, ["sse"]);
    await waitFor(() => FakeSocket.made.length === 3); // the try of the WebSocket again
    const probe = FakeSocket.made[2];
    probe.open();
    probe.frame({ type: "pong" });
    assert.equal(feed.transport, "websocket");
    assert.deepEqual(transports, ["sse", "websocket"]);
    assert.deepEqual(probe.sent.filter((f) => f.action === "subscribe"), [{ action: "subscribe", job_id: "a", after: 4 }]);
    assert.equal(feed.lastSeq("a"), 4);
    feed.close();
  });
});
