// The page's one WebSocket to /ws/jobs/, with reconnect and a polling fallback.
//
// States: "connecting" -> "live" (the server answered a frame on this socket) ->
// "reconnecting" (socket closed; retry after an exponential backoff with jitter) -> ...
// "unauthorized" (closed with 4401: the session is gone; no retries).
// A socket counts as live only once a frame arrives (our ping's pong at the latest): an
// upgrade that opens and dies at once must not reset the backoff. While not live for more
// than `pollAfterMs`, `poll()` is called every `pollEveryMs`; it stops when the socket is live.
// On every open the page's jobs are resubscribed with after=<last seq seen> (`resume()`).
// Timers, the clock, randomness and the WebSocket class are injected, so node --test can
// drive it without a browser.

export const CLOSE_UNAUTHENTICATED = 4401;

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, "equal jitter". */
export function backoffDelay(attempt, { baseMs = 500, maxMs = 10000, random = Math.random } = {}) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export class FeedSocket {
  constructor({
    url,
    WebSocketImpl = globalThis.WebSocket,
    timers = globalThis,
    random = Math.random,
    baseMs = 500,
    maxMs = 10000,
    pollAfterMs = 3000,
    pollEveryMs = 2000,
    pingEveryMs = 20000,
    onFrame = () => {},
    onStatus = () => {},
    resume = () => [],
    poll = async () => {},
  }) {
    Object.assign(this, { url, WebSocketImpl, timers, random, baseMs, maxMs, pollAfterMs, pollEveryMs, pingEveryMs });
    Object.assign(this, { onFrame, onStatus, resume, poll });
    this.state = "idle";
    this.polling = false;
    this.attempt = 0;
    this.retryInMs = null;
    this.ws = null;
    this._timers = { retry: null, down: null, poll: null, ping: null };
    this._heardSincePing = true;
  }

  start() {
    this._stopped = false;
    this._armDownTimer();
    this._connect();
    return this;
  }

  stop() {
    this._stopped = true;
    for (const name of Object.keys(this._timers)) this._clear(name);
    this.polling = false;
    this._detach()?.close(1000, "page closed");
    this._setState("closed");
  }

  /** Send a frame if the socket is open; false otherwise (the next resume covers it). */
  send(frame) {
    if (!this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  subscribe(jobId, after) {
    return this.send({ action: "subscribe", job_id: jobId, after });
  }

  _connect() {
    this._setState(this.state === "idle" || this.state === "closed" ? "connecting" : "reconnecting");
    let ws;
    try {
      ws = new this.WebSocketImpl(this.url);
    } catch (err) {
      this._down();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (ws !== this.ws) return;
      this.send({ action: "ping" });
      for (const [jobId, after] of this.resume()) this.subscribe(jobId, after);
    };
    ws.onmessage = (msg) => {
      if (ws !== this.ws) return;
      this._heardSincePing = true;
      if (this.state !== "live") this._live();
      let frame;
      try {
        frame = JSON.parse(msg.data);
      } catch {
        return;
      }
      if (frame.type !== "pong") this.onFrame(frame);
    };
    ws.onclose = (ev) => {
      if (ws !== this.ws) return;
      this._detach();
      if (ev.code === CLOSE_UNAUTHENTICATED) {
        this.stop();
        this._setState("unauthorized");
        return;
      }
      this._down();
    };
    ws.onerror = () => {}; // a close event always follows
  }

  _live() {
    this.attempt = 0;
    this.retryInMs = null;
    this._clear("down");
    this._stopPolling();
    this._schedulePing();
    this._setState("live");
  }

  _down() {
    if (this._stopped) return;
    this._clear("ping");
    const delay = backoffDelay(this.attempt, { baseMs: this.baseMs, maxMs: this.maxMs, random: this.random });
    this.attempt += 1;
    this.retryInMs = delay;
    this._armDownTimer();
    this._clear("retry");
    this._timers.retry = this.timers.setTimeout(() => {
      this._timers.retry = null;
      this._connect();
    }, delay);
    this._setState("reconnecting");
  }

  _armDownTimer() {
    if (this._timers.down || this.polling) return;
    this._timers.down = this.timers.setTimeout(() => {
      this._timers.down = null;
      if (this.state !== "live" && !this._stopped) this._startPolling();
    }, this.pollAfterMs);
  }

  _startPolling() {
    this.polling = true;
    this._emit();
    const tick = async () => {
      this._timers.poll = null;
      if (!this.polling) return;
      try {
        await this.poll();
      } catch {
        // the server is unreachable too; the next tick tries again
      }
      if (this.polling) this._timers.poll = this.timers.setTimeout(tick, this.pollEveryMs);
    };
    tick();
  }

  _stopPolling() {
    this.polling = false;
    this._clear("poll");
  }

  _schedulePing() {
    this._clear("ping");
    this._heardSincePing = true;
    const beat = () => {
      if (!this._heardSincePing) {
        // A half-open socket (network gone without a FIN): drop it and reconnect.
        this._detach()?.close(4000, "no pong");
        this._down();
        return;
      }
      this._heardSincePing = false;
      this.send({ action: "ping" });
      this._timers.ping = this.timers.setTimeout(beat, this.pingEveryMs);
    };
    this._timers.ping = this.timers.setTimeout(beat, this.pingEveryMs);
  }

  _detach() {
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    return ws;
  }

  _clear(name) {
    if (this._timers[name] != null) this.timers.clearTimeout(this._timers[name]);
    this._timers[name] = null;
  }

  _setState(state) {
    this.state = state;
    this._emit();
  }

  _emit() {
    this.onStatus({ state: this.state, polling: this.polling, attempt: this.attempt, retryInMs: this.retryInMs });
  }
}
