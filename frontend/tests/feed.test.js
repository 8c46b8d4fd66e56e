// The feed socket's reconnect/backoff/polling state machine (static/jobcast/js/feed.js),
// driven with a fake WebSocket class and a fake clock.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { backoffDelay, FeedSocket } from "../static/jobcast/js/feed.js";

class FakeClock {
  constructor() {
    this.now = 0;
    this.timers = new Map();
    this.nextId = 1;
  }
  setTimeout(fn, ms) {
    const id = this.nextId++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(id) {
    this.timers.delete(id);
  }
  /** Run every timer due within `ms`, in time order. */
  async advance(ms) {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      await due[1].fn();
    }
    this.now = end;
  }
}

function fakeSockets() {
  const sockets = [];
  class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      sockets.push(this);
    }
    send(text) { this.sent.push(JSON.parse(text)); }
    close() { this.readyState = 3; }
    // test side
    open() { this.readyState = 1; this.onopen?.(); }
    receive(frame) { this.onmessage?.({ data: JSON.stringify(frame) }); }
    drop(code = 1006) { this.readyState = 3; this.onclose?.({ code }); }
  }
  return { sockets, FakeWebSocket };
}

function setup(extra = {}) {
  const clock = new FakeClock();
  const { sockets, FakeWebSocket } = fakeSockets();
  const frames = [];
  const statuses = [];
  const polls = [];
  const feed = new FeedSocket({
    url: "ws://x/ws/jobs/", WebSocketImpl: FakeWebSocket, timers: clock, random: () => 0.5,
    onFrame: (f) => frames.push(f), onStatus: (s) => statuses.push(s),
    resume: () => [["a", 3], ["b", 7]], poll: async () => polls.push(clock.now), ...extra,
  });
  return { clock, sockets, frames, statuses, polls, feed };
}

describe("backoffDelay", () => {
  it("grows exponentially with jitter in the upper half, up to the cap", () => {
    assert.equal(backoffDelay(0, { random: () => 0 }), 250);
    assert.equal(backoffDelay(0, { random: () => 1 }), 500);
    assert.equal(backoffDelay(3, { random: () => 1 }), 4000);
    assert.equal(backoffDelay(10, { random: () => 1 }), 10000);
    assert.equal(backoffDelay(10, { random: () => 0 }), 5000);
  });
});

describe("FeedSocket", () => {
  it("pings and resubscribes every job with its last seq on open, and is live on the first frame", () => {
    const { sockets, feed, statuses } = setup();
    feed.start();
    sockets[0].open();
    assert.deepEqual(sockets[0].sent, [
      { action: "ping" },
      { action: "subscribe", job_id: "a", after: 3 },
      { action: "subscribe", job_id: "b", after: 7 },
    ]);
    assert.equal(feed.state, "connecting");
    sockets[0].receive({ type: "pong" });
    assert.equal(feed.state, "live");
    assert.equal(statuses.at(-1).state, "live");
  });

  it("hands event frames on, and keeps pongs to itself", () => {
    const { sockets, feed, frames } = setup();
    feed.start();
    sockets[0].open();
    sockets[0].receive({ type: "pong" });
    sockets[0].receive({ type: "event", job_id: "a", seq: 4 });
    assert.deepEqual(frames, [{ type: "event", job_id: "a", seq: 4 }]);
  });

  it("reconnects with growing delays while the server is down, and resets them once live", async () => {
    const { clock, sockets, feed } = setup();
    feed.start();
    sockets[0].open();
    sockets[0].receive({ type: "pong" });
    sockets[0].drop();
    assert.equal(feed.state, "reconnecting");
    const delays = [];
    for (let i = 0; i < 4; i++) {
      delays.push(feed.retryInMs);
      const before = sockets.length;
      await clock.advance(feed.retryInMs);
      assert.equal(sockets.length, before + 1);
      sockets.at(-1).drop();
    }
    assert.deepEqual(delays, [375, 750, 1500, 3000]);
    await clock.advance(feed.retryInMs);
    sockets.at(-1).open();
    sockets.at(-1).receive({ type: "pong" });
    assert.equal(feed.state, "live");
    assert.equal(feed.attempt, 0);
  });

  it("an upgrade that opens and dies without a frame does not reset the backoff", async () => {
    const { clock, sockets, feed } = setup();
    feed.start();
    sockets[0].drop();
    await clock.advance(feed.retryInMs);
    sockets[1].open();
    sockets[1].drop();
    assert.equal(feed.attempt, 2);
  });

  it("polls after pollAfterMs down, every pollEveryMs, and stops once live again", async () => {
    const { clock, sockets, feed, polls } = setup({ maxMs: 60000 });
    feed.start();
    sockets[0].open();
    sockets[0].receive({ type: "pong" });
    sockets[0].drop();
    await clock.advance(2999);
    assert.equal(polls.length, 0);
    // every reconnect attempt fails
    for (let t = 0; t < 6000; t += 100) {
      await clock.advance(100);
      const last = sockets.at(-1);
      if (last.readyState === 0) last.drop();
    }
    assert.equal(feed.polling, true);
    assert.deepEqual(polls, [3000, 5000, 7000]);
    await clock.advance(feed.retryInMs);
    sockets.at(-1).open();
    sockets.at(-1).receive({ type: "pong" });
    assert.equal(feed.polling, false);
    const count = polls.length;
    await clock.advance(20000 - 1);
    assert.equal(polls.length, count);
  });

  it("stops for good on 4401 (signed out)", async () => {
    const { clock, sockets, feed } = setup();
    feed.start();
    sockets[0].open();
    sockets[0].drop(4401);
    assert.equal(feed.state, "unauthorized");
    await clock.advance(60000);
    assert.equal(sockets.length, 1);
  });

  it("drops a socket that stops answering pings (half-open) and reconnects", async () => {
    const { clock, sockets, feed } = setup({ pingEveryMs: 1000 });
    feed.start();
    sockets[0].open();
    sockets[0].receive({ type: "pong" });
    await clock.advance(1000); // ping sent
    assert.deepEqual(sockets[0].sent.at(-1), { action: "ping" });
    await clock.advance(1000); // no answer
    assert.equal(feed.state, "reconnecting");
    await clock.advance(feed.retryInMs);
    assert.equal(sockets.length, 2);
  });
});
