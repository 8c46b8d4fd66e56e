// Jobcast's public JavaScript client: follow one job, or a user's feed, over WebSocket, SSE or polling.
//
//   import { JobcastClient } from "/static/jobcast/client.js";
//   const client = new JobcastClient({ transport: "auto" });
//   const sub = client.follow(jobId, { onSnapshot(job) {}, onEvent(event) {}, onEnd(job) {} });
//   sub.close();
//
// An ES module with no dependencies and no build step (docs/client.md). The guarantee: each event
// is delivered once, in seq order, across reconnects and transport changes, and onEnd is called
// once with the final job. The server numbers each job's events 1, 2, 3…; every transport resumes
// with after=<last seq delivered>, and a SeqGate drops repeats and holds early events.

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
 *   onConnection?: (state: ConnectionState, info: ConnectionInfo) => void}} FeedHandlers
 * @typedef {{transport?: "auto"|"websocket"|"sse", baseUrl?: string, token?: string|null,
 *   WebSocketImpl?: any, fetchImpl?: typeof fetch, timers?: {setTimeout: Function, clearTimeout: Function},
 *   random?: () => number, baseMs?: number, maxMs?: number, pollEveryMs?: number,
 *   failuresBeforeFallback?: number}} ClientOptions
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

/** One job followed until its terminal event, reconnecting and falling back between transports. */
class Follow {
  constructor(client, jobId, handlers) {
    this.client = client;
    this.jobId = jobId;
    this.h = handlers;
    this.gate = new SeqGate(handlers.after || 0);
    this.job = null;
    this.closed = false;
    this.ended = false;
    this.order = client.transportOrder();
    this.index = 0;
    this.failures = 0; // consecutive attempts that never became live
    this.attempt = 0;
    this.abort = null;
    this.timer = null;
    this._connect();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.client.timers.clearTimeout(this.timer);
    this.abort?.();
    this._state("closed");
  }

  get transport() {
    return this.order[Math.min(this.index, this.order.length - 1)];
  }

  _state(state, retryInMs = null) {
    this.h.onConnection?.(state, { transport: this.transport, retryInMs, attempt: this.attempt });
  }

  _connect() {
    if (this.closed) return;
    this._state(this.attempt === 0 ? "connecting" : "reconnecting");
    const run = { live: false, stopped: false };
    const transports = { websocket: () => this._websocket(run), sse: () => this._sse(run), polling: () => this._poll(run) };
    transports[this.transport]().then(
      () => this._after(run, null),
      (err) => this._after(run, err),
    );
  }

  /** A connection ended: stop, or come back after a backoff (on the next transport if this one keeps failing). */
  _after(run, err) {
    run.stopped = true;
    this.abort = null;
    if (this.closed || this.ended) return;
    if (err?.fatal) {
      this.closed = true;
      this._state(err.fatal);
      return;
    }
    this.failures = run.live ? 0 : this.failures + 1;
    if (this.failures >= this.client.failuresBeforeFallback && this.index < this.order.length - 1) {
      this.index += 1;
      this.failures = 0;
    }
    const delay = run.live && !err ? 0 : backoffDelay(this.attempt, this.client);
    this.attempt += 1;
    this._state("reconnecting", delay);
    this.timer = this.client.timers.setTimeout(() => this._connect(), delay);
  }

  _live(run) {
    if (!run.live) {
      run.live = true;
      this.attempt = 0;
      this._state("live");
    }
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
        if (this.ended || this.closed) return;
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
    this.client.timers.clearTimeout(this.timer);
    this._state("closed");
  }

  _websocket(run) {
    return new Promise((resolve, reject) => {
      const url = `${this.client.wsBase()}/ws/jobs/${this.jobId}/?after=${this.gate.last}`;
      let ws;
      try {
        ws = new this.client.WebSocketImpl(url);
      } catch (err) {
        reject(new Failure(String(err)));
        return;
      }
      this.abort = () => ws.close(1000, "done");
      ws.onmessage = (message) => {
        if (run.stopped) return;
        let frame;
        try {
          frame = JSON.parse(message.data);
        } catch {
          return;
        }
        if (frame.type === "snapshot") {
          this._live(run);
          this._snapshot(frame.job);
        } else if (frame.type === "event") {
          this._events([frame]);
        }
      };
      ws.onclose = (close) => {
        if (close.code === CLOSE_UNAUTHENTICATED) reject(new Failure("signed out", { fatal: "unauthorized" }));
        else if (close.code === CLOSE_NOT_FOUND) reject(new Failure("no such job", { fatal: "not_found" }));
        else if (run.live) resolve();
        else reject(new Failure(`websocket closed (${close.code})`));
      };
      ws.onerror = () => {}; // onclose follows with the code
    });
  }

  async _sse(run) {
    const controller = new AbortController();
    this.abort = () => controller.abort();
    const response = await this.client.fetch(`/api/jobs/${this.jobId}/stream/?after=${this.gate.last}`,
      { headers: { Accept: "text/event-stream" }, signal: controller.signal });
    if (response.status === 401 || response.status === 403) throw new Failure("signed out", { fatal: "unauthorized" });
    if (response.status === 404) throw new Failure("no such job", { fatal: "not_found" });
    if (!response.ok || !response.body) throw new Failure(`stream answered ${response.status}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const message of parser.feed(decoder.decode(value, { stream: true }))) {
          if (run.stopped || this.ended) return;
          const data = JSON.parse(message.data);
          if (message.event === "snapshot") {
            this._live(run);
            this._snapshot(data);
          } else {
            this._events([data]);
          }
        }
      }
    } catch (err) {
      if (this.ended || this.closed) return;
      throw new Failure(`stream broke: ${err}`);
    }
  }

  async _poll(run) {
    let stop = false;
    this.abort = () => { stop = true; };
    const job = await this.client.json(`/api/jobs/${this.jobId}/`, { fatal: true });
    this._live(run);
    this._snapshot(job);
    while (!stop && !this.ended && !this.closed) {
      const body = await this.client.json(`/api/jobs/${this.jobId}/events/?after=${this.gate.last}`, { fatal: true });
      this._events(body.events);
      if (this.ended || stop) return;
      await new Promise((resolve) => { this.timer = this.client.timers.setTimeout(resolve, this.client.pollEveryMs); });
    }
  }
}

/** The user's feed (/ws/jobs/): live events of all their jobs, resumed per job after a reconnect. */
class Feed {
  constructor(client, handlers) {
    this.client = client;
    this.h = handlers;
    this.gates = new Map();
    this.closed = false;
    this.attempt = 0;
    this.timer = null;
    this.ws = null;
    this._connect();
  }

  close() {
    this.closed = true;
    this.client.timers.clearTimeout(this.timer);
    this.ws?.close(1000, "done");
    this.h.onConnection?.("closed", { transport: "websocket", retryInMs: null, attempt: this.attempt });
  }

  _connect() {
    if (this.closed) return;
    const state = (s, retryInMs = null) => this.h.onConnection?.(s, { transport: "websocket", retryInMs, attempt: this.attempt });
    state(this.attempt === 0 ? "connecting" : "reconnecting");
    const ws = new this.client.WebSocketImpl(`${this.client.wsBase()}/ws/jobs/`);
    this.ws = ws;
    let live = false;
    ws.onopen = () => {
      live = true;
      this.attempt = 0;
      state("live");
      for (const [jobId, gate] of this.gates) {
        if (!gate.ended) ws.send(JSON.stringify({ action: "subscribe", job_id: jobId, after: gate.last }));
      }
    };
    ws.onmessage = (message) => {
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      if (frame.type !== "event") return;
      let gate = this.gates.get(frame.job_id);
      if (!gate) {
        gate = new SeqGate(frame.seq - 1); // first sight: the server sends a job's events in order
        this.gates.set(frame.job_id, gate);
      }
      for (const event of gate.push(frame)) {
        if (isTerminal(event.event)) gate.ended = true;
        else if (event.event === "pending") gate.ended = false;
        this.h.onEvent?.(event);
      }
    };
    ws.onclose = (close) => {
      this.ws = null;
      if (this.closed) return;
      if (close.code === CLOSE_UNAUTHENTICATED) {
        this.closed = true;
        state("unauthorized");
        return;
      }
      const delay = backoffDelay(live ? 0 : this.attempt, this.client);
      this.attempt += 1;
      state("reconnecting", delay);
      this.timer = this.client.timers.setTimeout(() => this._connect(), delay);
    };
  }
}

export class JobcastClient {
  /** @param {ClientOptions} [options] */
  constructor({
    transport = "auto", baseUrl = "", token = null,
    WebSocketImpl = globalThis.WebSocket, fetchImpl = globalThis.fetch?.bind(globalThis), timers = globalThis,
    random = Math.random, baseMs = 500, maxMs = 10000, pollEveryMs = 2000, failuresBeforeFallback = 3,
  } = {}) {
    if (!["auto", "websocket", "sse"].includes(transport)) throw new TypeError(`unknown transport ${JSON.stringify(transport)}`);
    Object.assign(this, { transport, baseUrl: baseUrl.replace(/\/$/, ""), token, WebSocketImpl, fetchImpl, timers,
      random, baseMs, maxMs, pollEveryMs, failuresBeforeFallback });
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
   * Live events of all the user's jobs (staff: every job) over the feed WebSocket.
   * @param {FeedHandlers} [handlers]
   * @returns {{close(): void}}
   */
  feed(handlers = {}) {
    const feed = new Feed(this, handlers);
    return { close: () => feed.close() };
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
    if (fatal && (response.status === 401 || response.status === 403)) throw new Failure("signed out", { fatal: "unauthorized" });
    if (fatal && response.status === 404) throw new Failure("no such job", { fatal: "not_found" });
    if (!response.ok) throw new Failure(`${path} answered ${response.status}`);
    return response.json();
  }
}
