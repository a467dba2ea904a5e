// wiregate.js: the Wiregate client for browsers and Node 20+ (docs/protocol.md, version 1.6).
// One dependency-free ES module. Apache-2.0.

/** Close codes after which reconnecting is pointless: authentication failed, policy violation, message too big. */
const FINAL_CLOSE_CODES = new Set([4003, 1008, 1009]);

/** The query parameters that resume a session (docs/protocol.md section 9). */
const SESSION_PARAM = 'wiregate-session';
const OFFSET_PARAM = 'wiregate-offset';

/** The close code of an encryption handshake that failed, or of a frame that is not sealed right (section 12). */
const ENCRYPTION_CLOSE = 4004;

/** HKDF `info` of the key of each direction (docs/protocol.md section 12). */
const CLIENT_INFO = 'wiregate/1 client';
const SERVER_INFO = 'wiregate/1 server';

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
 * @param {boolean} [options.encryption=false] seal every frame after `connected` for this client alone
 *   (docs/protocol.md section 12: ECDH P-256, HKDF-SHA256, AES-256-GCM), with fresh keys on every connection;
 *   for gateways that require encryption, and only with `auth`
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
  // Encryption (docs/protocol.md section 12): the state of the current connection's seal, or null without the
  // option. A fresh one, with a fresh key pair, for every connection attempt.
  #seal = null;

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
    if (this.#options.encryption) {
      if (this.#options.auth === undefined) {
        throw new TypeError('options.encryption needs options.auth: the public key travels in the authenticate frame');
      }
      if (!globalThis.crypto?.subtle) {
        throw new TypeError('options.encryption needs WebCrypto (globalThis.crypto.subtle: Node 20+, or a browser page in a secure context)');
      }
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
    const seal = this.#options.encryption ? { socket, ...newSeal() } : null;
    this.#seal = seal;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      if (socket !== this.#socket) return;
      if (this.#options.auth !== undefined) this.#authenticate(socket);
      else this.#state = 'authenticating'; // the gateway sends `connected` by itself
    };
    socket.onmessage = (message) => {
      if (socket !== this.#socket || typeof message.data !== 'string') return;
      if (seal) this.#receivedSealed(socket, seal, message.data);
      else this.#received(message.data);
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
    const seal = this.#seal;
    if (seal && seal.socket === socket) {
      // The public key goes beside the credentials, in the clear like the rest of the first authenticate.
      if (credentials !== undefined && credentials !== null && (typeof credentials !== 'object' || Array.isArray(credentials))) {
        if (socket === this.#socket) socket.close(4000, 'encryption needs credentials that are an object');
        return;
      }
      try {
        seal.keyPair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
        const publicKey = base64url(new Uint8Array(await crypto.subtle.exportKey('raw', seal.keyPair.publicKey)));
        credentials = { ...(credentials ?? {}), publicKey };
      } catch (e) {
        if (socket === this.#socket) socket.close(4000, 'no key pair for the encryption');
        return;
      }
    }
    if (socket === this.#socket && socket.readyState === 1) {
      this.#write(socket, envelope('authenticate', credentials, undefined));
    }
  }

  /**
   * A text frame of a connection with encryption. Until `connected` frames are in the clear; `connected` must carry
   * the server's half of the handshake, and from it on every frame is sealed. Frames are opened one after the other
   * (WebCrypto is asynchronous), each with the next sequence number; one that does not open ends the connection.
   */
  #receivedSealed(socket, seal, text) {
    seal.inbound = seal.inbound.then(async () => {
      if (socket !== this.#socket) return;
      if (seal.receiveKey === null) {
        let frame;
        try {
          frame = JSON.parse(text);
        } catch {
          return; // not the protocol: ignored, as without encryption
        }
        if (frame !== null && typeof frame === 'object' && frame.event === 'connected') {
          try {
            await deriveKeys(seal, frame.data?.encryption);
          } catch (e) {
            this.#sealBroken(socket, 'no encryption in connected');
            return;
          }
          if (socket !== this.#socket) return;
        }
        this.#received(text);
        return;
      }
      let plain;
      try {
        plain = await openFrame(seal.receiveKey, seal.receiveSeq, text);
      } catch {
        this.#sealBroken(socket, 'a frame that does not open');
        return;
      }
      seal.receiveSeq++;
      if (socket === this.#socket) this.#received(plain);
    }).catch(() => { /* a bug in a step must not stop the frames after it */ });
  }

  /** Closes a connection whose encryption failed with 4004; for the client, it is a lost connection. */
  #sealBroken(socket, reason) {
    try { socket.close(ENCRYPTION_CLOSE, reason); } catch { /* already closing */ }
    if (socket === this.#socket) this.#dropped(ENCRYPTION_CLOSE, reason, true);
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
    const seal = this.#seal;
    if (seal && seal.socket === socket && seal.sendKey !== null) {
      // Sealed with the next sequence number now; sent once sealed, after every frame sealed before it.
      const sealed = sealFrame(seal.sendKey, seal.sendSeq++, text);
      sealed.catch(() => {}); // handled by the chain below, which may reach it later
      seal.outbound = seal.outbound
        .then(() => sealed)
        .then((frame) => { if (socket.readyState === 1) socket.send(frame); },
          () => this.#sealBroken(socket, 'a frame that could not be sealed'));
    } else {
      socket.send(text);
    }
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

// ------------------------------------------------------------------ encryption (docs/protocol.md section 12)

function newSeal() {
  return {
    keyPair: null,
    sendKey: null, // AES-GCM key of the frames this client sends (info `wiregate/1 client`)
    receiveKey: null, // of the frames the server sends (info `wiregate/1 server`)
    sendSeq: 0,
    receiveSeq: 0,
    outbound: Promise.resolve(),
    inbound: Promise.resolve(),
  };
}

/** Derives both keys from the client's key pair and `connected.encryption`; throws when there is no such handshake. */
async function deriveKeys(seal, encryption) {
  if (!seal.keyPair || encryption === null || typeof encryption !== 'object') throw new Error('no encryption');
  const serverKey = fromBase64url(encryption.publicKey);
  const salt = fromBase64url(encryption.salt);
  if (serverKey.length !== 65 || serverKey[0] !== 4) throw new Error('not an uncompressed P-256 point');
  const peer = await crypto.subtle.importKey('raw', serverKey, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: peer }, seal.keyPair.privateKey, 256);
  const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const key = (info, usage) => crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: new TextEncoder().encode(info) },
    ikm, { name: 'AES-GCM', length: 256 }, false, [usage]);
  const [sendKey, receiveKey] = await Promise.all([key(CLIENT_INFO, 'encrypt'), key(SERVER_INFO, 'decrypt')]);
  seal.sendKey = sendKey;
  seal.receiveKey = receiveKey;
  seal.keyPair = null; // ephemeral: not needed any more
}

/** The IV of sequence number `seq`: four zero bytes and `seq` as an unsigned 64-bit big-endian integer. */
function ivOf(seq) {
  const iv = new Uint8Array(12);
  new DataView(iv.buffer).setBigUint64(4, BigInt(seq));
  return iv;
}

/** `text` sealed: base64url of IV || AES-256-GCM ciphertext and tag. */
async function sealFrame(key, seq, text) {
  const iv = ivOf(seq);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(text)));
  const frame = new Uint8Array(12 + sealed.length);
  frame.set(iv);
  frame.set(sealed, 12);
  return base64url(frame);
}

/** The text of sealed frame `text`, which must carry sequence number `seq`; throws when it does not open. */
async function openFrame(key, seq, text) {
  const bytes = fromBase64url(text);
  if (bytes.length < 12 + 16) throw new Error('too short');
  const iv = ivOf(seq);
  for (let i = 0; i < 12; i++) if (bytes[i] !== iv[i]) throw new Error('another sequence number');
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, bytes.subarray(12));
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}

function base64url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Strict: base64url without padding only. */
function fromBase64url(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function envelope(event, data, id) {
  const frame = { event };
  if (data !== undefined) frame.data = data;
  if (id !== undefined) frame.id = id;
  return JSON.stringify(frame);
}
