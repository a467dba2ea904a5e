// wiregate.js: the Wiregate client for browsers and Node 20+ (docs/protocol.md, version 1.3).
// One dependency-free ES module. Apache-2.0.

/** Close codes after which reconnecting is pointless: authentication failed, policy violation, message too big. */
const FINAL_CLOSE_CODES = new Set([4003, 1008, 1009]);

/** The query parameters that resume a session (docs/protocol.md section 9). */
const SESSION_PARAM = 'wiregate-session';
const OFFSET_PARAM = 'wiregate-offset';

/** Events the client raises itself; a server event of one of these names is not delivered. */
const STATE_EVENTS = new Set(['connecting', 'connected', 'disconnected', 'reconnecting']);

const DEFAULTS = Object.freeze({
  heartbeatMs: 25000,
  requestTimeoutMs: 10000,
  bufferSize: 100,
  reconnect: Object.freeze({ minMs: 500, maxMs: 10000 }),
});

/**
 * A request or emit that failed. `code` is the protocol's error code (`validation`, `forbidden`, `internal`, ...,
 * docs/protocol.md section 5) or one of the client's own: `timeout` (no answer in time), `disconnected` (the
 * connection dropped before the answer), `closed` (the client was closed), `buffer_full` (too many frames waiting
 * for a connection).
 */
export class WiregateError extends Error {
  constructor(code, message, violations = []) {
    super(message);
    this.name = 'WiregateError';
    this.code = code;
    this.violations = violations;
  }
}

/**
 * Connects to a Wiregate gateway and keeps the connection up until `close()`.
 *
 * @param {string} url `ws://` or `wss://` address of the gateway, query parameters included
 * @param {object} [options]
 * @param {object|function} [options.auth] credentials sent as `authenticate` after every (re)connect, or a function
 *   (possibly async) returning them; leave out for gateways without in-band authentication
 * @param {number} [options.heartbeatMs=25000] the client sends something (a `heartbeat` if nothing else) at least
 *   this often while connected; 0 sends no heartbeats
 * @param {{minMs:number,maxMs:number}|false} [options.reconnect] jittered exponential backoff bounds; false: never
 * @param {number} [options.requestTimeoutMs=10000] default timeout of `request`, `join` and `leave`
 * @param {number} [options.bufferSize=100] frames kept while not connected; more are rejected with `buffer_full`
 * @param {function} [options.WebSocket] the WebSocket class, when there is no global one
 * @returns {WiregateClient}
 */
export function connect(url, options = {}) {
  return new WiregateClient(url, options);
}

export class WiregateClient {
  #url;
  #options;
  #WebSocket;
  #socket = null;
  #listeners = new Map();
  #pending = new Map(); // request id -> { resolve, reject, timer }
  #buffer = []; // frames (strings) waiting for a connection; requests keep their own timers
  #rooms = new Set(); // rooms joined by this client, re-joined after a reconnect
  #nextId = 1;
  #attempt = 0;
  #reconnectTimer = null;
  #heartbeatTimer = null;
  #lastSent = 0;
  #closedByUser = false;

  #state = 'connecting';
  #id = null;
  #userId = null;
  #recovered = false;
  // Connection state recovery (docs/protocol.md section 9): the token of the last `connected` and the offset of
  // the last recoverable event delivered to the application; both null on a gateway without recovery.
  #session = null;
  #offset = null;

  constructor(url, options = {}) {
    this.#url = url;
    this.#options = {
      ...DEFAULTS,
      ...options,
      reconnect: options.reconnect === false ? false : { ...DEFAULTS.reconnect, ...(options.reconnect || {}) },
    };
    this.#WebSocket = options.WebSocket || globalThis.WebSocket;
    if (typeof this.#WebSocket !== 'function') {
      throw new TypeError('No WebSocket class: pass one as options.WebSocket (on Node 20, run with --experimental-websocket or pass the ws package\'s class)');
    }
    queueMicrotask(() => this.#open());
  }

  /** `connecting`, `authenticating`, `connected`, `reconnecting` or `closed`. */
  get state() {
    return this.#state;
  }

  /** The client id of the current connection (`connected.id`), or null while not connected. */
  get id() {
    return this.#id;
  }

  /** The authenticated user id of the last `connected`, or null when anonymous or not yet connected. */
  get userId() {
    return this.#userId;
  }

  /**
   * Whether the last `connected` resumed the previous connection's session (docs/protocol.md section 9): same
   * client id and rooms, and the missed events delivered before any new one. False on a first connection, after a
   * failed resume (the application reloads its state then), and always on a gateway without recovery.
   */
  get recovered() {
    return this.#recovered;
  }

  /** The rooms this client asked to join (and was not refused), re-joined after every reconnect. */
  get rooms() {
    return [...this.#rooms];
  }

  /** Calls `fn(data)` for every server event `event`, or `fn(info)` for the client's state events. */
  on(event, fn) {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(fn);
    return this;
  }

  /** Stops calling `fn` for `event`. */
  off(event, fn) {
    this.#listeners.get(event)?.delete(fn);
    return this;
  }

  /**
   * Sends an event without waiting for an answer. While not connected, the frame waits for the connection.
   * @throws {WiregateError} `closed` after `close()`, `buffer_full` when `bufferSize` frames already wait
   */
  emit(event, data) {
    this.#send(envelope(event, data, undefined));
  }

  /**
   * Sends an event and resolves with the data of its reply (null for an `ack`). Rejects with a WiregateError:
   * the server's `error` (`code`, `message`, `violations`), `timeout`, `disconnected`, `closed` or `buffer_full`.
   */
  request(event, data, { timeoutMs = this.#options.requestTimeoutMs } = {}) {
    const id = String(this.#nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#buffer = this.#buffer.filter((f) => f.id !== id);
        reject(new WiregateError('timeout', `no answer to ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      try {
        this.#send(envelope(event, data, id), id);
      } catch (e) {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(e);
      }
    });
  }

  /** Joins rooms; resolves with the rooms the server accepted. Rejects as `request` does (`forbidden`, ...). */
  async join(...rooms) {
    const joined = await this.request('join', { rooms });
    for (const room of joined?.rooms ?? rooms) this.#rooms.add(room);
    return joined?.rooms ?? rooms;
  }

  /** Leaves rooms; resolves with the rooms the server confirmed. */
  async leave(...rooms) {
    for (const room of rooms) this.#rooms.delete(room);
    const left = await this.request('leave', { rooms });
    return left?.rooms ?? rooms;
  }

  /** Closes the connection (1000) for good: no reconnect; waiting requests and emits are rejected with `closed`. */
  close() {
    if (this.#closedByUser) return;
    this.#closedByUser = true;
    clearTimeout(this.#reconnectTimer);
    this.#stopHeartbeat();
    const socket = this.#socket;
    this.#socket = null;
    if (socket && socket.readyState <= 1) socket.close(1000);
    this.#failAll('closed', 'the client was closed');
    if (this.#state !== 'closed') {
      this.#state = 'closed';
      this.#raise('disconnected', { code: 1000, reason: 'closed by the client', willReconnect: false });
    }
  }

  #open() {
    if (this.#closedByUser) return;
    this.#state = 'connecting';
    this.#raise('connecting', { attempt: this.#attempt });
    let socket;
    try {
      // Only a reconnect of this client can hold a session: it resumes it (docs/protocol.md section 9).
      const url = this.#session !== null && this.#offset !== null
        ? resumeUrl(this.#url, this.#session, this.#offset)
        : this.#url;
      socket = new this.#WebSocket(url);
    } catch (e) {
      this.#dropped(1006, String(e && e.message || e), false);
      return;
    }
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      if (socket !== this.#socket) return;
      if (this.#options.auth !== undefined) this.#authenticate(socket);
      else this.#state = 'authenticating'; // the gateway sends `connected` by itself
    };
    socket.onmessage = (message) => {
      if (socket === this.#socket && typeof message.data === 'string') this.#received(message.data);
    };
    socket.onclose = (close) => {
      if (socket === this.#socket) this.#dropped(close.code, close.reason, opened);
    };
    socket.onerror = () => {
      // Browsers follow every error with a close event; some WebSocket implementations (Node 20's) do not when
      // the connection could not be made, or leave it late: the socket is given up here, and its close ignored.
      if (socket !== this.#socket) return;
      if (!opened) {
        this.#dropped(1006, 'the connection could not be made', false);
        return;
      }
      setTimeout(() => {
        if (socket !== this.#socket) return;
        try { socket.close(); } catch { /* already closing */ }
        this.#dropped(1006, 'the connection failed', true);
      }, 1000);
    };
  }

  async #authenticate(socket) {
    this.#state = 'authenticating';
    let credentials;
    try {
      credentials = typeof this.#options.auth === 'function' ? await this.#options.auth() : this.#options.auth;
    } catch (e) {
      if (socket === this.#socket) socket.close(4000, 'auth callback failed');
      return;
    }
    if (socket === this.#socket && socket.readyState === 1) {
      this.#write(socket, envelope('authenticate', credentials, undefined));
    }
  }

  #received(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return; // not the protocol: ignored
    }
    if (frame === null || typeof frame !== 'object' || typeof frame.event !== 'string') return;
    const { event, data } = frame;
    if (event === 'connected') {
      this.#connected(data || {});
      return;
    }
    if (frame.id !== undefined && frame.id !== null) {
      const waiting = this.#pending.get(String(frame.id));
      if (waiting) {
        this.#pending.delete(String(frame.id));
        clearTimeout(waiting.timer);
        if (event === 'error') {
          waiting.reject(new WiregateError(data?.code ?? 'internal', data?.message ?? 'error', data?.violations ?? []));
        } else {
          waiting.resolve(data === undefined ? null : data);
        }
        return;
      }
    }
    if (event === 'joined' && Array.isArray(data?.rooms)) {
      for (const room of data.rooms) this.#rooms.add(room); // the accepted part of a partly refused join
    }
    if (!STATE_EVENTS.has(event)) this.#raise(event, data === undefined ? null : data);
    // A recoverable event counts as delivered once its listeners returned (or threw: that is their bug). Listeners
    // run synchronously, and a reconnect happens in a later task, so a resume never asks for this event again, and
    // never skips one the application has not seen.
    if (typeof frame.offset === 'string') this.#offset = frame.offset;
  }

  #connected(data) {
    const socket = this.#socket;
    this.#state = 'connected';
    this.#attempt = 0;
    this.#id = data.id ?? null;
    this.#userId = data.userId ?? null;
    if (typeof data.session === 'string') {
      this.#session = data.session; // a new token on every connected: the previous one no longer works
      this.#offset = typeof data.offset === 'string' ? data.offset : null;
    } else {
      this.#session = null; // a gateway without recovery
      this.#offset = null;
    }
    this.#recovered = data.recovered === true && this.#session !== null;
    // A resumed session kept its rooms: only those the server does not list (none, normally) are joined again.
    const kept = this.#recovered && Array.isArray(data.rooms) ? new Set(data.rooms) : new Set();
    const rejoin = [...this.#rooms].filter((room) => !kept.has(room));
    if (rejoin.length > 0) {
      // Re-join before anything waiting is sent, so that its deliveries reach the rooms.
      const id = String(this.#nextId++);
      const rooms = rejoin;
      const refused = (e) => {
        // A room refused now (a guard changed its mind) is reported; a drop before the answer is retried anyway.
        if (e.code !== 'disconnected' && e.code !== 'closed') this.#raise('error', { code: e.code, message: e.message });
      };
      this.#pending.set(id, { resolve: () => {}, reject: refused, timer: null });
      this.#write(socket, envelope('join', { rooms }, id));
    }
    const waiting = this.#buffer;
    this.#buffer = [];
    for (const f of waiting) this.#write(socket, f.text);
    this.#startHeartbeat(socket);
    this.#raise('connected', data);
  }

  /** The socket closed or failed; `wasOpen` tells a lost connection from an attempt that never connected. */
  #dropped(code, reason, wasOpen) {
    this.#socket = null;
    this.#stopHeartbeat();
    this.#id = null;
    // Requests already sent will not be answered on another connection.
    for (const [id, waiting] of this.#pending) {
      if (!this.#buffer.some((f) => f.id === id)) {
        this.#pending.delete(id);
        clearTimeout(waiting.timer);
        waiting.reject(new WiregateError('disconnected', `the connection closed (${code}) before the answer`));
      }
    }
    if (this.#closedByUser) return;
    const retry = this.#options.reconnect !== false && !FINAL_CLOSE_CODES.has(code);
    if (wasOpen || !retry) this.#raise('disconnected', { code, reason: reason || '', willReconnect: retry });
    if (!retry) {
      this.#state = 'closed';
      this.#failAll('closed', `the connection closed with ${code}, which does not allow reconnecting`);
      return;
    }
    const { minMs, maxMs } = this.#options.reconnect;
    const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(this.#attempt, 30));
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.#attempt++;
    this.#state = 'reconnecting';
    this.#raise('reconnecting', { attempt: this.#attempt, delay, code });
    this.#reconnectTimer = setTimeout(() => this.#open(), delay);
  }

  #send(text, id) {
    if (this.#closedByUser || this.#state === 'closed') {
      throw new WiregateError('closed', 'the client is closed');
    }
    if (this.#state === 'connected' && this.#socket && this.#socket.readyState === 1) {
      this.#write(this.#socket, text);
      return;
    }
    if (this.#buffer.length >= this.#options.bufferSize) {
      throw new WiregateError('buffer_full', `${this.#options.bufferSize} frames already wait for the connection`);
    }
    this.#buffer.push({ text, id });
  }

  #write(socket, text) {
    socket.send(text);
    this.#lastSent = Date.now();
  }

  #startHeartbeat(socket) {
    const every = this.#options.heartbeatMs;
    if (!every) return;
    this.#heartbeatTimer = setInterval(() => {
      if (socket === this.#socket && socket.readyState === 1 && Date.now() - this.#lastSent >= every / 2) {
        this.#write(socket, '{"event":"heartbeat"}');
      }
    }, Math.max(1, Math.floor(every / 2)));
    this.#heartbeatTimer.unref?.();
  }

  #stopHeartbeat() {
    clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
  }

  #failAll(code, message) {
    for (const [, waiting] of this.#pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new WiregateError(code, message));
    }
    this.#pending.clear();
    this.#buffer = [];
  }

  #raise(event, data) {
    const fns = this.#listeners.get(event);
    if (!fns) return;
    for (const fn of [...fns]) {
      try {
        fn(data);
      } catch (e) {
        setTimeout(() => { throw e; }); // a listener's bug is reported, and does not stop the others
      }
    }
  }
}

/**
 * `url` with the query parameters that resume a session, in place of any it had already; the application's own
 * parameters, and their encoding, are kept as they were.
 */
function resumeUrl(url, session, offset) {
  const text = String(url);
  const hashAt = text.indexOf('#');
  const base = hashAt < 0 ? text : text.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : text.slice(hashAt);
  const queryAt = base.indexOf('?');
  const path = queryAt < 0 ? base : base.slice(0, queryAt);
  const params = queryAt < 0 ? [] : base.slice(queryAt + 1).split('&').filter((p) => {
    if (p === '') return false;
    const name = decodeParam(p.split('=', 1)[0]);
    return name !== SESSION_PARAM && name !== OFFSET_PARAM;
  });
  params.push(`${SESSION_PARAM}=${encodeURIComponent(session)}`, `${OFFSET_PARAM}=${encodeURIComponent(offset)}`);
  return `${path}?${params.join('&')}${hash}`;
}

function decodeParam(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function envelope(event, data, id) {
  const frame = { event };
  if (data !== undefined) frame.data = data;
  if (id !== undefined) frame.id = id;
  return JSON.stringify(frame);
}
