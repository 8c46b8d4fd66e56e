// Jobcast's public JavaScript client: follow one job, or a user's feed, over WebSocket, SSE or polling.
//
//   import { JobcastClient } from "/static/jobcast/client.js";
//   const client = new JobcastClient({ transport: "auto" });
//   const sub = client.follow(jobId, { onSnapshot(job) {}, onEvent(event) {}, onEnd(job) {} });
//   sub.close();
//   const feed = client.feed({ onEvent(event) {} });   // all the user's jobs; feed.track(job) to resume one
//
// An ES module with no dependencies and no build step (docs/client.md). The guarantee: each event
// is delivered once, in seq order, across reconnects and transport changes, and onEnd is called
// once with the final job. The server numbers each job's events 1, 2, 3…; every transport resumes
// with after=<last seq delivered>, and a SeqGate drops repeats and holds early events. The
// dashboard and the job page run on this module (js/dashboard.js, js/jobpage.js).

/**
 * @typedef {"pending"|"started"|"retry"|"success"|"failure"|"revoked"} JobStatus
 * @typedef {{id: string, kind: string, status: JobStatus, stage: string, progress: number,
 *   message: string, params: object, result?: any, error?: {type: string, message: string},
 *   attempt: number, seq: number, [key: string]: any}} Job
 * @typedef {{type: "event", job_id: string, seq: number, event: string, status: JobStatus,
 *   stage: string, progress: number, message: string, data: object, ts: string}} JobEvent
 * @typedef {"websocket"|"sse"|"polling"} TransportName
 * @typedef {"connecting"|"live"|"reconnecting"|"unauthorized"|"not_found"|"closed"} ConnectionState
 * @typedef {{transport: TransportName|null, retryInMs: number|null, attempt: number}} ConnectionInfo
 * @typedef {{after?: number,
 *   onSnapshot?: (job: Job) => void,
 *   onEvent?: (event: JobEvent) => void,
 *   onEnd?: (job: Job) => void,
 *   onConnection?: (state: ConnectionState, info: ConnectionInfo) => void}} FollowHandlers
 * @typedef {{onEvent?: (event: JobEvent) => void,
 *   onConnection?: (state: ConnectionState, info: ConnectionInfo) => void,
 *   onPoll?: () => (void|Promise<void>)}} FeedHandlers
 * @typedef {{close(): void, track(job: {id: string, seq?: number, status?: JobStatus}): void,
 *   lastSeq(jobId: string): number|null, readonly transport: TransportName}} FeedSubscription
 * @typedef {{transport?: "auto"|"websocket"|"sse", baseUrl?: string, token?: string|null,
 *   WebSocketImpl?: any, fetchImpl?: typeof fetch, timers?: {setTimeout: Function, clearTimeout: Function},
 *   random?: () => number, baseMs?: number, maxMs?: number, pollEveryMs?: number,
 *   failuresBeforeFallback?: number, pingEveryMs?: number, upgradeAfterMs?: number,
 *   connectTimeoutMs?: number}} ClientOptions
 */

export const TERMINAL = Object.freeze(["success", "failure", "revoked"]);
export const isTerminal = (status) => TERMINAL.includes(status);
const CLOSE_UNAUTHENTICATED = 4401;
const CLOSE_NOT_FOUND = 4404;

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, "equal jitter". */
export function backoffDelay(attempt, { baseMs = 500, maxMs = 10000, random = Math.random } = {}) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Each seq once and in order: repeats are dropped, early events wait for the ones before them. */
export class SeqGate {
  constructor(after = 0) {
    this.last = after;
    this.early = new Map();
  }

  /** True while an event ahead of last+1 waits (the missing ones can be read from the log). */
  get hasGap() {
    return this.early.size > 0;
  }

  /** Offer one event; returns the events now deliverable, in seq order (often none or one). */
  push(event) {
    if (event.seq <= this.last || this.early.has(event.seq)) return [];
    this.early.set(event.seq, event);
    const ready = [];
    while (this.early.has(this.last + 1)) {
      const next = this.early.get(this.last + 1);
      this.early.delete(this.last + 1);
      this.last = next.seq;
      ready.push(next);
    }
    return ready;
  }
}

/** Incremental text/event-stream parser: feed it chunks, get whole messages {event, data, id}. */
export class SseParser {
  constructor() {
    this.buffer = "";
    this._reset();
  }

  _reset() {
    this.message = { event: "message", data: [], id: null, any: false };
  }

  /** Parse a chunk (any split, \n or \r\n line ends); returns the messages completed by it. */
  feed(chunk) {
    this.buffer += chunk;
    const out = [];
    let index;
    while ((index = this.buffer.search(/\r\n|\n|\r/)) >= 0) {
      const sep = this.buffer.startsWith("\r\n", index) ? 2 : 1;
      if (sep === 1 && this.buffer[index] === "\r" && index === this.buffer.length - 1) break; // maybe \r\n split
      const line = this.buffer.slice(0, index);
      this.buffer = this.buffer.slice(index + sep);
      if (line === "") {
        if (this.message.any && this.message.data.length) {
          out.push({ event: this.message.event, data: this.message.data.join("\n"), id: this.message.id });
        }
        this._reset();
        continue;
      }
      if (line.startsWith(":")) continue; // a keep-alive comment
      const colon = line.indexOf(":");
      const name = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      this.message.any = true;
      if (name === "data") this.message.data.push(value);
      else if (name === "event") this.message.event = value;
      else if (name === "id") this.message.id = value;
    }
    return out;
  }
}

/** The job after `event` (a new object): what a snapshot would say at that seq, minus result/error. */
export function applyEvent(job, event) {
  const next = { ...job, status: event.status, stage: event.stage, progress: event.progress,
    message: event.message, seq: event.seq, updated_at: event.ts };
  if (event.event === "retry" || (event.event === "pending" && isTerminal(job.status))) {
    next.attempt = (job.attempt || 1) + 1;
    delete next.result;
    delete next.error;
  }
  return next;
}

class Failure extends Error {
  /** `fatal`: retrying cannot help (signed out, no such job). */
  constructor(message, { fatal = null } = {}) {
    super(message);
    this.fatal = fatal;
  }
}

function failureFor(status, what) {
  if (status === 401 || status === 403) return new Failure("signed out", { fatal: "unauthorized" });
  if (status === 404) return new Failure("no such job", { fatal: "not_found" });
  return new Failure(`${what} answered ${status}`);
}

/**
 * What follow() and feed() share: the transports tried in order, reconnects with backoff, the
 * fallback to the next transport when one keeps failing, and, while on a fallback, a try of the
 * transport above it every `upgradeAfterMs` (so a page climbs back to its WebSocket once the
 * network lets it; a refused try goes straight back, unseen by the page).
 * Subclasses define `_websocket(run)`, `_sse(run)`, `_polling(run)`: each returns a promise that
 * settles when its connection is over, and calls `_live(run)` once the server answered.
 */
class Connection {
  constructor(client, handlers) {
    this.client = client;
    this.h = handlers;
    this.order = client.transportOrder();
    this.index = 0;
    this.failures = 0; // consecutive attempts that never became live
    this.attempt = 0;
    this.closed = false;
    this.abort = null;
    this.timer = null;
    this.upgradeTimer = null;
    this.probeFrom = null; // the fallback's index while the first transport is tried again
  }

  /** Nothing more to do (closed, or for a follow: ended). */
  get done() {
    return this.closed;
  }

  get transport() {
    return this.order[Math.min(this.index, this.order.length - 1)];
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this._stopTimers();
    this.abort?.();
    this._state("closed");
  }

  _stopTimers() {
    this.client.timers.clearTimeout(this.connectTimer);
    this.client.timers.clearTimeout(this.timer);
    this.client.timers.clearTimeout(this.upgradeTimer);
  }

  _state(state, retryInMs = null) {
    this.h.onConnection?.(state, { transport: this.transport, retryInMs, attempt: this.attempt });
  }

  /** `quiet`: a try of the first transport from a working fallback; the page need not hear of it. */
  _connect(quiet = false) {
    if (this.done) return;
    if (!quiet) this._state(this.attempt === 0 && !this.wasLive ? "connecting" : "reconnecting");
    const run = { live: false, stopped: false, upgrade: false };
    // A connection the server never answers (an upgrade stuck in a proxy) counts as failed.
    this.client.timers.clearTimeout(this.connectTimer);
    this.connectTimer = this.client.timers.setTimeout(() => {
      if (!run.live && !run.stopped && !this.done) this.abort?.();
    }, this.client.connectTimeoutMs);
    this[`_${this.transport}`](run).then(() => this._after(run, null), (err) => this._after(run, err));
  }

  /** A connection ended: stop, or come back after a backoff (on the next transport if this one keeps failing). */
  _after(run, err) {
    run.stopped = true;
    this.abort = null;
    this.client.timers.clearTimeout(this.upgradeTimer);
    this.client.timers.clearTimeout(this.connectTimer);
    if (this.done) return;
    if (err?.fatal) {
      this.closed = true;
      this._state(err.fatal);
      return;
    }
    let delay = 0;
    let quiet = false;
    if (run.upgrade) { // a fallback was live long enough: try the transport above it again
      this.probeFrom = this.index;
      this.index -= 1;
      quiet = true;
    } else if (this.probeFrom != null && !run.live) { // still refused: straight back to the fallback
      this.index = this.probeFrom;
      this.probeFrom = null;
      quiet = true;
    } else {
      this.probeFrom = null;
      this.failures = run.live ? 0 : this.failures + 1;
      if (this.failures >= this.client.failuresBeforeFallback && this.index < this.order.length - 1) {
        this.index += 1;
        this.failures = 0;
        this.attempt = 0; // a new transport: try it soon
      }
      delay = run.live && !err ? 0 : backoffDelay(this.attempt, this.client);
      this.attempt += 1;
      this._state("reconnecting", delay);
    }
    this.timer = this.client.timers.setTimeout(() => this._connect(quiet), delay);
  }

  _live(run) {
    if (run.live || run.stopped) return;
    run.live = true;
    this.client.timers.clearTimeout(this.connectTimer);
    this.wasLive = true;
    this.attempt = 0;
    this.failures = 0;
    this.probeFrom = null;
    this._state("live");
    if (this.index > 0 && this.client.upgradeAfterMs > 0) {
      this.upgradeTimer = this.client.timers.setTimeout(() => {
        if (run.stopped || this.done) return;
        run.upgrade = true;
        this.abort?.();
      }, this.client.upgradeAfterMs);
    }
  }

  /**
   * A WebSocket connection: `onOpen(ws)` once open, `onFrame(frame)` for each JSON frame (pongs
   * included). A ping every `pingEveryMs` that gets no frame back means a half-open socket (the
   * network went without a FIN): it is dropped and the connection counts as over.
   */
  _socket(run, url, { onOpen = () => {}, onFrame }) {
    return new Promise((resolve, reject) => {
      const timers = this.client.timers;
      let ws;
      try {
        ws = new this.client.WebSocketImpl(url);
      } catch (err) {
        reject(new Failure(String(err)));
        return;
      }
      let heard = true;
      let ping = null;
      const finish = (err) => {
        timers.clearTimeout(ping);
        ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
        this.socket = null;
        if (err) reject(err);
        else resolve();
      };
      const beat = () => {
        if (!heard) {
          ws.close(4000, "no pong");
          finish(run.live ? null : new Failure("no pong"));
          return;
        }
        heard = false;
        ws.send(JSON.stringify({ action: "ping" }));
        ping = timers.setTimeout(beat, this.client.pingEveryMs);
      };
      this.socket = ws;
      this.abort = () => ws.close(1000, "done"); // onclose follows
      ws.onopen = () => {
        ws.send(JSON.stringify({ action: "ping" })); // its pong proves the socket works
        onOpen(ws);
        ping = timers.setTimeout(beat, this.client.pingEveryMs);
      };
      ws.onmessage = (message) => {
        heard = true;
        if (run.stopped) return;
        let frame;
        try {
          frame = JSON.parse(message.data);
        } catch {
          return;
        }
        onFrame(frame);
      };
      ws.onclose = (close) => {
        if (close.code === CLOSE_UNAUTHENTICATED) finish(new Failure("signed out", { fatal: "unauthorized" }));
        else if (close.code === CLOSE_NOT_FOUND) finish(new Failure("no such job", { fatal: "not_found" }));
        else finish(run.live ? null : new Failure(`websocket closed (${close.code})`));
      };
      ws.onerror = () => {}; // onclose follows with the code
    });
  }

  /** A text/event-stream read with fetch(): `onMessage(event, data)` for each message. */
  async _stream(run, path, onMessage) {
    const controller = new AbortController();
    this.abort = () => controller.abort();
    const response = await this.client.fetch(path, { headers: { Accept: "text/event-stream" }, signal: controller.signal });
    if (!response.ok || !response.body) throw failureFor(response.status, "stream");
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const message of parser.feed(decoder.decode(value, { stream: true }))) {
          if (run.stopped || this.done) return;
          onMessage(message.event, JSON.parse(message.data));
        }
      }
    } catch (err) {
      if (this.done || run.upgrade) return;
      throw new Failure(`stream broke: ${err}`);
    }
  }

  /** Call `round()` every `pollEveryMs` until this connection is stopped. */
  async _pollEvery(round) {
    let stop = false;
    let wake = null;
    this.abort = () => {
      stop = true;
      wake?.();
    };
    while (!stop && !this.done) {
      await round();
      if (stop || this.done) return;
      await new Promise((resolve) => {
        wake = resolve;
        this.timer = this.client.timers.setTimeout(resolve, this.client.pollEveryMs);
      });
    }
  }
}

/** One job followed until its terminal event, reconnecting and falling back between transports. */
class Follow extends Connection {
  constructor(client, jobId, handlers) {
    super(client, handlers);
    this.jobId = jobId;
    this.gate = new SeqGate(handlers.after || 0);
    this.job = null;
    this.ended = false;
    this._connect();
  }

  get done() {
    return this.closed || this.ended;
  }

  /** A snapshot (each connection starts with one): the job as the server has it now. */
  _snapshot(job) {
    this.latest = job;
    if (!this.job || (job.seq || 0) >= (this.job.seq || 0)) this.job = { ...job };
    this.h.onSnapshot?.(job);
    if (isTerminal(job.status) && this.gate.last >= (job.seq || 0)) this._end(job);
  }

  /** Events from any transport, in any order and with repeats: each seq once, in order. */
  _events(events) {
    for (const incoming of events) {
      for (const event of this.gate.push(incoming)) {
        if (this.done) return;
        if (!this.job || event.seq > (this.job.seq || 0)) this.job = applyEvent(this.job || { id: this.jobId }, event);
        this.h.onEvent?.(event);
        if (isTerminal(event.event) && event.seq >= (this.latest?.seq || 0)) this._finish(event);
      }
    }
    if (this.gate.hasGap && !this.filling) this._fill();
  }

  /** Read the events a push skipped over from the log. */
  async _fill() {
    this.filling = true;
    try {
      const body = await this.client.json(`/api/jobs/${this.jobId}/events/?after=${this.gate.last}`);
      this._events(body.events);
    } catch {
      // the next connection's replay covers it
    } finally {
      this.filling = false;
    }
  }

  /** The terminal event arrived: fetch the final job (with its result or error) and end. */
  async _finish(event) {
    this.ended = true;
    this.abort?.();
    let job = { ...this.job };
    try {
      const fresh = await this.client.json(`/api/jobs/${this.jobId}/`);
      if ((fresh.seq || 0) >= event.seq) job = fresh;
    } catch {
      // keep what the events said
    }
    this._end(job);
  }

  _end(job) {
    if (this.endedWith) return;
    this.ended = true;
    this.endedWith = job;
    this.abort?.();
    this.h.onEnd?.(job);
    this.closed = true;
    this._stopTimers();
    this._state("closed");
  }

  _websocket(run) {
    return this._socket(run, `${this.client.wsBase()}/ws/jobs/${this.jobId}/?after=${this.gate.last}`, {
      onFrame: (frame) => {
        if (frame.type === "snapshot") {
          this._live(run);
          this._snapshot(frame.job);
        } else if (frame.type === "event") {
          this._events([frame]);
        }
      },
    });
  }

  _sse(run) {
    return this._stream(run, `/api/jobs/${this.jobId}/stream/?after=${this.gate.last}`, (type, data) => {
      if (type !== "snapshot") return this._events([data]);
      this._live(run);
      this._snapshot(data);
    });
  }

  async _polling(run) {
    const job = await this.client.json(`/api/jobs/${this.jobId}/`, { fatal: true });
    this._live(run);
    this._snapshot(job);
    await this._pollEvery(async () => {
      const body = await this.client.json(`/api/jobs/${this.jobId}/events/?after=${this.gate.last}`, { fatal: true });
      this._events(body.events);
    });
  }
}

/**
 * The user's feed: live events of all their jobs, each once and in seq order per job, over the
 * feed WebSocket (/ws/jobs/), the feed stream (/api/jobs/stream/) or polling. After every
 * (re)connection each unfinished job it knows (seen on the feed, or given with `track(job)`)
 * is caught up from its last seq: resubscribed with after=<seq> on the socket, read from
 * events/?after=<seq> otherwise.
 */
class Feed extends Connection {
  constructor(client, handlers) {
    super(client, handlers);
    this.jobs = new Map(); // job id -> {gate, ended, filling}
    this.resume = null; // how the live connection catches a job up
    this._connect();
  }

  /** The page shows `job` as of its snapshot: resume it from job.seq after each reconnect. */
  track(job) {
    if (!job?.id || this.jobs.has(job.id)) return;
    const entry = { gate: new SeqGate(job.seq || 0), ended: isTerminal(job.status) };
    this.jobs.set(job.id, entry);
    if (!entry.ended) this.resume?.(job.id, entry);
  }

  _entry(event) {
    let entry = this.jobs.get(event.job_id);
    if (!entry) { // first sight: from here the server sends this job's events in order
      entry = { gate: new SeqGate(event.seq - 1), ended: false };
      this.jobs.set(event.job_id, entry);
    }
    return entry;
  }

  _events(events) {
    for (const incoming of events) {
      const entry = this._entry(incoming);
      for (const event of entry.gate.push(incoming)) {
        if (this.closed) return;
        if (isTerminal(event.event)) entry.ended = true;
        else if (event.event === "pending" || event.event === "retry") entry.ended = false;
        this.h.onEvent?.(event);
      }
      if (entry.gate.hasGap) this._fill(incoming.job_id, entry);
    }
  }

  /** Read a job's events after its last seq from the log (a gap, a resume, a poll). */
  async _fill(jobId, entry, { strict = false } = {}) {
    if (entry.filling) return;
    entry.filling = true;
    try {
      const body = await this.client.json(`/api/jobs/${jobId}/events/?after=${entry.gate.last}`, { fatal: true });
      entry.filling = false;
      this._events(body.events);
    } catch (err) {
      if (err.fatal === "not_found") entry.ended = true; // deleted, or no longer visible
      else if (strict) throw err;
    } finally {
      entry.filling = false;
    }
  }

  _resumeAll() {
    for (const [jobId, entry] of this.jobs) if (!entry.ended) this.resume(jobId, entry);
  }

  _after(run, err) {
    this.resume = null;
    super._after(run, err);
  }

  _websocket(run) {
    return this._socket(run, `${this.client.wsBase()}/ws/jobs/`, {
      onOpen: (ws) => {
        this.resume = (jobId, entry) => ws.send(JSON.stringify({ action: "subscribe", job_id: jobId, after: entry.gate.last }));
        this._resumeAll();
      },
      onFrame: (frame) => {
        this._live(run);
        if (frame.type === "event") this._events([frame]);
        else if (frame.type === "subscribed" && this.jobs.get(frame.job_id)?.gate.hasGap) this._fill(frame.job_id, this.jobs.get(frame.job_id));
      },
    });
  }

  _sse(run) {
    return this._stream(run, "/api/jobs/stream/", (type, data) => {
      if (type !== "ready") return this._events([data]);
      this._live(run);
      this.resume = (jobId, entry) => this._fill(jobId, entry);
      this._resumeAll(); // after `ready`: the stream pushes everything newer
    });
  }

  async _polling(run) {
    await this.client.json("/api/jobs/", { fatal: true }); // reachable, and still signed in
    this._live(run);
    this.resume = (jobId, entry) => this._fill(jobId, entry);
    await this._pollEvery(async () => {
      const open = [...this.jobs].filter(([, entry]) => !entry.ended || entry.gate.hasGap);
      await Promise.all(open.map(([jobId, entry]) => this._fill(jobId, entry, { strict: true })));
      try {
        await this.h.onPoll?.();
      } catch {
        // the page's own reads: its business
      }
    });
  }
}

export class JobcastClient {
  /** @param {ClientOptions} [options] */
  constructor({
    transport = "auto", baseUrl = "", token = null,
    WebSocketImpl = globalThis.WebSocket, fetchImpl = globalThis.fetch?.bind(globalThis), timers = globalThis,
    random = Math.random, baseMs = 500, maxMs = 10000, pollEveryMs = 2000, failuresBeforeFallback = 3,
    pingEveryMs = 20000, upgradeAfterMs = 15000, connectTimeoutMs = 10000,
  } = {}) {
    if (!["auto", "websocket", "sse"].includes(transport)) throw new TypeError(`unknown transport ${JSON.stringify(transport)}`);
    Object.assign(this, { transport, baseUrl: baseUrl.replace(/\/$/, ""), token, WebSocketImpl, fetchImpl, timers,
      random, baseMs, maxMs, pollEveryMs, failuresBeforeFallback, pingEveryMs, upgradeAfterMs, connectTimeoutMs });
  }

  /**
   * Follow one job: a snapshot on each (re)connection, each event once in seq order, onEnd once.
   * @param {string} jobId
   * @param {FollowHandlers} [handlers]
   * @returns {{close(): void, readonly job: Job|null, readonly lastSeq: number, readonly transport: TransportName}}
   */
  follow(jobId, handlers = {}) {
    const follow = new Follow(this, jobId, handlers);
    return {
      close: () => follow.close(),
      get job() { return follow.job; },
      get lastSeq() { return follow.gate.last; },
      get transport() { return follow.transport; },
    };
  }

  /**
   * Live events of all the user's jobs (staff: every job), each once and in seq order per job,
   * over the same transports as follow(). `track(job)` tells it a job the page shows from a
   * snapshot, so that job is caught up from job.seq after every reconnect.
   * @param {FeedHandlers} [handlers]
   * @returns {FeedSubscription}
   */
  feed(handlers = {}) {
    const feed = new Feed(this, handlers);
    return {
      close: () => feed.close(),
      track: (job) => feed.track(job),
      lastSeq: (jobId) => feed.jobs.get(jobId)?.gate.last ?? null,
      get transport() { return feed.transport; },
    };
  }

  /** Transports in the order they are tried; a browser WebSocket cannot send a token header. */
  transportOrder() {
    if (this.transport === "websocket") return ["websocket"];
    if (this.transport === "sse") return ["sse"];
    const order = this.token || !this.WebSocketImpl ? ["sse", "polling"] : ["websocket", "sse", "polling"];
    return this.fetchImpl ? order : ["websocket"];
  }

  wsBase() {
    const base = this.baseUrl || globalThis.location?.origin || "";
    return base.replace(/^http/, "ws");
  }

  fetch(path, { headers = {}, signal } = {}) {
    const auth = this.token ? { Authorization: `Token ${this.token}` } : {};
    return this.fetchImpl(`${this.baseUrl}${path}`, { headers: { ...headers, ...auth }, signal,
      credentials: this.baseUrl ? "include" : "same-origin", cache: "no-store" });
  }

  async json(path, { fatal = false } = {}) {
    const response = await this.fetch(path, { headers: { Accept: "application/json" } });
    if (!response.ok) throw fatal ? failureFor(response.status, path) : new Failure(`${path} answered ${response.status}`);
    return response.json();
  }
}
