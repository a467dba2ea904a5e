// Black-box conformance suite for a Wiregate server: ../docs/protocol.md (wire protocol, version 1.6)
// and ../docs/conformance.md (the conformance application). The server under test is started with the
// shell command in WG_SERVER; options are passed as -Dkey=value, replacing {opts} when present
// and appended otherwise. Run: WG_SERVER="node reference-server.mjs" node --test conformance.test.mjs
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, accessSync, constants as fsc } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomUUID, randomBytes, createECDH, hkdfSync, createCipheriv, createDecipheriv } from 'node:crypto';
import WebSocket from 'ws';
import Redis from 'ioredis';

const WG_SERVER = process.env.WG_SERVER;
if (!WG_SERVER) throw new Error('set WG_SERVER to the shell command that starts the server under test');
const STARTUP_TIMEOUT = Number(process.env.WG_STARTUP_TIMEOUT_MS || 60000);
const LOG_DIR = process.env.WG_LOG_DIR || path.join(process.cwd(), 'logs');
const ALLOW_4003_HANDSHAKE = process.env.WG_HANDSHAKE_CLOSE_4003 === '1';
// WG_GROUPS=echo,secure,... runs only those groups (keys: echo maxsize secure timeouts pings guarded rooms recovery recovery-cluster refresh presence presence-cluster sealed shutdown slow cluster).
const GROUPS = process.env.WG_GROUPS ? new Set(process.env.WG_GROUPS.split(',').map((g) => g.trim())) : null;
function selected(key, otherSkip = false) {
  if (GROUPS && !GROUPS.has(key)) return { skip: `group ${key} not selected by WG_GROUPS` };
  return { skip: otherSkip };
}
const HOST = '127.0.0.1';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nonce = () => randomUUID().slice(0, 8);
const shq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

// ------------------------------------------------------------------ process management
const started = new Set(); // child processes (process-group leaders) still alive
process.on('exit', () => {
  for (const child of started) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  }
});
let serverSeq = 0;

/** Starts the server under test on port 0 and resolves once it printed LISTENING. */
async function startServer(name, options = {}) {
  const all = { 'wiregate.port': 0, ...options };
  const optStr = Object.entries(all).map(([k, v]) => shq(`-D${k}=${v}`)).join(' ');
  const cmd = WG_SERVER.includes('{opts}') ? WG_SERVER.split('{opts}').join(optStr) : `${WG_SERVER} ${optStr}`;
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `server-${++serverSeq}-${name}.log`);
  const logStream = createWriteStream(logFile);
  logStream.write(`$ ${cmd}\n`);
  const child = spawn('/bin/sh', ['-c', cmd], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  const closed = new Promise((resolve) => child.on('close', (code, signal) => { started.delete(child); resolve({ code, signal }); }));
  let tail = '';
  const keepTail = (chunk) => { tail = (tail + chunk.toString()).slice(-4000); logStream.write(chunk); };
  child.stderr.on('data', keepTail);
  const port = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${name}: no LISTENING line within ${STARTUP_TIMEOUT} ms; output tail:\n${tail}`)), STARTUP_TIMEOUT);
    child.stdout.on('data', (chunk) => {
      keepTail(chunk);
      buf += chunk.toString();
      const m = /LISTENING ws:\/\/[^\s:]+:(\d+)/.exec(buf);
      if (m) { clearTimeout(timer); buf = ''; resolve(Number(m[1])); }
    });
    closed.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`${name}: exited (${code ?? signal}) before LISTENING; output tail:\n${tail}`)); });
  }).catch(async (e) => { await killGroup(child, closed); throw e; });
  // keep draining stdout so the server never blocks on a full pipe
  return { name, port, child, closed, logFile, url: (p) => `ws://${HOST}:${port}${p}`, stop: () => killGroup(child, closed) };
}

async function killGroup(child, closed, graceMs = 10000) {
  if (!started.has(child)) return;
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
  const t = await Promise.race([closed, sleep(graceMs).then(() => 'timeout')]);
  if (t === 'timeout') {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    await Promise.race([closed, sleep(5000)]);
  }
}

// ------------------------------------------------------------------ WebSocket client helper
class Client {
  constructor(ws) {
    this.ws = ws;
    this.frames = [];     // parsed text frames, in arrival order
    this.raw = [];        // raw text of every frame (for leak checks)
    this.claimed = new Set();
    this.listeners = new Set();
    this.closeInfo = null;
    this.keepaliveTimer = null;
    this.pings = 0;       // WebSocket pings received (answered by ws itself unless autoPong is off)
    ws.on('ping', () => { this.pings++; });
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', (code, reason) => {
      clearInterval(this.keepaliveTimer);
      this.closeInfo = { code, reason: reason.toString() };
      for (const l of [...this.listeners]) l();
    });
    ws.on('error', () => { /* surfaced through close */ });
  }
  onMessage(data, isBinary) {
    const text = data.toString('utf8');
    this.raw.push(isBinary ? `<binary ${data.length}>` : text);
    let f;
    try { f = isBinary ? { binary: true } : JSON.parse(text); } catch { f = { unparseable: text }; }
    this.frames.push(f);
    for (const l of [...this.listeners]) l();
  }
  get open() { return this.ws.readyState === WebSocket.OPEN; }
  send(obj) { this.ws.send(typeof obj === 'string' || Buffer.isBuffer(obj) ? obj : JSON.stringify(obj)); }
  keepalive(ms = 3000) { this.keepaliveTimer = setInterval(() => { if (this.open) this.send({ event: 'heartbeat' }); }, ms); }
  /** Resolves with the first unclaimed frame matching pred (claims it); rejects after timeout. */
  waitFor(pred, timeout = 5000, what = 'frame') {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let i = 0; i < this.frames.length; i++) {
          if (!this.claimed.has(i) && pred(this.frames[i])) { this.claimed.add(i); done(); resolve(this.frames[i]); return true; }
        }
        if (this.closeInfo) { done(); reject(new Error(`connection closed (${this.closeInfo.code} ${this.closeInfo.reason}) while waiting for ${what}; got ${this.describe()}`)); return true; }
        return false;
      };
      const timer = setTimeout(() => { done(); reject(new Error(`timeout (${timeout} ms) waiting for ${what}; got ${this.describe()}`)); }, timeout);
      const done = () => { clearTimeout(timer); this.listeners.delete(check); };
      if (!check()) this.listeners.add(check);
    });
  }
  waitEvent(event, timeout = 5000, extra = () => true) { return this.waitFor((f) => f.event === event && extra(f), timeout, `event "${event}"`); }
  /** Sends a frame with a fresh id and resolves with the first frame that carries that id. */
  async request(event, data, timeout = 5000) {
    const id = `r-${nonce()}`;
    const frame = data === undefined ? { event, id } : { event, data, id };
    this.send(frame);
    return this.waitFor((f) => f.id === id, timeout, `answer to ${event} id=${id}`);
  }
  /** Echo round trip: proves the connection is open and served. */
  async ping(timeout = 5000) {
    const marker = nonce();
    const r = await this.request('echo', { ping: marker }, timeout);
    assert.equal(r.event, 'echo', `echo answered with ${JSON.stringify(r)}`);
    assert.deepEqual(r.data, { ping: marker });
  }
  reset() { this.frames.length = 0; this.raw.length = 0; this.claimed.clear(); }
  count(pred) { return this.frames.filter(pred).length; }
  matching(pred) { return this.frames.filter(pred); }
  waitClose(timeout = 5000) {
    if (this.closeInfo) return Promise.resolve(this.closeInfo);
    return new Promise((resolve, reject) => {
      const l = () => { if (this.closeInfo) { clearTimeout(timer); this.listeners.delete(l); resolve(this.closeInfo); } };
      const timer = setTimeout(() => { this.listeners.delete(l); reject(new Error(`connection not closed within ${timeout} ms; got ${this.describe()}`)); }, timeout);
      this.listeners.add(l);
    });
  }
  /** Asserts the server closes with `code`; a preceding `disconnect` event, if any, must carry the same code. */
  async expectClose(code, timeout = 5000) {
    const info = await this.waitClose(timeout);
    assert.equal(info.code, code, `expected close ${code}, got ${info.code} "${info.reason}"`);
    for (const d of this.matching((f) => f.event === 'disconnect')) {
      assert.equal(d.data?.code, code, `disconnect event announces ${JSON.stringify(d.data)} but close code is ${code}`);
    }
    return info;
  }
  describe() { const r = this.raw.slice(-5).map((s) => s.slice(0, 200)); return `${this.raw.length} frames, last: ${JSON.stringify(r)}`; }
  close() { clearInterval(this.keepaliveTimer); if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate(); }
}

/** Opens a WebSocket; resolves with a Client once open (does not wait for `connected`). */
function openWs(url, { headers = {}, timeout = 10000, autoPong = true, ClientClass = Client } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024, handshakeTimeout: timeout, autoPong });
    const client = new ClientClass(ws); // attach listeners before the first frame can arrive
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => { ws.terminate(); const e = new Error(`HTTP ${res.statusCode}`); e.status = res.statusCode; reject(e); });
    ws.once('error', (e) => reject(e));
  });
}
/** Opens a gateway without in-band auth and waits for `connected`. */
async function connect(server, p = '/echo', opts = {}) {
  const c = await openWs(server.url(p), opts);
  const f = await c.waitEvent('connected', 5000);
  c.id = f.data?.id;
  c.connected = f;
  return c;
}
/** Opens /secure and authenticates as `user`. */
async function connectSecure(server, user, { keepalive = true, autoPong = true } = {}) {
  const c = await openWs(server.url('/secure'), { autoPong });
  c.send({ event: 'authenticate', data: { token: `good-${user}` } });
  const f = await c.waitEvent('connected', 5000);
  c.id = f.data?.id;
  c.connected = f;
  if (keepalive) c.keepalive();
  return c;
}
/** Raw HTTP upgrade request; resolves with the status code of the response. */
function rawUpgrade(port, reqPath, extraHeaders = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, HOST);
    let buf = '';
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no HTTP response for ${reqPath} within 5 s`)); }, 5000);
    sock.on('connect', () => {
      const h = { Host: `${HOST}:${port}`, Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13', ...extraHeaders };
      sock.write(`GET ${reqPath} HTTP/1.1\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
    });
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(buf);
      if (m) { clearTimeout(timer); sock.destroy(); resolve(Number(m[1])); }
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('close', () => { clearTimeout(timer); if (!/^HTTP/.test(buf)) reject(new Error(`connection closed without HTTP response for ${reqPath}: ${JSON.stringify(buf)}`)); });
  });
}
/** A handshake refused with `status`; where allowed (WG_HANDSHAKE_CLOSE_4003=1), also a 4003 close before any frame. */
async function expectRefused(server, p, status, headers = {}) {
  const got = await rawUpgrade(server.port, p, headers);
  if (got === 101 && ALLOW_4003_HANDSHAKE) {
    const c = await openWs(server.url(p), { headers });
    const info = await c.waitClose(5000);
    assert.equal(info.code, 4003);
    assert.equal(c.count((f) => f.event !== 'disconnect'), 0, 'no frame other than disconnect before the 4003 close');
    return;
  }
  assert.equal(got, status, `handshake on ${p} answered HTTP ${got}, expected ${status}`);
}
const closeAll = (...cs) => cs.flat().forEach((c) => c && c.close());
const isErr = (code) => (f) => f.event === 'error' && f.data?.code === code;

// ==================================================================== /echo
describe('/echo gateway (PROTOCOL §1-§5, CONFORMANCE /echo)', selected('echo'), () => {
  let S;
  before(async () => { S = await startServer('echo'); });
  after(async () => { await S?.stop(); });

  test('§4 connected arrives first with id, userId null, time and rooms', async () => {
    const c = await openWs(S.url('/echo'));
    try {
      await c.waitEvent('connected');
      const f = c.frames[0];
      assert.equal(f.event, 'connected', 'the first frame must be connected');
      assert.equal(typeof f.data.id, 'string');
      assert.ok(f.data.id.length > 0, 'client id is a non-empty string');
      assert.ok(Object.hasOwn(f.data, 'userId') && f.data.userId === null, `userId must be null on /echo, got ${JSON.stringify(f.data.userId)}`);
      assert.equal(typeof f.data.time, 'number');
      assert.ok(Math.abs(f.data.time - Date.now()) < 60000, `time ${f.data.time} is epoch millis near now`);
      assert.ok(Array.isArray(f.data.rooms), 'rooms is an array');
    } finally { c.close(); }
  });

  test('§1 client ids are unique across 50 connections', async () => {
    const cs = await Promise.all(Array.from({ length: 50 }, () => connect(S)));
    try {
      const ids = cs.map((c) => c.id);
      assert.ok(ids.every((id) => typeof id === 'string' && id.length > 0));
      assert.equal(new Set(ids).size, 50, 'all 50 client ids differ');
    } finally { closeAll(cs); }
  });

  test('§3 echo replies with the same id (string and number) and data unchanged', async () => {
    const c = await connect(S);
    try {
      const data = { text: 'héllo ✓ 😀', n: 1.5, list: [1, 'two', null, { deep: true }], nested: { a: { b: [] } } };
      c.send({ event: 'echo', data, id: 'abc-1' });
      const r1 = await c.waitFor((f) => f.id === 'abc-1');
      assert.deepEqual(r1, { event: 'echo', data, id: 'abc-1' });
      c.send({ event: 'echo', data: 'str', id: 42 });
      const r2 = await c.waitFor((f) => f.id === 42);
      assert.equal(typeof r2.id, 'number', 'a number id comes back as a number');
      assert.deepEqual(r2, { event: 'echo', data: 'str', id: 42 });
      // unknown top-level fields are ignored
      c.send({ event: 'echo', data: [1, 2], id: 'x-extra', somethingElse: { ignored: true } });
      const r3 = await c.waitFor((f) => f.id === 'x-extra');
      assert.deepEqual(r3.data, [1, 2]);
      // absent data means null
      c.send({ event: 'echo', id: 'no-data' });
      const r4 = await c.waitFor((f) => f.id === 'no-data');
      assert.equal(r4.event, 'echo');
      assert.equal(r4.data ?? null, null);
    } finally { c.close(); }
  });

  test('§3 echo without id gets the reply without id', async () => {
    const c = await connect(S);
    try {
      const m = nonce();
      c.send({ event: 'echo', data: { m } });
      const r = await c.waitFor((f) => f.event === 'echo' && f.data?.m === m);
      assert.equal(r.id ?? null, null, 'no id on the reply to a frame without id');
    } finally { c.close(); }
  });

  test('§3 void: ack with the id only when the frame had one, nothing otherwise', async () => {
    const c = await connect(S);
    try {
      c.send({ event: 'void', data: { x: 1 } });
      c.send({ event: 'void', data: { x: 2 }, id: 'v-1' });
      const a = await c.waitFor((f) => f.id === 'v-1');
      assert.equal(a.event, 'ack');
      assert.equal(a.data ?? null, null, 'ack carries no data');
      await sleep(300);
      await c.ping();
      const others = c.frames.filter((f) => f.event !== 'connected' && f.event !== 'echo' && f.id !== 'v-1');
      assert.deepEqual(others, [], 'void without id is not answered');
    } finally { c.close(); }
  });

  test('§3 every frame with an id is answered exactly once', async () => {
    const c = await connect(S);
    try {
      const frames = [
        { event: 'echo', data: 1, id: 'e1' },
        { event: 'void', id: 'e2' },
        { event: 'validated', data: { text: 'ok', count: 1 }, id: 'e3' },
        { event: 'validated', data: { text: '', count: -1 }, id: 'e4' },
        { event: 'boom', id: 'e5' },
        { event: 'noSuchEvent', id: 'e6' },
        { event: 'echo', data: 7, id: 7 },
        { event: 'shout', data: { ignore: nonce() }, id: 'e8' },
        { event: 'room', data: { room: `r-${nonce()}`, data: 1 }, id: 'e9' },
      ];
      for (const f of frames) c.send(f);
      for (const f of frames) await c.waitFor((x) => x.id === f.id, 5000, `answer to ${f.event} id=${f.id}`);
      await sleep(500);
      await c.ping();
      for (const f of frames) {
        assert.equal(c.count((x) => x.id === f.id), 1, `exactly one answer for id ${f.id} (${f.event}): ${JSON.stringify(c.matching((x) => x.id === f.id))}`);
      }
      assert.equal(c.matching((x) => x.id === 'e1')[0].event, 'echo');
      assert.equal(c.matching((x) => x.id === 'e2')[0].event, 'ack');
      assert.equal(c.matching((x) => x.id === 'e3')[0].event, 'validated');
      assert.ok(isErr('validation')(c.matching((x) => x.id === 'e4')[0]));
      assert.ok(isErr('internal')(c.matching((x) => x.id === 'e5')[0]));
      assert.ok(isErr('unknown_event')(c.matching((x) => x.id === 'e6')[0]));
    } finally { c.close(); }
  });

  test('§7 shout reaches every client, sender included; shoutOthers excludes the sender', async () => {
    const [a, b, c] = await Promise.all([connect(S), connect(S), connect(S)]);
    try {
      const m1 = nonce();
      a.send({ event: 'shout', data: { m: m1 } });
      for (const x of [a, b, c]) {
        const f = await x.waitFor((f) => f.event === 'shout' && f.data?.m === m1);
        assert.equal(f.id ?? null, null, 'a broadcast delivery carries no id');
      }
      const m2 = nonce();
      a.send({ event: 'shoutOthers', data: { m: m2 } });
      await b.waitFor((f) => f.event === 'shout' && f.data?.m === m2);
      await c.waitFor((f) => f.event === 'shout' && f.data?.m === m2);
      await sleep(300);
      await a.ping();
      assert.equal(a.count((f) => f.data?.m === m2), 0, 'the sender of shoutOthers does not get it');
      for (const x of [a, b, c]) assert.equal(x.count((f) => f.data?.m === m1), 1, 'shout delivered exactly once');
    } finally { closeAll(a, b, c); }
  });

  test('§7 ordering: 200 shouts from one sender arrive in order at another client', async () => {
    const [a, b] = await Promise.all([connect(S), connect(S)]);
    try {
      const m = nonce();
      for (let i = 0; i < 200; i++) a.send({ event: 'shout', data: { m, seq: i } });
      await b.waitFor((f) => f.data?.m === m && f.data?.seq === 199, 10000, 'shout #199');
      const seqs = b.matching((f) => f.event === 'shout' && f.data?.m === m).map((f) => f.data.seq);
      assert.deepEqual(seqs, Array.from({ length: 200 }, (_, i) => i));
    } finally { closeAll(a, b); }
  });

  test('§4 every client is a member of the room named by its client id (room event)', async () => {
    const [a, b, c] = await Promise.all([connect(S), connect(S), connect(S)]);
    try {
      const m = nonce();
      a.send({ event: 'room', data: { room: b.id, data: { m } } });
      const f = await b.waitFor((f) => f.event === 'room' && f.data?.m === m);
      assert.deepEqual(f.data, { m });
      await sleep(300);
      await c.ping();
      assert.equal(c.count((f) => f.data?.m === m), 0, 'a non-member does not get the room delivery');
      assert.equal(a.count((f) => f.event === 'room' && f.data?.m === m), 0, 'the sender is not a member of b\'s room');
    } finally { closeAll(a, b, c); }
  });

  test('§5 validation: valid payload gets validated {ok:true}', async () => {
    const c = await connect(S);
    try {
      const r = await c.request('validated', { text: 'hello', count: 3 });
      assert.equal(r.event, 'validated');
      assert.deepEqual(r.data, { ok: true });
    } finally { c.close(); }
  });

  const violationCases = [
    ['blank text', { text: '   ', count: 1 }, ['text']],
    ['text longer than 10', { text: 'abcdefghijk', count: 1 }, ['text']],
    ['negative count', { text: 'ok', count: -1 }, ['count']],
    ['count of wrong JSON type (string)', { text: 'ok', count: 'seven' }, ['count']],
    ['text blank and count negative', { text: '', count: -5 }, ['count', 'text']],
  ];
  for (const [name, payload, paths] of violationCases) {
    test(`§5 validation error with violations: ${name}`, async () => {
      const c = await connect(S);
      try {
        const r = await c.request('validated', payload);
        assert.equal(r.event, 'error', JSON.stringify(r));
        assert.equal(r.data.code, 'validation');
        assert.equal(typeof r.data.message, 'string');
        assert.ok(Array.isArray(r.data.violations), 'violations is an array');
        for (const v of r.data.violations) {
          assert.equal(typeof v.path, 'string');
          assert.equal(typeof v.message, 'string');
          assert.ok(v.message.length > 0);
        }
        assert.deepEqual(r.data.violations.map((v) => v.path).sort(), paths, `one violation per bad property: ${JSON.stringify(r.data.violations)}`);
        await c.ping();
      } finally { c.close(); }
    });
  }

  test('§5 validation: payload of the wrong JSON type (array) is a validation error', async () => {
    const c = await connect(S);
    try {
      const r = await c.request('validated', ['not', 'an', 'object']);
      assert.ok(isErr('validation')(r), JSON.stringify(r));
      assert.ok(Array.isArray(r.data.violations));
      await c.ping();
    } finally { c.close(); }
  });

  test('§5 unknown_event for an event with no handler (with id), connection stays open', async () => {
    const c = await connect(S);
    try {
      const r = await c.request('noSuchHandler');
      assert.ok(isErr('unknown_event')(r), JSON.stringify(r));
      assert.equal(typeof r.data.message, 'string');
      await c.ping();
    } finally { c.close(); }
  });

  const badFrames = [
    ['not JSON', 'this is {not json'],
    ['a JSON array', '[{"event":"echo"}]'],
    ['a JSON string', '"echo"'],
    ['no event', JSON.stringify({ data: 1, id: 'bf-1' })],
    ['event of wrong type (number)', JSON.stringify({ event: 5, id: 'bf-2' })],
    ['empty event', JSON.stringify({ event: '' })],
    ['event with a forbidden character (space)', JSON.stringify({ event: 'echo me' })],
    ['event with a forbidden character (!)', JSON.stringify({ event: 'echo!' })],
    ['event of 129 characters', JSON.stringify({ event: 'e'.repeat(129) })],
    ['id of 65 characters', JSON.stringify({ event: 'echo', data: 1, id: 'i'.repeat(65) })],
    ['id of wrong type (object)', JSON.stringify({ event: 'echo', data: 1, id: { a: 1 } })],
    ['id of wrong type (boolean)', JSON.stringify({ event: 'echo', data: 1, id: true })],
  ];
  for (const [name, text] of badFrames) {
    test(`§5 bad_frame for ${name}; the connection stays open`, async () => {
      const c = await connect(S);
      try {
        c.send(text);
        const e = await c.waitEvent('error', 5000);
        assert.equal(e.data?.code, 'bad_frame', JSON.stringify(e));
        assert.equal(typeof e.data.message, 'string');
        await c.ping();
        assert.equal(c.count((f) => f.event === 'echo' && f.id !== undefined && f.data?.ping === undefined), 0, 'the bad frame was not handled');
      } finally { c.close(); }
    });
  }

  test('§2 boundaries: event of 128 characters and all allowed characters, id of 64 characters are accepted', async () => {
    const c = await connect(S);
    try {
      const e128 = 'E'.repeat(120) + 'a.b:c/_-';
      c.send({ event: e128, id: 'b-128' });
      const r = await c.waitFor((f) => f.id === 'b-128');
      assert.ok(isErr('unknown_event')(r), `a valid 128-char event name is not a bad frame: ${JSON.stringify(r)}`);
      const id64 = 'k'.repeat(64);
      c.send({ event: 'echo', data: 'x', id: id64 });
      const r2 = await c.waitFor((f) => f.id === id64);
      assert.deepEqual(r2, { event: 'echo', data: 'x', id: id64 });
    } finally { c.close(); }
  });

  test('§5 boom gives internal, and SECRET-DETAIL never reaches any client', async () => {
    const [c, bystander] = await Promise.all([connect(S), connect(S)]);
    try {
      const r = await c.request('boom', { any: 1 });
      assert.ok(isErr('internal')(r), JSON.stringify(r));
      c.send({ event: 'boom' });
      const r2 = await c.waitFor((f) => isErr('internal')(f) && f.id === undefined);
      for (const e of [r, r2]) {
        assert.equal(typeof e.data.message, 'string');
        assert.doesNotMatch(e.data.message, /\bat [\w$.]+\(|java\.|Exception:/, 'no class name or stack trace');
      }
      await c.ping();
      await bystander.ping();
      for (const x of [c, bystander]) {
        for (const raw of x.raw) assert.ok(!raw.includes('SECRET-DETAIL'), `leaked: ${raw}`);
      }
    } finally { closeAll(c, bystander); }
  });

  test('§2 binary frame gets error unsupported and the connection stays open', async () => {
    const c = await connect(S);
    try {
      c.send(Buffer.from([1, 2, 3, 4]));
      const e = await c.waitEvent('error');
      assert.equal(e.data?.code, 'unsupported', JSON.stringify(e));
      await c.ping();
    } finally { c.close(); }
  });

  test('§2 default maximum message size is 64 KiB: 60,000 bytes pass, 80,000 bytes close with 1009', async () => {
    const c = await connect(S);
    try {
      const big = 'a'.repeat(60000 - 40);
      const r = await c.request('echo', big, 10000);
      assert.equal(r.data, big);
      c.send(JSON.stringify({ event: 'echo', data: 'b'.repeat(80000) }));
      await c.expectClose(1009, 5000);
    } finally { c.close(); }
  });

  test('§1 an unknown path gets HTTP 404, never 101 (raw upgrade request)', async () => {
    assert.equal(await rawUpgrade(S.port, '/echo'), 101, 'positive control: /echo upgrades');
    assert.equal(await rawUpgrade(S.port, '/does-not-exist'), 404);
    assert.equal(await rawUpgrade(S.port, '/echo-not-a-gateway'), 404);
  });
});

// ==================================================================== size limit
describe('/echo maximum message size (PROTOCOL §2, §6; -Dwiregate.echo.max-message-bytes=1024)', selected('maxsize'), () => {
  let S;
  before(async () => { S = await startServer('maxsize', { 'wiregate.echo.max-message-bytes': 1024 }); });
  after(async () => { await S?.stop(); });

  test('§2/§6 a frame over the maximum closes with 1009; other clients are unaffected', async () => {
    const [big, other] = await Promise.all([connect(S), connect(S)]);
    try {
      const small = 'a'.repeat(900);
      const r = await big.request('echo', small);
      assert.equal(r.data, small, 'a frame under the limit is served');
      big.send(JSON.stringify({ event: 'echo', data: 'b'.repeat(2000), id: 'too-big' }));
      await big.expectClose(1009, 5000);
      assert.equal(big.count((f) => f.id === 'too-big'), 0, 'the oversized frame was not handled');
      await other.ping();
      const fresh = await connect(S);
      await fresh.ping();
      fresh.close();
    } finally { closeAll(big, other); }
  });

  test('§6 (1.1) a client still sending gets the 1009 close frame, after the answers to every frame before the large one (20 times)', async () => {
    for (let round = 0; round < 20; round++) {
      const c = await connect(S);
      try {
        // one synchronous burst: 200 answered frames, the oversized one, then more the server must discard
        for (let i = 0; i < 200; i++) c.send({ event: 'echo', data: i, id: `before-${i}` });
        c.send(JSON.stringify({ event: 'echo', data: 'b'.repeat(2000), id: 'too-big' }));
        for (let i = 0; i < 200; i++) c.send({ event: 'echo', data: i, id: `after-${i}` });
        await c.expectClose(1009, 5000); // 1006 would mean the connection was dropped without the close frame
        const answered = c.count((f) => typeof f.id === 'string' && f.id.startsWith('before-'));
        assert.equal(answered, 200, `round ${round}: answers to the frames before the large one; got ${c.describe()}`);
      } finally { c.close(); }
    }
  });
});

// ==================================================================== /secure
describe('/secure gateway (PROTOCOL §4, §6, §7; CONFORMANCE /secure)', selected('secure'), () => {
  let S;
  before(async () => { S = await startServer('secure'); });
  after(async () => { await S?.stop(); });

  test('§5 an application event before authenticate gets unauthorized; authenticating afterwards works', async () => {
    const c = await openWs(S.url('/secure'));
    try {
      const r = await c.request('whoami');
      assert.ok(isErr('unauthorized')(r), JSON.stringify(r));
      const r2 = await c.request('toAll', { event: 'nope', data: 1 });
      assert.ok(isErr('unauthorized')(r2), JSON.stringify(r2));
      assert.equal(c.count((f) => f.event === 'connected'), 0, 'not connected before authentication');
      c.send({ event: 'authenticate', data: { token: 'good-zoe' } });
      const con = await c.waitEvent('connected');
      assert.equal(con.data.userId, 'zoe');
    } finally { c.close(); }
  });

  test('§4 a good token gives connected with userId (nothing but connected first); whoami', async () => {
    const c = await openWs(S.url('/secure'));
    try {
      c.send({ event: 'authenticate', data: { token: 'good-alice' } });
      const con = await c.waitEvent('connected');
      assert.equal(c.frames[0].event, 'connected', 'connected is the first frame');
      assert.equal(con.data.userId, 'alice');
      assert.equal(typeof con.data.id, 'string');
      assert.ok(con.data.id.length > 0);
      assert.equal(typeof con.data.time, 'number');
      assert.ok(Array.isArray(con.data.rooms));
      const w = await c.request('whoami');
      assert.equal(w.event, 'whoami');
      assert.deepEqual(w.data, { userId: 'alice', clientId: con.data.id });
    } finally { c.close(); }
  });

  test('§6 a bad token closes with 4003 (no connected)', async () => {
    for (const data of [{ token: 'bad-alice' }, { token: 'good' }, {}]) {
      const c = await openWs(S.url('/secure'));
      try {
        c.send({ event: 'authenticate', data });
        await c.expectClose(4003, 5000);
        assert.equal(c.count((f) => f.event === 'connected'), 0, `no connected for ${JSON.stringify(data)}`);
      } finally { c.close(); }
    }
  });

  test('§7 unauthenticated clients do not receive toAll; authenticated ones (sender included) do, once', async () => {
    const [a, b] = await Promise.all([connectSecure(S, 'ann'), connectSecure(S, 'bob')]);
    const u = await openWs(S.url('/secure'));
    try {
      const m = nonce();
      const r = await a.request('toAll', { event: 'news', data: { m } });
      assert.notEqual(r.event, 'error', JSON.stringify(r));
      await a.waitFor((f) => f.event === 'news' && f.data?.m === m);
      await b.waitFor((f) => f.event === 'news' && f.data?.m === m);
      await sleep(500);
      assert.equal(u.count((f) => f.data?.m === m), 0, 'an unauthenticated client got the broadcast');
      assert.equal(u.count((f) => f.event !== 'error' && f.event !== 'disconnect'), 0, 'nothing but errors before authentication');
      for (const x of [a, b]) assert.equal(x.count((f) => f.data?.m === m), 1);
    } finally { closeAll(a, b, u); }
  });

  test('§7 toUser reaches every session of that user and no one else', async () => {
    const [u1, u2, other, sender] = await Promise.all([connectSecure(S, 'carol'), connectSecure(S, 'carol'), connectSecure(S, 'dave'), connectSecure(S, 'erin')]);
    try {
      assert.notEqual(u1.id, u2.id, 'two sessions of one user have different client ids');
      const m = nonce();
      await sender.request('toUser', { userId: 'carol', event: 'dm', data: { m } });
      await u1.waitFor((f) => f.event === 'dm' && f.data?.m === m);
      await u2.waitFor((f) => f.event === 'dm' && f.data?.m === m);
      await sleep(400);
      assert.equal(other.count((f) => f.data?.m === m), 0);
      assert.equal(sender.count((f) => f.data?.m === m), 0);
      assert.equal(u1.count((f) => f.data?.m === m), 1);
      assert.equal(u2.count((f) => f.data?.m === m), 1);
    } finally { closeAll(u1, u2, other, sender); }
  });

  test('§4/§7 join/leave answered with joined/left; toRoom honours exclude; after leave no more room deliveries', async () => {
    const [a, b, c, d] = await Promise.all(['ann', 'bob', 'cat', 'dan'].map((u) => connectSecure(S, u)));
    const room = `lobby-${nonce()}`;
    try {
      for (const x of [a, b, c]) {
        const j = await x.request('join', { rooms: [room] });
        assert.equal(j.event, 'joined', JSON.stringify(j));
        assert.deepEqual(j.data, { rooms: [room] });
      }
      const m1 = nonce();
      await a.request('toRoom', { room, event: 'roomMsg', data: { m: m1 }, exclude: [b.id] });
      await a.waitFor((f) => f.event === 'roomMsg' && f.data?.m === m1);
      await c.waitFor((f) => f.event === 'roomMsg' && f.data?.m === m1);
      await sleep(400);
      assert.equal(b.count((f) => f.data?.m === m1), 0, 'an excluded member got the room delivery');
      assert.equal(d.count((f) => f.data?.m === m1), 0, 'a non-member got the room delivery');
      assert.equal(c.count((f) => f.data?.m === m1), 1);

      const l = await c.request('leave', { rooms: [room] });
      assert.equal(l.event, 'left', JSON.stringify(l));
      assert.deepEqual(l.data, { rooms: [room] });
      const m2 = nonce();
      await d.request('toRoom', { room, event: 'roomMsg', data: { m: m2 } });
      await a.waitFor((f) => f.data?.m === m2);
      await b.waitFor((f) => f.data?.m === m2);
      await sleep(400);
      assert.equal(c.count((f) => f.data?.m === m2), 0, 'a client that left still got the room delivery');
      assert.equal(d.count((f) => f.data?.m === m2), 0);
    } finally { closeAll(a, b, c, d); }
  });

  test('§4 join of private-x is refused with forbidden naming the room; no deliveries for it', async () => {
    const [a, b] = await Promise.all([connectSecure(S, 'ann'), connectSecure(S, 'bob')]);
    try {
      a.send({ event: 'join', data: { rooms: ['private-x'] } });
      const e = await a.waitFor(isErr('forbidden'), 5000, 'error forbidden');
      assert.match(e.data.message, /private-x/, 'the forbidden error names the refused room');
      await sleep(200);
      const m = nonce();
      await b.request('toRoom', { room: 'private-x', event: 'secret', data: { m } });
      await sleep(400);
      await a.request('whoami');
      assert.equal(a.count((f) => f.data?.m === m), 0, 'a refused room delivered to the client');
    } finally { closeAll(a, b); }
  });

  test('§7 toClient reaches that client only; §4 the own-id room reaches that client only', async () => {
    const [a, b, c] = await Promise.all([connectSecure(S, 'ann'), connectSecure(S, 'ann'), connectSecure(S, 'cat')]);
    try {
      const m = nonce();
      await a.request('toClient', { clientId: c.id, event: 'direct', data: { m } });
      const f = await c.waitFor((f) => f.event === 'direct' && f.data?.m === m);
      assert.deepEqual(f.data, { m });
      const m2 = nonce();
      await a.request('toRoom', { room: b.id, event: 'direct', data: { m: m2 } });
      await b.waitFor((f) => f.event === 'direct' && f.data?.m === m2);
      await sleep(400);
      assert.equal(a.count((f) => f.data?.m === m || f.data?.m === m2), 0);
      assert.equal(b.count((f) => f.data?.m === m), 0);
      assert.equal(c.count((f) => f.data?.m === m2), 0);
      assert.equal(c.count((f) => f.data?.m === m), 1);
    } finally { closeAll(a, b, c); }
  });
});

// ==================================================================== /secure timeouts
describe('/secure timeouts (PROTOCOL §6 4001/4002; auth-timeout-ms=500, heartbeat-timeout-ms=800)', selected('timeouts'), () => {
  let S;
  before(async () => { S = await startServer('secure-timeouts', { 'wiregate.secure.auth-timeout-ms': 500, 'wiregate.secure.heartbeat-timeout-ms': 800 }); });
  after(async () => { await S?.stop(); });

  test('§6 no authenticate within the auth timeout closes with 4001 (within 3.5 s)', async () => {
    const c = await openWs(S.url('/secure'));
    try {
      const t0 = Date.now();
      await c.expectClose(4001, 3500);
      assert.ok(Date.now() - t0 >= 300, `closed after ${Date.now() - t0} ms, before the 500 ms auth timeout`);
      assert.equal(c.count((f) => f.event === 'connected'), 0);
    } finally { c.close(); }
  });

  test('§6 a silent authenticated client is closed with 4002 (within 4 s)', async () => {
    const c = await connectSecure(S, 'quiet', { keepalive: false });
    try {
      const t0 = Date.now();
      await c.expectClose(4002, 4000);
      assert.ok(Date.now() - t0 >= 400, `closed after ${Date.now() - t0} ms, before the 800 ms heartbeat timeout`);
    } finally { c.close(); }
  });

  test('§4/§6 a client sending heartbeat every 200 ms survives 2 s, gets no reply to heartbeats', async () => {
    const c = await connectSecure(S, 'beater', { keepalive: false });
    try {
      const before = c.frames.length;
      const timer = setInterval(() => { if (c.open) c.send({ event: 'heartbeat' }); }, 200);
      await sleep(2000);
      clearInterval(timer);
      assert.equal(c.closeInfo, null, `closed: ${JSON.stringify(c.closeInfo)}`);
      assert.equal(c.frames.length, before, `heartbeat is not answered: ${c.describe()}`);
      const w = await c.request('whoami');
      assert.equal(w.data?.userId, 'beater');
    } finally { c.close(); }
  });
});

describe('/secure server pings (PROTOCOL 1.1 §6; heartbeat-timeout-ms=800, ping-interval-ms=200)', selected('pings'), () => {
  let S;
  before(async () => { S = await startServer('secure-pings', { 'wiregate.secure.heartbeat-timeout-ms': 800, 'wiregate.secure.ping-interval-ms': 200 }); });
  after(async () => { await S?.stop(); });

  test('§6 a client that only listens (answering pings with pongs) stays connected past the heartbeat timeout', async () => {
    const c = await connectSecure(S, 'listener', { keepalive: false });
    try {
      await sleep(2400); // three heartbeat timeouts without a frame from the client but pongs
      assert.equal(c.closeInfo, null, `closed: ${JSON.stringify(c.closeInfo)}`);
      assert.ok(c.pings >= 2, `the server pinged ${c.pings} times`);
      const w = await c.request('whoami');
      assert.equal(w.data?.userId, 'listener');
    } finally { c.close(); }
  });

  test('§6 a client that does not answer pings is pinged and still closed with 4002 (within 4 s)', async () => {
    const c = await connectSecure(S, 'deaf', { keepalive: false, autoPong: false });
    try {
      await c.expectClose(4002, 4000);
      assert.ok(c.pings >= 1, `the server pinged ${c.pings} times`);
    } finally { c.close(); }
  });
});

// ==================================================================== /guarded
describe('/guarded gateway (PROTOCOL §1 handshake guard; CONFORMANCE /guarded)', selected('guarded'), () => {
  let S;
  before(async () => { S = await startServer('guarded'); });
  after(async () => { await S?.stop(); });

  test('§1 no token, or a bad token: HTTP 401 before any upgrade', async () => {
    await expectRefused(S, '/guarded', 401);
    await expectRefused(S, '/guarded?token=bad-alice', 401);
  });

  test('§1 a good token opens; connected carries the userId; whoami', async () => {
    for (const headers of [{}, { Origin: 'http://localhost' }, { Origin: 'http://127.0.0.1' }]) {
      const c = await openWs(S.url('/guarded?token=good-gina'), { headers });
      try {
        const con = await c.waitEvent('connected');
        assert.equal(c.frames[0].event, 'connected');
        assert.equal(con.data.userId, 'gina');
        const w = await c.request('whoami');
        assert.deepEqual(w.data, { userId: 'gina', clientId: con.data.id });
      } finally { c.close(); }
    }
  });

  test('§1 a foreign Origin gets HTTP 403 even with a good token', async () => {
    await expectRefused(S, '/guarded?token=good-gina', 403, { Origin: 'http://evil.example' });
    await expectRefused(S, '/guarded?token=good-gina', 403, { Origin: 'http://localhost.evil.example' });
  });
});

// ==================================================================== /rooms/{roomId}
describe('/rooms/{roomId} gateway (PROTOCOL §1 path parameters; CONFORMANCE /rooms)', selected('rooms'), () => {
  let S;
  before(async () => { S = await startServer('rooms'); });
  after(async () => { await S?.stop(); });

  test('§1/§7 say in /rooms/a reaches both clients of room a and not room b', async () => {
    const [a1, a2, b1] = await Promise.all([connect(S, '/rooms/a'), connect(S, '/rooms/a'), connect(S, '/rooms/b')]);
    try {
      const m = nonce();
      a1.send({ event: 'say', data: { m } });
      for (const x of [a1, a2]) {
        const f = await x.waitFor((f) => f.event === 'said' && f.data?.data?.m === m);
        assert.deepEqual(f.data, { roomId: 'a', data: { m } });
      }
      const m2 = nonce();
      b1.send({ event: 'say', data: { m: m2 } });
      const f = await b1.waitFor((f) => f.event === 'said' && f.data?.data?.m === m2);
      assert.equal(f.data.roomId, 'b');
      await sleep(400);
      assert.equal(b1.count((f) => f.data?.data?.m === m), 0, 'room b got room a\'s message');
      assert.equal(a1.count((f) => f.data?.data?.m === m2) + a2.count((f) => f.data?.data?.m === m2), 0, 'room a got room b\'s message');
      assert.equal(a2.count((f) => f.data?.data?.m === m), 1);
    } finally { closeAll(a1, a2, b1); }
  });
});

// ==================================================================== /recovery (protocol 1.2)
const SESSION_RE = /^[A-Za-z0-9_-]{22,128}$/;
const OFFSET_RE = /^[A-Za-z0-9_.:-]{1,128}$/;
const range = (from, to) => Array.from({ length: to - from }, (_, i) => from + i);
const assertSession = (t, what = 'session') => assert.ok(typeof t === 'string' && SESSION_RE.test(t), `${what} is 22 to 128 characters of [A-Za-z0-9_-]: ${JSON.stringify(t)}`);
const assertOffset = (o, what = 'offset') => assert.ok(typeof o === 'string' && OFFSET_RE.test(o), `${what} is a string of at most 128 characters of [A-Za-z0-9_.:-]: ${JSON.stringify(o)}`);
const assertNoOffset = (f, what) => assert.ok(!Object.hasOwn(f, 'offset'), `${what} carries no offset member: ${JSON.stringify(f)}`);
/** Opens /recovery as `user` (handshake token good-USER), resuming { session, offset } when given; waits for connected. */
async function connectRecovery(server, user, resume = {}) {
  const q = [`token=${encodeURIComponent(`good-${user}`)}`];
  if (resume.session !== undefined) q.push(`wiregate-session=${encodeURIComponent(resume.session)}`);
  if (resume.offset !== undefined) q.push(`wiregate-offset=${encodeURIComponent(resume.offset)}`);
  const c = await connect(server, `/recovery?${q.join('&')}`);
  assert.equal(c.frames[0].event, 'connected', `connected is the first frame: ${c.describe()}`);
  return c;
}
/** The last offset a client received: from its last recoverable event, else from connected. */
function lastOffset(c) {
  for (let i = c.frames.length - 1; i >= 0; i--) if (typeof c.frames[i].offset === 'string') return c.frames[i].offset;
  return c.connected.data.offset;
}
/** Loses a connection as a network failure does: the TCP socket is destroyed, no close frame is sent. */
async function drop(c) {
  c.ws._socket.destroy();
  await c.waitClose(5000);
}
/** Rejects with a timeout error unless `promise` settles within `ms`. */
function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timeout (${ms} ms) waiting for ${what}`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
/** A new event to `c` from `sender`, awaited: every event replayed to c was sent before it (§9). */
async function marker(sender, c, m) {
  await sender.request('toClient', { clientId: c.id, event: 'marker', data: { m } });
  await c.waitFor((f) => f.event === 'marker' && f.data?.m === m, 5000, 'marker');
}
/** Asserts a connected that did not recover: a fresh session, not `old`'s. */
function assertNotRecovered(c, user, old, room) {
  const d = c.connected.data;
  assert.equal(d.recovered, false, `expected recovered:false, got ${JSON.stringify(d)}`);
  assert.equal(d.userId, user);
  assert.equal(typeof d.id, 'string');
  assert.notEqual(d.id, old.id, 'a session that is not recovered gets a new client id');
  assert.ok(Array.isArray(d.rooms) && !d.rooms.includes(room), `a fresh session is not in the old session's room: ${JSON.stringify(d.rooms)}`);
  assertSession(d.session);
  assert.notEqual(d.session, old.connected.data.session, 'a fresh session gets a new token');
  assertOffset(d.offset);
}

/**
 * `user`'s client of a fresh room: joined, its last offset remembered, then dropped (no close frame).
 * `resume` is what it presents to come back.
 */
async function awayFromARoom(server, user = `u${nonce()}`) {
  const room = `r-${nonce()}`;
  const a = await connectRecovery(server, user);
  try {
    assert.equal((await a.request('join', { rooms: [room] })).event, 'joined');
    const presented = lastOffset(a);
    await drop(a);
    return { user, room, a, presented, resume: { session: a.connected.data.session, offset: presented } };
  } catch (e) { closeAll(a); throw e; }
}

const RECOVERY_OPTIONS = { 'wiregate.recovery.recovery-window-ms': 3000, 'wiregate.recovery.recovery-max-events': 100 };
/**
 * The recovery group runs twice: on one server (group `recovery`), and on two servers sharing a Redis (group
 * `recovery-cluster`, PROTOCOL 1.4 §9 on several nodes), where every new connection goes to the other node than the
 * one before, so that sessions resume across nodes and deliveries cross them.
 */
const RECOVERY_MODES = [
  { group: 'recovery', label: 'one server', skip: false, start: () => startServer('recovery', RECOVERY_OPTIONS) },
  {
    group: 'recovery-cluster',
    label: 'two servers through Redis',
    skip: findRedis() ? false : 'no redis-server binary found (install Debian package redis-server, or set WG_REDIS_SERVER)',
    start: async () => {
      const redisPort = await freePort();
      const redis = await startRedis(redisPort);
      const opts = { ...RECOVERY_OPTIONS, 'wiregate.redis.address': `redis://${HOST}:${redisPort}` };
      let nodes;
      try {
        nodes = await Promise.all([startServer('recovery-a', opts), startServer('recovery-b', opts)]);
      } catch (e) { await redis.stop(); throw e; }
      let turn = 0;
      return {
        name: 'recovery-cluster',
        url: (p) => nodes[turn++ % 2].url(p),
        get port() { return nodes[turn++ % 2].port; },
        stop: async () => { await Promise.all(nodes.map((n) => n.stop())); await redis.stop(); },
      };
    },
  },
];

for (const mode of RECOVERY_MODES) describe(`/recovery connection state recovery (PROTOCOL 1.2 §9; recovery-window-ms=3000, recovery-max-events=100; ${mode.label})`, selected(mode.group, mode.skip), () => {
  let S;
  before(async () => { S = await mode.start(); });
  after(async () => { await S?.stop(); });

  test('§9 a fresh connect gets connected with a session token, an offset and recovered:false; /echo (no recovery) carries none of them', async () => {
    const user = `u${nonce()}`;
    const [a, a2] = await Promise.all([connectRecovery(S, user), connectRecovery(S, user)]);
    const d = a.connected.data;
    const e1 = await connect(S, '/echo');
    const e2 = await connect(S, `/echo?wiregate-session=${encodeURIComponent(d.session)}&wiregate-offset=${encodeURIComponent(d.offset)}`);
    try {
      for (const c of [a, a2]) {
        const x = c.connected.data;
        assert.equal(typeof x.id, 'string');
        assert.ok(x.id.length > 0, 'client id is a non-empty string');
        assert.equal(x.userId, user);
        assert.equal(typeof x.time, 'number');
        assert.ok(Array.isArray(x.rooms), 'rooms is an array');
        assert.equal(x.recovered, false, 'a connect without resume parameters is not recovered');
        assertSession(x.session);
        assertOffset(x.offset);
        assertNoOffset(c.connected, 'connected (its offset is in data)');
      }
      assert.notEqual(a.id, a2.id);
      assert.notEqual(d.session, a2.connected.data.session, 'two sessions get different tokens');
      for (const c of [e1, e2]) {
        for (const k of ['session', 'offset', 'recovered']) assert.ok(!Object.hasOwn(c.connected.data, k), `/echo connected carries no ${k}: ${JSON.stringify(c.connected)}`);
        assertNoOffset(c.connected, '/echo connected');
        await c.ping();
      }
      const m = nonce();
      e1.send({ event: 'shout', data: { m } });
      const f = await e2.waitFor((x) => x.event === 'shout' && x.data?.m === m);
      assertNoOffset(f, 'a delivery on /echo (no recovery)');
    } finally { closeAll(a, a2, e1, e2); }
  });

  test('§9 the handshake guard runs for a resume: no token or a bad token is HTTP 401, with or without a session token', async () => {
    const user = `u${nonce()}`;
    const a = await connectRecovery(S, user);
    try {
      const q = `wiregate-session=${encodeURIComponent(a.connected.data.session)}&wiregate-offset=${encodeURIComponent(a.connected.data.offset)}`;
      await expectRefused(S, '/recovery', 401);
      await expectRefused(S, `/recovery?${q}`, 401);
      await expectRefused(S, `/recovery?token=bad-${user}&${q}`, 401);
      await a.ping();
    } finally { a.close(); }
  });

  test('§9 recoverable deliveries (toRoom, toUser, toClient, toAll) carry an offset; replies, ack, joined, left, error and volatile deliveries carry none', async () => {
    const user = `u${nonce()}`;
    const room = `r-${nonce()}`;
    const m = nonce();
    const [a, b] = await Promise.all([connectRecovery(S, user), connectRecovery(S, `s${nonce()}`)]);
    try {
      const j = await a.request('join', { rooms: [room] });
      assert.equal(j.event, 'joined', JSON.stringify(j));
      assertNoOffset(j, 'joined');
      const e = await a.request('echo', { m });
      assert.equal(e.event, 'echo', JSON.stringify(e));
      assertNoOffset(e, 'the echo reply');
      const err = await a.request('noSuchEvent');
      assert.ok(isErr('unknown_event')(err), JSON.stringify(err));
      assertNoOffset(err, 'an error');
      const deliveries = [
        ['toRoom', { room, event: 'viaRoom', data: { m } }],
        ['toUser', { userId: user, event: 'viaUser', data: { m } }],
        ['toClient', { clientId: a.id, event: 'viaClient', data: { m } }],
        ['toAll', { event: 'viaAll', data: { m } }],
      ];
      for (const [ev, payload] of deliveries) {
        const r = await b.request(ev, payload);
        assert.equal(r.event, 'ack', `${ev} with an id is answered with ack: ${JSON.stringify(r)}`);
        assertNoOffset(r, `the ack to ${ev}`);
        const f = await a.waitFor((x) => x.event === payload.event && x.data?.m === m, 5000, `${ev} delivery`);
        assert.deepEqual(f.data, { m });
        assertOffset(f.offset, `the offset of the ${ev} delivery`);
      }
      const own = await b.waitFor((x) => x.event === 'viaAll' && x.data?.m === m, 5000, 'toAll at the sender');
      assertOffset(own.offset, 'the offset of the toAll delivery to its sender');
      const v = await b.request('volatileToRoom', { room, event: 'viaVolatile', data: { m } });
      assert.equal(v.event, 'ack', JSON.stringify(v));
      const vf = await a.waitFor((x) => x.event === 'viaVolatile' && x.data?.m === m, 5000, 'volatile delivery');
      assertNoOffset(vf, 'a volatile delivery');
      const l = await a.request('leave', { rooms: [room] });
      assert.equal(l.event, 'left', JSON.stringify(l));
      assertNoOffset(l, 'left');
    } finally { closeAll(a, b); }
  });

  test('§9 a client cut mid-burst resumes with its token and last offset: same id, user and rooms, every missed event once and in order, before new ones', async () => {
    const user = `u${nonce()}`;
    const room = `r-${nonce()}`;
    const m = nonce();
    const TOTAL = 30;
    const CUT = 5;
    const [a, b] = await Promise.all([connectRecovery(S, user), connectRecovery(S, `s${nonce()}`)]);
    let a2;
    try {
      assert.equal((await a.request('join', { rooms: [room] })).event, 'joined');
      const isBurst = (f) => f.event === 'burst' && f.data?.m === m;
      // A processes CUT events of the burst, then its network fails: the socket is destroyed, no close frame.
      // Frames ws still parses from its buffer afterwards count as lost.
      let processed = null;
      const cut = new Promise((resolve) => {
        a.ws.on('message', () => {
          if (processed || a.frames.filter(isBurst).length < CUT) return;
          processed = a.frames.filter(isBurst);
          a.ws._socket.destroy();
          resolve();
        });
      });
      for (let i = 0; i < TOTAL; i++) b.send({ event: 'toRoom', data: { room, event: 'burst', data: { m, seq: i } }, id: `burst-${m}-${i}` });
      await within(cut, 5000, `the first ${CUT} events of the burst at A`);
      await a.waitClose(5000);
      for (let i = 0; i < TOTAL; i++) {
        const r = await b.waitFor((f) => f.id === `burst-${m}-${i}`, 5000, `ack ${i} of the burst`);
        assert.equal(r.event, 'ack', JSON.stringify(r));
      }
      assert.deepEqual(processed.map((f) => f.data.seq), range(0, CUT));
      const presented = processed.at(-1).offset;
      assertOffset(presented, 'the offset of the last processed event');

      a2 = await connectRecovery(S, user, { session: a.connected.data.session, offset: presented });
      const d = a2.connected.data;
      assert.equal(d.recovered, true, `expected recovered:true, got ${JSON.stringify(d)}`);
      assert.equal(d.id, a.id, 'a recovered session keeps its client id');
      assert.equal(d.userId, user);
      assert.ok(Array.isArray(d.rooms) && d.rooms.includes(room), `a recovered session keeps its rooms: ${JSON.stringify(d.rooms)}`);
      assertSession(d.session);
      assert.notEqual(d.session, a.connected.data.session, 'a recovered session gets a new token');
      assert.equal(d.offset, presented, 'connected.offset of a recovered session is the offset presented');

      await b.request('toRoom', { room, event: 'burst', data: { m, seq: TOTAL } });
      await a2.waitFor((f) => isBurst(f) && f.data.seq === TOTAL, 5000, 'the event sent after the resume');
      const after = a2.matching(isBurst);
      assert.deepEqual(after.map((f) => f.data.seq), range(CUT, TOTAL + 1), 'the missed events exactly once and in order, then the new one');
      for (const f of after) assertOffset(f.offset, `the offset of replayed event ${f.data.seq}`);
      const all = [...processed, ...after].map((f) => f.data.seq).filter((s) => s < TOTAL);
      assert.deepEqual(all, range(0, TOTAL), 'over both connections, every event of the burst exactly once, in order');
    } finally { closeAll(a, b, a2); }
  });

  test('§9 a toClient, a toUser and a toAll made while away are replayed in order; a volatile delivery is not', async () => {
    const m = nonce();
    const { user, room, a, resume } = await awayFromARoom(S);
    const b = await connectRecovery(S, `s${nonce()}`);
    let a2;
    try {
      await b.request('toClient', { clientId: a.id, event: 'direct', data: { m } });
      await b.request('volatileToRoom', { room, event: 'vol', data: { m } });
      await b.request('toUser', { userId: user, event: 'dm', data: { m } });
      await b.request('toAll', { event: 'news', data: { m } });
      a2 = await connectRecovery(S, user, resume);
      assert.equal(a2.connected.data.recovered, true, `expected recovered:true, got ${JSON.stringify(a2.connected.data)}`);
      assert.equal(a2.id, a.id);
      await b.request('toRoom', { room, event: 'marker', data: { m } });
      await a2.waitFor((f) => f.event === 'marker' && f.data?.m === m, 5000, 'the marker sent after the resume');
      const got = a2.matching((f) => f.data?.m === m);
      assert.deepEqual(got.map((f) => f.event), ['direct', 'dm', 'news', 'marker'], 'replayed in order, no volatile, then the new event');
      for (const f of got) assertOffset(f.offset, `the offset of ${f.event}`);
    } finally { closeAll(a, b, a2); }
  });

  test('§9 an unknown token gives recovered:false, a new client id, no rooms and a new token; the connection works', async () => {
    const user = `u${nonce()}`;
    const room = `r-${nonce()}`;
    const a = await connectRecovery(S, user);
    let c;
    try {
      assert.equal((await a.request('join', { rooms: [room] })).event, 'joined');
      const token = randomBytes(24).toString('base64url'); // 32 characters, well-formed, never issued
      c = await connectRecovery(S, user, { session: token, offset: lastOffset(a) });
      assertNotRecovered(c, user, a, room);
      assert.notEqual(c.connected.data.session, token);
      assert.deepEqual(c.connected.data.rooms.filter((r) => r !== c.id), [], 'a fresh session has the default rooms only (none on /recovery)');
      await c.ping();
      await a.ping();
    } finally { closeAll(a, c); }
  });

  test('§9 a token presented by another user gives recovered:false and none of the session\'s events', async () => {
    const other = `o${nonce()}`;
    const m = nonce();
    const { user, room, a, resume } = await awayFromARoom(S);
    const b = await connectRecovery(S, `s${nonce()}`);
    let x;
    try {
      await b.request('toRoom', { room, event: 'missed', data: { m } });
      await b.request('toClient', { clientId: a.id, event: 'missed', data: { m } });
      await b.request('toUser', { userId: user, event: 'missed', data: { m } });
      x = await connectRecovery(S, other, resume);
      assertNotRecovered(x, other, a, room);
      await marker(b, x, m);
      assert.equal(x.count((f) => f.event === 'missed'), 0, `another user got the session's events: ${x.describe()}`);
      await x.ping();
    } finally { closeAll(a, b, x); }
  });

  test('§9 a used token stops working: after a resume, presenting the old token again gives recovered:false', async () => {
    const { user, room, a, resume } = await awayFromARoom(S);
    let a2;
    let a3;
    try {
      a2 = await connectRecovery(S, user, resume);
      assert.equal(a2.connected.data.recovered, true, `the first resume recovers: ${JSON.stringify(a2.connected.data)}`);
      a3 = await connectRecovery(S, user, resume);
      assertNotRecovered(a3, user, a, room);
      await a3.ping();
      await a2.ping();
      assert.equal(a2.closeInfo, null, 'the live session was not taken over with the used token');
    } finally { closeAll(a, a2, a3); }
  });

  test('§9 a token expires after the recovery window: resuming 3.5 s after the drop (window 3 s) gives recovered:false', async () => {
    const { user, room, a, resume } = await awayFromARoom(S);
    let a2;
    try {
      await sleep(3500); // the window itself must pass; nothing is sent to the session meanwhile
      a2 = await connectRecovery(S, user, resume);
      assertNotRecovered(a2, user, a, room);
      await a2.ping();
    } finally { closeAll(a, a2); }
  });

  test('§9 an offset the history no longer reaches (150 events missed, max-events 100) gives recovered:false and no replay', async () => {
    const m = nonce();
    const { user, room, a, resume } = await awayFromARoom(S);
    const b = await connectRecovery(S, `s${nonce()}`);
    // A member of the room that sees the last event: every event is then delivered (on several servers, an ack
    // may come before its delivery is in the gateway's one order), and so is before the resume below.
    const probe = await connectRecovery(S, `p${nonce()}`);
    let a2;
    try {
      assert.equal((await probe.request('join', { rooms: [room] })).event, 'joined');
      for (let i = 0; i < 150; i++) b.send({ event: 'toRoom', data: { room, event: 'burst', data: { m, seq: i } }, id: `trim-${m}-${i}` });
      for (let i = 0; i < 150; i++) await b.waitFor((f) => f.id === `trim-${m}-${i}`, 5000, `ack ${i}`);
      await probe.waitFor((f) => f.event === 'burst' && f.data?.m === m && f.data?.seq === 149, 10000, 'the last event at a member');
      a2 = await connectRecovery(S, user, resume);
      assertNotRecovered(a2, user, a, room);
      await marker(b, a2, m);
      assert.equal(a2.count((f) => f.event === 'burst'), 0, `a session that was not recovered got replayed events: ${a2.describe()}`);
    } finally { closeAll(a, b, a2, probe); }
  });

  test('§9 malformed or missing resume parameters never fail the connection: each gets connected with recovered:false and works', async () => {
    const cases = [
      ['an offset of 200 characters', (t, o) => ({ session: t, offset: (o + '0'.repeat(200)).slice(0, 200) })],
      ['an offset with a character outside [A-Za-z0-9_.:-] (!)', (t, o) => ({ session: t, offset: `${o}!` })],
      ['an offset with a space and a non-ASCII character', (t, o) => ({ session: t, offset: `${o} é` })],
      ['an empty offset', (t) => ({ session: t, offset: '' })],
      ['an offset that was never issued', (t) => ({ session: t, offset: `never.issued:${nonce()}` })],
      ['a session token without an offset', (t) => ({ session: t })],
      ['an offset without a session token', (_t, o) => ({ offset: o })],
      ['a garbage session token', (_t, o) => ({ session: 'not a token!', offset: o })],
      ['a session token of 200 characters', (t, o) => ({ session: t + 'A'.repeat(200 - t.length), offset: o })],
    ];
    for (const [name, resume] of cases) {
      const { user, room, a, presented } = await awayFromARoom(S);
      let a2;
      try {
        a2 = await connectRecovery(S, user, resume(a.connected.data.session, presented)).catch((e) => assert.fail(`${name}: ${e.message}`));
        assert.equal(a2.connected.data.recovered, false, `${name}: ${JSON.stringify(a2.connected.data)}`);
        assertNotRecovered(a2, user, a, room);
        await a2.ping();
      } finally { closeAll(a, a2); }
    }
  });

  test('§9 resuming while the old connection is open closes it with 1000 "session resumed"; the session lives on the new one', async () => {
    const user = `u${nonce()}`;
    const room = `r-${nonce()}`;
    const m = nonce();
    const a = await connectRecovery(S, user);
    let a2;
    try {
      assert.equal((await a.request('join', { rooms: [room] })).event, 'joined');
      a2 = await connectRecovery(S, user, { session: a.connected.data.session, offset: lastOffset(a) });
      assert.equal(a2.connected.data.recovered, true, `expected recovered:true, got ${JSON.stringify(a2.connected.data)}`);
      assert.equal(a2.id, a.id, 'the resumed session keeps its client id');
      assert.ok(a2.connected.data.rooms.includes(room), `the resumed session keeps its rooms: ${JSON.stringify(a2.connected.data.rooms)}`);
      const info = await a.expectClose(1000, 5000);
      assert.equal(info.reason, 'session resumed');
      await a2.request('toClient', { clientId: a.id, event: 'direct', data: { m } });
      await a2.waitFor((f) => f.event === 'direct' && f.data?.m === m, 5000, 'toClient on the new connection');
      await a2.request('toRoom', { room, event: 'direct', data: { m } });
      await a2.waitFor((f) => f.event === 'direct' && f.data?.m === m, 5000, 'toRoom on the new connection');
      assert.equal(a.count((f) => f.data?.m === m), 0, 'the old connection got a delivery after the resume');
      assert.equal(a2.count((f) => f.data?.m === m), 2, 'each delivery once on the new connection');
    } finally { closeAll(a, a2); }
  });
});

describe('/recovery on two servers: a server killed (PROTOCOL 1.4 §9 on several nodes)', selected('recovery-cluster', RECOVERY_MODES[1].skip), () => {
  let redis, A, B;
  before(async () => {
    const port = await freePort();
    redis = await startRedis(port);
    const opts = { ...RECOVERY_OPTIONS, 'wiregate.redis.address': `redis://${HOST}:${port}` };
    [A, B] = await Promise.all([startServer('recovery-killed-a', opts), startServer('recovery-killed-b', opts)]);
  });
  after(async () => {
    await Promise.all([A?.stop(), B?.stop()]);
    await redis?.stop();
  });

  test('§9 a client whose server is killed (SIGKILL) resumes on the other one: same id and rooms, every event sent meanwhile once and in order', async () => {
    const user = `u${nonce()}`;
    const room = `r-${nonce()}`;
    const m = nonce();
    const a = await connectRecovery(A, user);
    const b = await connectRecovery(B, `s${nonce()}`);
    let a2;
    try {
      assert.equal((await a.request('join', { rooms: [room] })).event, 'joined');
      const presented = lastOffset(a);
      try { process.kill(-A.child.pid, 'SIGKILL'); } catch { /* gone */ }
      await A.closed;
      for (let i = 0; i < 10; i++) {
        const r = await b.request('toRoom', { room, event: 'afterKill', data: { m, seq: i } });
        assert.equal(r.event, 'ack', JSON.stringify(r));
      }
      a2 = await connectRecovery(B, user, { session: a.connected.data.session, offset: presented });
      const d = a2.connected.data;
      assert.equal(d.recovered, true, `expected recovered:true on the other server, got ${JSON.stringify(d)}`);
      assert.equal(d.id, a.id, 'the session keeps its client id');
      assert.ok(d.rooms.includes(room), `the session keeps its rooms: ${JSON.stringify(d.rooms)}`);
      await a2.waitFor((f) => f.event === 'afterKill' && f.data?.seq === 9, 5000, 'the last event sent while away');
      assert.deepEqual(a2.matching((f) => f.event === 'afterKill' && f.data?.m === m).map((f) => f.data.seq), range(0, 10),
        'every event sent while away, once and in order');
    } finally { closeAll(a, b, a2); }
  });
});

// ==================================================================== presence (protocol 1.5)
/** Opens `gateway` (`/presence` or `/presence-users`) as `user` (handshake token `good-USER`) and waits for `connected`. */
async function connectPresence(server, user, gateway = '/presence') {
  const c = await connect(server, `${gateway}?token=${encodeURIComponent(`good-${user}`)}`);
  c.keepalive();
  return c;
}
/** Joins `room` through the protocol's `join`; resolves once `joined` answered. */
async function joinRoom(c, room) {
  const r = await c.request('join', { rooms: [room] });
  assert.equal(r.event, 'joined', `join ${room} answered with ${JSON.stringify(r)}`);
}
/** The answer to a `presence` request for `room` (its event must be `presence`). */
async function presenceOf(c, room) {
  const r = await c.request('presence', { room });
  assert.equal(r.event, 'presence', `presence ${room} answered with ${JSON.stringify(r)}`);
  return r.data;
}
/** `{id: userId}` of a presence answer's members, after checking its shape. */
function membersOf(answer, room) {
  assert.equal(answer.room, room, `the answer names its room: ${JSON.stringify(answer)}`);
  assert.ok(Number.isInteger(answer.count), `count is an integer: ${JSON.stringify(answer)}`);
  assert.ok(Array.isArray(answer.members), `members is an array: ${JSON.stringify(answer)}`);
  assert.equal(answer.members.length, answer.count, 'a room of fewer than 1000 members is listed whole');
  const out = {};
  for (const m of answer.members) {
    assert.deepEqual(Object.keys(m).sort(), ['id', 'userId'], `a member is {id, userId}: ${JSON.stringify(m)}`);
    out[m.id] = m.userId;
  }
  return out;
}
const isPresence = (f) => typeof f.event === 'string' && f.event.startsWith('presence.');
/** What the server's own Broadcaster.presence answers (the conformance application's `who`), as `{id: userId}`. */
async function who(c, room) {
  c.send({ event: 'who', data: { room } });
  const f = await c.waitFor((x) => x.event === 'who' && x.data?.room === room, 5000, `who ${room}`);
  assert.ok(!f.data.failed, `Broadcaster.presence failed: ${JSON.stringify(f)}`);
  return Object.fromEntries(f.data.members.map((m) => [m.id, m.userId]));
}

const PRESENCE_LEASE_MS = 1500;
/**
 * The presence group runs on one server (`presence`) and on two servers sharing a Redis (`presence-cluster`), where
 * every new connection goes to the other node than the one before: a join on one node is announced to members on the
 * other, and a presence request answers the same on both.
 */
const PRESENCE_MODES = [
  { group: 'presence', label: 'one server', skip: false, start: () => startServer('presence') },
  {
    group: 'presence-cluster',
    label: 'two servers through Redis',
    skip: findRedis() ? false : 'no redis-server binary found (install Debian package redis-server, or set WG_REDIS_SERVER)',
    start: async () => {
      const redisPort = await freePort();
      const redis = await startRedis(redisPort);
      const opts = { 'wiregate.redis.address': `redis://${HOST}:${redisPort}`, 'wiregate.redis.presence-lease-ms': PRESENCE_LEASE_MS };
      let nodes;
      try {
        nodes = await Promise.all([startServer('presence-a', opts), startServer('presence-b', opts)]);
      } catch (e) { await redis.stop(); throw e; }
      let turn = 0;
      return {
        name: 'presence-cluster',
        nodes,
        redis,
        url: (p) => nodes[turn++ % 2].url(p),
        get port() { return nodes[turn++ % 2].port; },
        stop: async () => { await Promise.all(nodes.map((n) => n.stop())); await redis.stop(); },
      };
    },
  },
];

for (const mode of PRESENCE_MODES) describe(`/presence and /presence-users (PROTOCOL 1.5 §11; ${mode.label})`, selected(mode.group, mode.skip), () => {
  let S;
  before(async () => { S = await mode.start(); });
  after(async () => { await S?.stop(); });

  test('§11 presence lists every member of a room with its user id, the same for every member and for the server, once join is answered', async () => {
    const room = `r-${nonce()}`;
    const [a, b, c] = await Promise.all([connectPresence(S, 'ann'), connectPresence(S, 'bob'), connectPresence(S, 'bob')]);
    try {
      for (const x of [a, b, c]) await joinRoom(x, room);
      const expected = { [a.id]: 'ann', [b.id]: 'bob', [c.id]: 'bob' };
      for (const x of [a, b, c]) {
        const answer = await presenceOf(x, room);
        assert.equal(answer.count, 3);
        assert.deepEqual(membersOf(answer, room), expected);
        assert.deepEqual(await who(x, room), expected, 'Broadcaster.presence answers the same');
      }
      assert.equal((await c.request('leave', { rooms: [room] })).event, 'left');
      assert.deepEqual(membersOf(await presenceOf(a, room), room), { [a.id]: 'ann', [b.id]: 'bob' }, 'once left is answered, the member is gone');
    } finally { closeAll(a, b, c); }
  });

  test('§11 a presence request: forbidden for a room the client is not in, validation for a bad room name; the own-id room is not presence', async () => {
    const a = await connectPresence(S, 'ann');
    try {
      const room = `r-${nonce()}`;
      const notMember = await a.request('presence', { room });
      assert.ok(isErr('forbidden')(notMember), `not a member: ${JSON.stringify(notMember)}`);
      for (const bad of [{}, { room: '' }, { room: 7 }, { room: 'x'.repeat(129) }, { room: 'a\nb' }, null, 'lobby']) {
        const r = await a.request('presence', bad);
        assert.ok(isErr('validation')(r), `presence ${JSON.stringify(bad)} answered ${JSON.stringify(r)}`);
      }
      const own = await a.request('presence', { room: a.id });
      assert.ok(isErr('forbidden')(own), `the own-id room: ${JSON.stringify(own)}`);
      await joinRoom(a, room);
      assert.deepEqual(membersOf(await presenceOf(a, room), room), { [a.id]: 'ann' });
    } finally { closeAll(a); }
  });

  test('§11 /presence: presence.join and presence.leave go to the other members of the room, for join/leave requests, handler joins and closes', async () => {
    const room = `r-${nonce()}`;
    const [w, a] = await Promise.all([connectPresence(S, 'wat'), connectPresence(S, 'ann')]);
    let b;
    try {
      await joinRoom(w, room);
      await joinRoom(a, room);
      assert.deepEqual((await w.waitEvent('presence.join', 5000, (f) => f.data?.id === a.id)).data, { room, id: a.id, userId: 'ann' });
      assert.equal((await a.request('leave', { rooms: [room] })).event, 'left');
      assert.deepEqual((await w.waitEvent('presence.leave', 5000, (f) => f.data?.id === a.id)).data, { room, id: a.id, userId: 'ann' });

      assert.equal((await a.request('serverJoin', { room })).event, 'ack');
      await w.waitEvent('presence.join', 5000, (f) => f.data?.id === a.id);
      assert.equal((await a.request('serverLeave', { room })).event, 'ack');
      await w.waitEvent('presence.leave', 5000, (f) => f.data?.id === a.id);

      b = await connectPresence(S, 'bob');
      await joinRoom(b, room);
      await w.waitEvent('presence.join', 5000, (f) => f.data?.id === b.id);
      b.close(); // the connection ends: it leaves every room
      assert.deepEqual((await w.waitEvent('presence.leave', 5000, (f) => f.data?.id === b.id)).data, { room, id: b.id, userId: 'bob' });

      await w.request('presence', { room }); // answered after everything queued for w before it
      // (a may hear of w: on two servers, w's announcement can cross to a's server after a joined)
      assert.equal(a.count((f) => isPresence(f) && f.data?.id === a.id), 0, `no member hears of itself: ${a.describe()}`);
      assert.equal(w.count((f) => isPresence(f) && f.data?.id === w.id), 0, `no member hears of itself: ${w.describe()}`);
      assert.equal(w.count((f) => f.event === 'presence.join'), 3, `one presence.join per join: ${w.describe()}`);
      assert.equal(w.count((f) => f.event === 'presence.leave'), 3, `one presence.leave per leave: ${w.describe()}`);
      assert.equal(w.count((f) => f.event === 'presence.online' || f.event === 'presence.offline'), 0, '/presence has no user events');
    } finally { closeAll(w, a, b); }
  });

  test('§11 /presence-users: a user with two connections in a room is online once, and offline once when the last leaves', async () => {
    const room = `r-${nonce()}`;
    const w = await connectPresence(S, 'wat', '/presence-users');
    const [t1, t2] = await Promise.all([connectPresence(S, 'uma', '/presence-users'), connectPresence(S, 'uma', '/presence-users')]);
    try {
      await joinRoom(w, room);
      await joinRoom(t1, room);
      await joinRoom(t2, room);
      assert.deepEqual((await w.waitEvent('presence.online')).data, { room, userId: 'uma' });
      t1.close();
      await waitUntil(async () => (await presenceOf(w, room)).count === 2, 5000, 'the first connection of uma gone from presence');
      assert.equal(w.count((f) => f.event === 'presence.offline'), 0, 'uma is still online through her other connection');
      assert.equal((await t2.request('leave', { rooms: [room] })).event, 'left');
      assert.deepEqual((await w.waitEvent('presence.offline')).data, { room, userId: 'uma' });
      await presenceOf(w, room);
      assert.equal(w.count((f) => f.event === 'presence.online'), 1, `online once: ${w.describe()}`);
      assert.equal(w.count((f) => f.event === 'presence.offline'), 1, `offline once: ${w.describe()}`);
      assert.equal(w.count((f) => f.event === 'presence.join' || f.event === 'presence.leave'), 0, '/presence-users has no client events');
    } finally { closeAll(w, t1, t2); }
  });

  test('§11 a gateway without presence answers presence with unknown_event (/echo)', async () => {
    const e = await connect(S, '/echo');
    try {
      const r = await e.request('presence', { room: 'lobby' });
      assert.ok(isErr('unknown_event')(r), JSON.stringify(r));
    } finally { closeAll(e); }
  });
});

describe('/presence on two servers: a server killed (PROTOCOL 1.5 §11 on several nodes)', selected('presence-cluster', PRESENCE_MODES[1].skip), () => {
  let redis, A, B;
  before(async () => {
    const port = await freePort();
    redis = await startRedis(port);
    const opts = { 'wiregate.redis.address': `redis://${HOST}:${port}`, 'wiregate.redis.presence-lease-ms': PRESENCE_LEASE_MS };
    [A, B] = await Promise.all([startServer('presence-killed-a', opts), startServer('presence-killed-b', opts)]);
  });
  after(async () => {
    await Promise.all([A?.stop(), B?.stop()]);
    await redis?.stop();
  });

  test('§11 the members on a server killed with SIGKILL leave within 4/3 of the lease, announced to the members on the other', async () => {
    const room = `r-${nonce()}`;
    const w = await connectPresence(B, 'wat');
    const [a1, a2] = await Promise.all([connectPresence(A, 'ann'), connectPresence(A, 'amy')]);
    try {
      await joinRoom(w, room);
      await joinRoom(a1, room);
      await joinRoom(a2, room);
      assert.equal((await presenceOf(w, room)).count, 3);
      try { process.kill(-A.child.pid, 'SIGKILL'); } catch { /* gone */ }
      await A.closed;
      const killed = Date.now();
      const left = await Promise.all([a1, a2].map((a) => w.waitEvent('presence.leave', PRESENCE_LEASE_MS * 4 / 3 + 5000, (f) => f.data?.id === a.id)));
      const took = Date.now() - killed;
      assert.deepEqual(left.map((f) => f.data.userId).sort(), ['amy', 'ann']);
      // The bound is 4/3 of the lease (2 s here) after the dead server's last renewal; 2 s more for scheduling.
      assert.ok(took < PRESENCE_LEASE_MS * 4 / 3 + 2000, `the members left ${took} ms after the kill`);
      assert.deepEqual(membersOf(await presenceOf(w, room), room), { [w.id]: 'wat' });
    } finally { closeAll(w, a1, a2); }
  });
});

/** Polls `check` (async, true when done) every 50 ms until it holds; rejects after `timeout` ms. */
async function waitUntil(check, timeout, what) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timeout (${timeout} ms) waiting until ${what}`);
    await sleep(50);
  }
}

// ==================================================================== /secure identity refresh and expiry (protocol 1.3)
/**
 * Opens /secure and authenticates with `token` in a frame with an id; resolves once `connected` and the ack are in.
 * `c.authAt` is when the ack arrived: the identity's expiry counts from a moment before it.
 */
async function connectToken(server, token) {
  const c = await openWs(server.url('/secure'));
  try {
    const a = await c.request('authenticate', { token });
    c.authAt = Date.now();
    assert.equal(a.event, 'ack', `authenticate ${token} answered with ${JSON.stringify(a)}`);
    const f = await c.waitEvent('connected', 1000);
    assert.equal(c.frames[0].event, 'connected', `connected is the first frame: ${c.describe()}`);
    c.id = f.data?.id;
    c.connected = f;
    return c;
  } catch (e) { c.close(); throw e; }
}
const isConnected = (f) => f.event === 'connected';

describe('/secure identity refresh and expiry (PROTOCOL 1.3 §10; CONFORMANCE /secure expiring- tokens)', selected('refresh'), () => {
  let S;
  before(async () => { S = await startServer('refresh'); });
  after(async () => { await S?.stop(); });

  test('§10 a refresh with the same user is acked: no second connected, same client id and user, rooms kept, the connection keeps working', async () => {
    const user = `u${nonce()}`;
    const room = `r-${nonce()}`;
    const [c, sender] = await Promise.all([connectSecure(S, user), connectSecure(S, `s${nonce()}`)]);
    try {
      assert.equal((await c.request('join', { rooms: [room] })).event, 'joined');
      const w1 = await c.request('whoami');
      assert.deepEqual(w1.data, { userId: user, clientId: c.id });
      const a = await c.request('authenticate', { token: `good-${user}` });
      assert.equal(a.event, 'ack', `the refresh is answered with an ack: ${JSON.stringify(a)}`);
      assert.equal(a.data ?? null, null, 'the ack carries no data');
      c.send({ event: 'authenticate', data: { token: `good-${user}` } }); // without an id: not answered
      const w2 = await c.request('whoami');
      assert.deepEqual(w2.data, w1.data, 'the refresh keeps the user and the client id');
      assert.equal(c.count(isConnected), 1, `a refresh sends no second connected: ${c.describe()}`);
      const unexpected = c.matching((f) => !['connected', 'joined', 'whoami'].includes(f.event) && f.id !== a.id);
      assert.deepEqual(unexpected, [], 'a refresh without an id is not answered');
      const m = nonce();
      assert.equal((await sender.request('toRoom', { room, event: 'roomMsg', data: { m } })).event, 'ack');
      await c.waitFor((f) => f.event === 'roomMsg' && f.data?.m === m, 5000, 'the room delivery after the refresh');
      assert.equal((await sender.request('toUser', { userId: user, event: 'dm', data: { m } })).event, 'ack');
      await c.waitFor((f) => f.event === 'dm' && f.data?.m === m, 5000, 'the user delivery after the refresh');
      await sleep(300);
      assert.equal(c.count((f) => f.data?.m === m), 2, `each delivery arrives once: ${c.describe()}`);
      assert.equal(c.closeInfo, null);
    } finally { closeAll(c, sender); }
  });

  test('§10 a refresh with credentials that fail gets unauthorized (with its id, or without one); the connection stays open with its identity', async () => {
    const user = `u${nonce()}`;
    const c = await connectSecure(S, user);
    try {
      for (const data of [{ token: `bad-${user}` }, { token: 'good' }, {}]) {
        const r = await c.request('authenticate', data);
        assert.ok(isErr('unauthorized')(r), `a refresh with ${JSON.stringify(data)} answered with ${JSON.stringify(r)}`);
      }
      c.send({ event: 'authenticate', data: { token: 'bad' } });
      await c.waitFor((f) => isErr('unauthorized')(f) && (f.id ?? null) === null, 5000, 'error unauthorized without id');
      const w = await c.request('whoami');
      assert.deepEqual(w.data, { userId: user, clientId: c.id }, 'a refused refresh leaves the identity as it was');
      assert.equal(c.closeInfo, null);
      assert.equal(c.count(isConnected), 1);
    } finally { c.close(); }
  });

  test('§10 a refused refresh leaves the identity it had: an expiring one still expires with 4001', async () => {
    const user = `u${nonce()}`;
    const c = await connectToken(S, `expiring-${user}-700`);
    try {
      const r = await c.request('authenticate', { token: `bad-${user}` });
      assert.ok(isErr('unauthorized')(r), JSON.stringify(r));
      await c.expectClose(4001, 5000);
      const after = Date.now() - c.authAt;
      assert.ok(after >= 500, `closed ${after} ms after the authenticate was answered, before the 700 ms expiry`);
    } finally { c.close(); }
  });

  test('§10 a refresh with another user\'s valid credentials closes the connection with 4003; it never changes user', async () => {
    for (const token of [`good-o${nonce()}`, `expiring-o${nonce()}-60000`]) {
      const user = `u${nonce()}`;
      const other = token.split('-')[1];
      const c = await connectSecure(S, user);
      try {
        const id = `refresh-${nonce()}`;
        c.send({ event: 'authenticate', data: { token }, id });
        c.send({ event: 'whoami', id: `w-${nonce()}` }); // handled after the refresh: never as the other user
        await c.expectClose(4003, 5000);
        assert.equal(c.count((f) => f.id === id), 0, `the close 4003 answers the refresh (§3); no frame carries its id: ${c.describe()}`);
        assert.equal(c.count((f) => f.event === 'whoami' && f.data?.userId === other), 0, `the connection changed user: ${c.describe()}`);
        assert.equal(c.count(isConnected), 1);
      } finally { c.close(); }
    }
  });

  test('§10/§6 an identity that expires without a refresh closes the connection with 4001, not before its expiry', async () => {
    const user = `u${nonce()}`;
    const c = await connectToken(S, `expiring-${user}-700`);
    try {
      assert.equal(c.connected.data.userId, user);
      const w = await c.request('whoami');
      assert.deepEqual(w.data, { userId: user, clientId: c.id });
      await c.expectClose(4001, 5000);
      const after = Date.now() - c.authAt;
      assert.ok(after >= 500, `closed ${after} ms after the authenticate was answered, before the 700 ms expiry`);
    } finally { c.close(); }
  });

  test('§10 a refresh before the expiry keeps the connection open past it', async () => {
    const user = `u${nonce()}`;
    const t0 = Date.now();
    const c = await connectToken(S, `expiring-${user}-800`);
    try {
      await sleep(Math.max(0, t0 + 300 - Date.now()));
      const a = await c.request('authenticate', { token: `good-${user}` });
      assert.equal(a.event, 'ack', JSON.stringify(a));
      await sleep(Math.max(0, t0 + 1500 - Date.now())); // 700 ms past the first identity's expiry
      assert.equal(c.closeInfo, null, `closed: ${JSON.stringify(c.closeInfo)}`);
      const w = await c.request('whoami');
      assert.deepEqual(w.data, { userId: user, clientId: c.id });
    } finally { c.close(); }
  });

  test('§10 a refresh replaces the expiry: good-USER, then a refresh with expiring-USER-600 closes with 4001 about 600 ms later', async () => {
    const user = `u${nonce()}`;
    const c = await connectSecure(S, user, { keepalive: false });
    try {
      const a = await c.request('authenticate', { token: `expiring-${user}-600` });
      const t1 = Date.now();
      assert.equal(a.event, 'ack', JSON.stringify(a));
      await c.expectClose(4001, 5000);
      const after = Date.now() - t1;
      assert.ok(after >= 400, `closed ${after} ms after the refresh was answered, before the 600 ms expiry`);
    } finally { c.close(); }
  });

  test('§10 frames sent right after a refresh are handled after it, in order', async () => {
    const user = `u${nonce()}`;
    const c = await connectSecure(S, user);
    try {
      const ids = [`r1-${nonce()}`, `w1-${nonce()}`, `r2-${nonce()}`, `w2-${nonce()}`];
      c.send({ event: 'authenticate', data: { token: `good-${user}` }, id: ids[0] });
      c.send({ event: 'whoami', id: ids[1] });
      c.send({ event: 'authenticate', data: { token: `expiring-${user}-60000` }, id: ids[2] });
      c.send({ event: 'whoami', id: ids[3] });
      for (const id of ids) await c.waitFor((f) => f.id === id, 5000, `answer to id=${id}`);
      const at = ids.map((id) => c.frames.findIndex((f) => f.id === id));
      assert.deepEqual([...at].sort((x, y) => x - y), at, `answers in the order of the frames (${ids.join(', ')}): ${JSON.stringify(c.frames.slice(1))}`);
      for (const i of [0, 2]) assert.equal(c.frames[at[i]].event, 'ack', JSON.stringify(c.frames[at[i]]));
      for (const i of [1, 3]) assert.deepEqual(c.frames[at[i]].data, { userId: user, clientId: c.id }, JSON.stringify(c.frames[at[i]]));
    } finally { c.close(); }
  });
});

// ==================================================================== /sealed encryption (protocol 1.6)
/** The IV of sequence number `seq` (§12): four zero bytes, then `seq` as an unsigned 64-bit big-endian integer. */
function sealIv(seq) {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(seq), 4);
  return iv;
}
/** Strict base64url without padding, as §12 writes keys, salts and sealed frames. */
function fromBase64url(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error(`not base64url without padding: ${JSON.stringify(String(text).slice(0, 80))}`);
  return Buffer.from(text, 'base64url');
}
/** `text` sealed with `key` as frame `seq`: base64url of IV || AES-256-GCM ciphertext || 16-byte tag. */
function sealText(key, seq, text) {
  const cipher = createCipheriv('aes-256-gcm', key, sealIv(seq));
  return Buffer.concat([sealIv(seq), cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64url');
}
/** The UTF-8 text of sealed frame `text`, which must be frame `seq` of `key`'s direction; throws otherwise. */
function openSealed(key, seq, text) {
  const bytes = fromBase64url(text);
  if (bytes.length < 12 + 16) throw new Error(`a sealed frame of ${bytes.length} bytes is too short`);
  if (!bytes.subarray(0, 12).equals(sealIv(seq))) throw new Error(`IV ${bytes.subarray(0, 12).toString('hex')} is not that of sequence number ${seq}`);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
}

/**
 * A client of /sealed: `publicKey` is its ephemeral P-256 key (65 bytes). Frames are in the clear until `connected`;
 * the handshake is completed while `connected` is handled (synchronously, before any later frame), and from then on
 * `send` seals with the next sequence number and every frame received is opened with the next one. `frames` holds
 * the opened frames; `wire` the text of each frame received after connected (`{text, at: index in frames, seq}`);
 * `unopened` the ones that did not open.
 */
class SealedClient extends Client {
  constructor(ws) {
    super(ws);
    this.ecdh = createECDH('prime256v1');
    this.publicKey = this.ecdh.generateKeys(); // uncompressed: 0x04 || X || Y
    this.keys = null;
    this.handshakeError = null;
    this.sendSeq = 0;
    this.receiveSeq = 0;
    this.wire = [];
    this.unopened = [];
  }
  onMessage(data, isBinary) {
    if (isBinary) return super.onMessage(data, isBinary);
    const text = data.toString('utf8');
    if (this.keys === null) {
      this.handshake(text);
      return super.onMessage(data, isBinary);
    }
    this.wire.push({ text, at: this.frames.length, seq: this.receiveSeq });
    let plain;
    try {
      plain = openSealed(this.keys.server, this.receiveSeq, text);
      this.receiveSeq++;
    } catch (e) {
      this.unopened.push({ text, error: e.message });
      return super.onMessage(data, false); // recorded as unparseable
    }
    return super.onMessage(Buffer.from(plain, 'utf8'), false);
  }
  handshake(text) {
    let f;
    try { f = JSON.parse(text); } catch { return; }
    if (f?.event !== 'connected' || f.data?.encryption === undefined) return;
    try {
      const { publicKey, salt } = f.data.encryption;
      const z = this.ecdh.computeSecret(fromBase64url(publicKey)); // the X coordinate of the shared point, 32 bytes
      const saltBytes = fromBase64url(salt);
      const key = (info) => Buffer.from(hkdfSync('sha256', z, saltBytes, info, 32));
      this.keys = { client: key('wiregate/1 client'), server: key('wiregate/1 server') };
    } catch (e) { this.handshakeError = e.message; }
  }
  /** The frame sealed with `seq` (the next sequence number unless given), not sent; `key` the client's unless given. */
  seal(obj, { seq = this.sendSeq++, key = this.keys.client } = {}) {
    return sealText(key, seq, typeof obj === 'string' ? obj : JSON.stringify(obj));
  }
  send(obj) {
    if (this.keys === null || Buffer.isBuffer(obj)) return super.send(obj);
    this.ws.send(this.seal(obj));
  }
  /** Sends `text` as it is, whatever the state of the handshake. */
  sendRaw(text) { this.ws.send(text); }
}

/** Opens /sealed and sends `authenticate` with `data` (and `id`, if given) in the clear. */
async function authenticateSealed(server, data, id) {
  const c = await openWs(server.url('/sealed'), { ClientClass: SealedClient });
  const frame = { event: 'authenticate', data };
  if (id !== undefined) frame.id = id;
  c.send(frame);
  return c;
}
/** `user`'s connected client of /sealed, its handshake done. */
async function connectSealed(server, user, { id } = {}) {
  const c = await openWs(server.url('/sealed'), { ClientClass: SealedClient });
  try {
    const frame = { event: 'authenticate', data: { token: `good-${user}`, publicKey: c.publicKey.toString('base64url') } };
    if (id !== undefined) frame.id = id;
    c.send(frame);
    const f = await c.waitEvent('connected', 5000);
    assert.equal(c.frames[0].event, 'connected', `connected is the first frame: ${c.describe()}`);
    assert.ok(c.keys, `connected carries a usable encryption handshake (${c.handshakeError ?? 'no encryption member'}): ${JSON.stringify(f.data)}`);
    c.id = f.data?.id;
    c.connected = f;
    return c;
  } catch (e) { c.close(); throw e; }
}
/** Asserts that every frame after `connected` came sealed, opened with the server's key and the next sequence number. */
function assertAllSealed(c) {
  assert.deepEqual(c.unopened, [], `frames after connected that do not open: ${JSON.stringify(c.unopened.slice(0, 3))}`);
  assert.equal(c.wire.length, c.frames.length - 1, 'every frame after connected came through the seal');
  c.wire.forEach((w, i) => {
    assert.equal(w.seq, i, 'sequence numbers 0, 1, 2, ... in the order of the frames');
    assert.match(w.text, /^[A-Za-z0-9_-]+$/, 'a sealed frame is base64url without padding');
    assert.throws(() => JSON.parse(w.text), 'a sealed frame is not JSON');
  });
}
/** A P-256 public key in the form of §12 that is not a point of the curve: a real key with its last byte changed. */
function offCurveKey() {
  const key = createECDH('prime256v1').generateKeys();
  key[64] ^= 1;
  assert.throws(() => createECDH('prime256v1').computeSecret(key), 'the changed key is not on the curve');
  return key;
}

describe('/sealed encryption (PROTOCOL 1.6 §12; CONFORMANCE /sealed)', selected('sealed'), () => {
  let S;
  before(async () => { S = await startServer('sealed'); });
  after(async () => { await S?.stop(); });

  test('§12 authenticate with a public key: connected in the clear with encryption {publicKey: a P-256 point, salt: 32 bytes}; the ack of the authenticate is the first sealed frame', async () => {
    const user = `u${nonce()}`;
    const id = `auth-${nonce()}`;
    const c = await connectSealed(S, user, { id });
    try {
      const d = c.connected.data;
      assert.equal(d.userId, user);
      assert.equal(typeof d.id, 'string');
      assert.equal(typeof d.encryption, 'object');
      const serverKey = fromBase64url(d.encryption.publicKey);
      assert.equal(serverKey.length, 65, 'the server key is a 65-byte uncompressed point');
      assert.equal(serverKey[0], 4, 'an uncompressed point starts with 0x04');
      assert.notDeepEqual(serverKey, c.publicKey, 'the server has a key pair of its own');
      assert.equal(fromBase64url(d.encryption.salt).length, 32, 'the salt is 32 bytes');
      const ack = await c.waitFor((f) => f.id === id, 5000, 'the ack of the authenticate');
      assert.equal(ack.event, 'ack', JSON.stringify(ack));
      assert.equal(ack.data ?? null, null, 'the ack carries no data');
      assert.equal(c.frames.indexOf(ack), 1, `the ack comes right after connected (§3): ${c.describe()}`);
      assert.equal(c.wire[0]?.at, 1, 'the ack is sealed');
      assert.equal(c.wire[0].seq, 0, 'the ack is sealed frame 0');
      await c.ping();
      assertAllSealed(c);
    } finally { c.close(); }
  });

  test('§12 echo and whoami, sent at once: answered in order, sealed with sequence numbers 0, 1, 2, ... both ways; nothing after connected is in the clear', async () => {
    const user = `u${nonce()}`;
    const c = await connectSealed(S, user);
    const other = await connectSealed(S, `o${nonce()}`);
    try {
      const payloads = [1, 'two', { three: [3, null, true] }, 'héllo ✓ 😀', { big: 'x'.repeat(30000) }, null, []];
      const ids = payloads.map((_, i) => `e${i}-${nonce()}`);
      payloads.forEach((data, i) => c.send({ event: 'echo', data, id: ids[i] }));
      c.send({ event: 'heartbeat' }); // sealed too; not answered
      c.send({ event: 'whoami', id: 'w' });
      const m = nonce();
      c.send({ event: 'echo', data: { m } }); // no id: the reply has none
      for (const id of [...ids, 'w']) await c.waitFor((f) => f.id === id, 5000, `answer to id=${id}`);
      const echoed = await c.waitFor((f) => f.event === 'echo' && f.data?.m === m, 5000, 'the echo without id');
      assert.equal(echoed.id ?? null, null);
      assert.equal(c.sendSeq, payloads.length + 3, 'the client sealed frames 0 to 9');
      const answers = c.frames.slice(1);
      assert.deepEqual(answers.map((f) => f.id ?? null), [...ids, 'w', null], `answers in the order of the frames: ${c.describe()}`);
      payloads.forEach((data, i) => assert.deepEqual(answers[i], { event: 'echo', data, id: ids[i] }));
      assert.deepEqual(answers[payloads.length].data, { userId: user, clientId: c.id });
      assert.equal(c.count((f) => f.event === 'ack'), 0, 'neither the authenticate without id nor the heartbeat is answered');
      assertAllSealed(c);
      assert.equal(c.receiveSeq, payloads.length + 2);
      // Both connections are sealed with keys of their own: one's frames do not open with the other's key.
      await other.ping();
      assert.throws(() => openSealed(other.keys.server, 0, c.wire[0].text));
      assert.throws(() => openSealed(c.keys.server, 0, other.wire[0].text));
      assertAllSealed(other);
    } finally { closeAll(c, other); }
  });

  test('§12 a delivery to a room of sealed clients reaches each, sealed once per client: the same text, different frames', async () => {
    const room = `r-${nonce()}`;
    const [a, b, sender] = await Promise.all([connectSealed(S, 'ann'), connectSealed(S, 'bob'), connectSealed(S, 'sam')]);
    try {
      for (const x of [a, b]) assert.equal((await x.request('join', { rooms: [room] })).event, 'joined');
      const m = nonce();
      const ack = await sender.request('toRoom', { room, event: 'news', data: { m } });
      assert.equal(ack.event, 'ack', JSON.stringify(ack));
      const got = await Promise.all([a, b].map((x) => x.waitFor((f) => f.event === 'news' && f.data?.m === m, 5000, 'the room delivery')));
      assert.deepEqual(got[0], { event: 'news', data: { m } });
      assert.deepEqual(got[1], got[0]);
      const [wa, wb] = [a, b].map((x, i) => x.wire.find((w) => w.at === x.frames.indexOf(got[i])));
      assert.ok(wa && wb, 'the delivery came sealed');
      assert.notEqual(wa.text, wb.text, 'each client gets the delivery sealed for it alone');
      assert.throws(() => openSealed(b.keys.server, wa.seq, wa.text), 'a frame for one client does not open with another\'s key');
      assert.equal(sender.count((f) => f.event === 'news'), 0, 'the sender is not in the room');
      for (const x of [a, b, sender]) assertAllSealed(x);
    } finally { closeAll(a, b, sender); }
  });

  test('§12 authenticate without a public key, or with one that is not an uncompressed P-256 point in base64url: close 4004 and nothing else; a bad token with a good key: 4003', async () => {
    const valid = createECDH('prime256v1').generateKeys();
    const compressed = createECDH('prime256v1');
    compressed.generateKeys();
    const wrongPrefix = Buffer.from(valid);
    wrongPrefix[0] = 5;
    const cases = [
      ['no publicKey', {}],
      ['publicKey null', { publicKey: null }],
      ['64 bytes', { publicKey: randomBytes(64).toString('base64url') }],
      ['66 bytes', { publicKey: Buffer.concat([valid, Buffer.from([0])]).toString('base64url') }],
      ['65 bytes that are not a point of the curve', { publicKey: offCurveKey().toString('base64url') }],
      ['65 bytes starting with 0x05', { publicKey: wrongPrefix.toString('base64url') }],
      ['a compressed point (33 bytes)', { publicKey: compressed.getPublicKey(null, 'compressed').toString('base64url') }],
      ['not base64url', { publicKey: 'not a key!' }],
      ['empty', { publicKey: '' }],
      ['a number', { publicKey: 42 }],
    ];
    for (const [label, extra] of cases) {
      for (const id of [undefined, `a-${nonce()}`]) {
        const c = await authenticateSealed(S, { token: `good-u${nonce()}`, ...extra }, id);
        try {
          await c.expectClose(4004, 5000).catch((e) => assert.fail(`${label}${id ? ' (with id)' : ''}: ${e.message}`));
          assert.equal(c.count((f) => f.event !== 'disconnect'), 0, `${label}: nothing but the close answers it: ${c.describe()}`);
        } finally { c.close(); }
      }
    }
    const bad = await authenticateSealed(S, { token: `bad-u${nonce()}`, publicKey: valid.toString('base64url') }, `a-${nonce()}`);
    try {
      await bad.expectClose(4003, 5000);
      assert.equal(bad.count((f) => f.event !== 'disconnect'), 0, `a refused token gets the close alone: ${bad.describe()}`);
    } finally { bad.close(); }
  });

  test('§12 after connected, a frame in the clear, not base64url, too short, tampered, sealed with another key, binary: close 4004, unanswered', async () => {
    const cases = [
      ['in the clear', (c, frame) => c.sendRaw(JSON.stringify(frame))],
      ['not base64url', (c, frame) => c.sendRaw(`${c.seal(frame)}*`)],
      ['too short', (c) => c.sendRaw(randomBytes(20).toString('base64url'))],
      ['a bit flipped in the ciphertext', (c, frame) => {
        const bytes = Buffer.from(c.seal(frame), 'base64url');
        bytes[14] ^= 0x01;
        c.sendRaw(bytes.toString('base64url'));
      }],
      ['a bit flipped in the tag', (c, frame) => {
        const bytes = Buffer.from(c.seal(frame), 'base64url');
        bytes[bytes.length - 1] ^= 0x80;
        c.sendRaw(bytes.toString('base64url'));
      }],
      ['sealed with the server\'s key', (c, frame) => c.sendRaw(c.seal(frame, { key: c.keys.server }))],
      ['binary', (c, frame) => c.ws.send(Buffer.from(JSON.stringify(frame)), { binary: true })],
    ];
    for (const [label, send] of cases) {
      const c = await connectSealed(S, `u${nonce()}`);
      try {
        await c.ping(); // the frame before is fine: sealed frame 0
        const id = `bad-${nonce()}`;
        send(c, { event: 'echo', data: label, id });
        await c.expectClose(4004, 5000).catch((e) => assert.fail(`${label}: ${e.message}`));
        assert.equal(c.count((f) => f.id === id), 0, `${label}: the frame is not answered: ${c.describe()}`);
        assertAllSealed(c);
      } finally { c.close(); }
    }
  });

  test('§12 after connected, a sealed frame replayed (the same sequence number twice) or with a sequence number skipped: close 4004', async () => {
    const replayed = await connectSealed(S, `u${nonce()}`);
    try {
      const text = replayed.seal({ event: 'echo', data: 'once', id: 'first' });
      replayed.sendRaw(text);
      assert.equal((await replayed.waitFor((f) => f.id === 'first')).data, 'once');
      replayed.sendRaw(text);
      await replayed.expectClose(4004, 5000);
      assert.equal(replayed.count((f) => f.id === 'first'), 1, `a replayed frame is not answered again: ${replayed.describe()}`);
      assertAllSealed(replayed);
    } finally { replayed.close(); }

    const skipped = await connectSealed(S, `u${nonce()}`);
    try {
      await skipped.ping(); // sealed frame 0
      skipped.sendRaw(skipped.seal({ event: 'echo', data: 'skipped', id: 'skip' }, { seq: 2 }));
      await skipped.expectClose(4004, 5000);
      assert.equal(skipped.count((f) => f.id === 'skip'), 0, `a frame with a skipped sequence number is not answered: ${skipped.describe()}`);
      assertAllSealed(skipped);
    } finally { skipped.close(); }

    const reordered = await connectSealed(S, `u${nonce()}`);
    try {
      const [zero, one] = [0, 1].map((seq) => reordered.seal({ event: 'echo', data: seq, id: `o${seq}` }, { seq }));
      reordered.sendRaw(one);
      reordered.sendRaw(zero);
      await reordered.expectClose(4004, 5000);
      assert.equal(reordered.count((f) => typeof f.id === 'string' && f.id.startsWith('o')), 0, `reordered frames are not answered: ${reordered.describe()}`);
    } finally { reordered.close(); }
  });

  test('§12/§10 a refresh is sealed like any frame; a publicKey in it is ignored', async () => {
    const user = `u${nonce()}`;
    const c = await connectSealed(S, user);
    try {
      const fresh = createECDH('prime256v1').generateKeys().toString('base64url');
      for (const data of [{ token: `good-${user}` }, { token: `good-${user}`, publicKey: fresh }, { token: `good-${user}`, publicKey: 'not a key!' }]) {
        const a = await c.request('authenticate', data);
        assert.equal(a.event, 'ack', `a refresh with ${JSON.stringify(data)} answered ${JSON.stringify(a)}`);
      }
      const r = await c.request('authenticate', { token: `bad-${user}` });
      assert.ok(isErr('unauthorized')(r), JSON.stringify(r));
      assert.deepEqual((await c.request('whoami')).data, { userId: user, clientId: c.id });
      assert.equal(c.count(isConnected), 1, 'no second connected');
      assertAllSealed(c);
    } finally { c.close(); }
  });
});

// ==================================================================== shutdown
describe('shutdown (PROTOCOL §6 1001; CONFORMANCE: SIGTERM, exit within 5 s)', selected('shutdown'), () => {
  let S;
  before(async () => { S = await startServer('shutdown'); });
  after(async () => { await S?.stop(); });

  test('§6 SIGTERM: every client gets close 1001 and the process exits within 5 s', async () => {
    const cs = await Promise.all([
      connect(S, '/echo'), connect(S, '/echo'), connectSecure(S, 'sam'), connect(S, '/rooms/z'), connect(S, '/guarded?token=good-sam'),
    ]);
    try {
      const t0 = Date.now();
      process.kill(-S.child.pid, 'SIGTERM');
      const results = await Promise.all(cs.map((c) => c.waitClose(5000).catch((e) => ({ code: `none (${e.message})` }))));
      assert.deepEqual(results.map((r) => r.code), cs.map(() => 1001), 'every client gets close 1001');
      for (const c of cs) await c.expectClose(1001, 100);
      const exit = await Promise.race([S.closed, sleep(Math.max(0, 5000 - (Date.now() - t0))).then(() => null)]);
      assert.ok(exit, `the process did not exit within 5 s of SIGTERM (${Date.now() - t0} ms)`);
    } finally { closeAll(cs); }
  });
});

// ==================================================================== slow consumer
describe('slow consumer (PROTOCOL §7, §6 4005; -Dwiregate.echo.outbound-queue=64)', selected('slow'), () => {
  let S;
  let burst = null;
  const TOTAL = 20000;
  before(async () => { S = await startServer('slow', { 'wiregate.echo.outbound-queue': 64 }); });
  after(async () => {
    if (burst) closeAll(Object.values(burst).filter((x) => x instanceof Client));
    await S?.stop();
  });

  test('§7 a client that stops reading does not stall others: a reader gets all 20,000 1 KB shouts in order, echo RTT < 1 s', async (t) => {
    const [shouter, reader, probe, paused] = await Promise.all([connect(S), connect(S), connect(S), connect(S)]);
    burst = { shouter, reader, probe, paused };
    // The paused client stops reading from its TCP socket (and ws is kept from resuming it).
    const sock = paused.ws._socket;
    const origResume = sock.resume;
    sock.resume = function () { return this; };
    sock.pause();
    burst.resumePaused = () => { sock.resume = origResume; sock.resume(); };

    const m = nonce();
    const pad = 'p'.repeat(1000);
    let received = 0;
    let inOrder = true;
    reader.ws.on('message', (d) => {
      const s = d.toString();
      if (!s.includes(m)) return;
      const f = JSON.parse(s);
      if (f.event === 'shout' && f.data?.m === m) { if (f.data.seq !== received) inOrder = false; received++; }
    });
    // Keep the frames of the others lean: we only count them.
    for (const c of [shouter, reader, probe]) c.reset();
    const rtts = [];
    const probeOnce = async () => { const t = Date.now(); await probe.ping(5000); rtts.push(Date.now() - t); };
    const t0 = Date.now();
    const BATCH = 100;
    const WINDOW = 300; // at most this many shouts in flight to the reader: the reader is never slow
    for (let sent = 0; sent < TOTAL;) {
      for (let i = 0; i < BATCH; i++, sent++) shouter.send(`{"event":"shout","data":{"m":"${m}","seq":${sent},"pad":"${pad}"}}`);
      const deadline = Date.now() + 10000;
      while (received < sent - WINDOW) {
        if (Date.now() > deadline) assert.fail(`reader stalled: ${received} of ${sent} shouts after 10 s (paused client stalls the others?)`);
        await sleep(2);
      }
      if (sent % 2000 === 0) { await probeOnce(); probe.reset(); shouter.reset(); reader.reset(); }
    }
    const deadline = Date.now() + 20000;
    while (received < TOTAL && Date.now() < deadline) await sleep(5);
    burst.ms = Date.now() - t0;
    assert.equal(received, TOTAL, `reader got ${received} of ${TOTAL} shouts`);
    assert.ok(inOrder, 'shouts arrived out of order');
    await probeOnce();
    assert.ok(Math.max(...rtts) < 1000, `echo round trips during/after the burst: max ${Math.max(...rtts)} ms`);
    assert.equal(reader.closeInfo, null, 'the reader was closed');
    t.diagnostic(`20,000 shouts delivered to the reader in ${burst.ms} ms; echo RTT max ${Math.max(...rtts)} ms over ${rtts.length} probes`);
    burst.done = true;
  });

  test('§6/§7 the client that stopped reading is closed with 4005 (seen once it reads again) before getting all shouts', async (t) => {
    assert.ok(burst?.done, 'the burst test did not complete');
    const { paused } = burst;
    let got = 0;
    paused.ws.on('message', (d) => { if (d.toString().startsWith('{"event":"shout"')) got++; });
    paused.reset();
    burst.resumePaused();
    const info = await paused.waitClose(30000);
    assert.equal(info.code, 4005, `the paused client was closed with ${info.code} "${info.reason}"`);
    assert.ok(got < TOTAL, `the paused client received all ${got} shouts: its queue was not bounded`);
    t.diagnostic(`the paused client read ${got} shouts after resuming, then close ${info.code} "${info.reason}"`);
    await burst.probe.ping(1000);
    closeAll(Object.values(burst).filter((x) => x instanceof Client));
  });
});

// ==================================================================== cluster
function findRedis() {
  const candidates = process.env.WG_REDIS_SERVER ? [process.env.WG_REDIS_SERVER]
    : [...String(process.env.PATH || '').split(':').map((d) => path.join(d, 'redis-server')), '/usr/bin/redis-server', '/usr/local/bin/redis-server'];
  for (const c of candidates) { try { accessSync(c, fsc.X_OK); return c; } catch { /* next */ } }
  return null;
}
const REDIS_BIN = findRedis();
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, HOST, () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}
async function startRedis(port) {
  mkdirSync(LOG_DIR, { recursive: true });
  const child = spawn(REDIS_BIN, ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  const closed = new Promise((resolve) => child.on('close', () => { started.delete(child); resolve(); }));
  const logStream = createWriteStream(path.join(LOG_DIR, `redis-${port}-${Date.now()}.log`));
  child.stdout.pipe(logStream); child.stderr.pipe(logStream);
  const deadline = Date.now() + 10000;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, HOST, () => { s.write('PING\r\n'); });
      s.on('data', (d) => { s.destroy(); resolve(d.toString().startsWith('+PONG')); });
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) { await killGroup(child, closed); throw new Error(`redis-server did not start on ${port}`); }
    await sleep(100);
  }
  return { child, closed, stop: async () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } await closed; } };
}
async function publish(port, channel, message) {
  const r = new Redis({ host: HOST, port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  r.on('error', () => {});
  try { await r.connect(); return await r.publish(channel, typeof message === 'string' ? message : JSON.stringify(message)); } finally { r.disconnect(); }
}

describe('cluster over Redis (PROTOCOL §8)', selected('cluster', REDIS_BIN ? false : 'no redis-server binary found (install Debian package redis-server, or set WG_REDIS_SERVER)'), () => {
  let redisPort, redis, A, B;
  let a1, a2, b1, b2; // /secure clients: a1, a2 on node A; b1, b2 on node B
  let ea, eb;         // /echo clients on A and B
  const secureAll = () => [a1, a2, b1, b2];
  const got = (c, m) => c.count((f) => f.data?.m === m);

  async function crossNodeWorks(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const m = nonce();
      a1.send({ event: 'toAll', data: { event: 'probe', data: { m } } });
      try { await b1.waitFor((f) => f.event === 'probe' && f.data?.m === m, 500); return true; } catch { /* retry */ }
    }
    return false;
  }

  before(async () => {
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    const opts = { 'wiregate.redis.address': `redis://${HOST}:${redisPort}` };
    [A, B] = await Promise.all([startServer('node-a', opts), startServer('node-b', opts)]);
    [a1, a2] = await Promise.all([connectSecure(A, 'uma'), connectSecure(A, 'carol')]);
    [b1, b2] = await Promise.all([connectSecure(B, 'carol'), connectSecure(B, 'dave')]);
    [ea, eb] = await Promise.all([connect(A), connect(B)]);
    // The bus may need a moment after LISTENING to be subscribed: wait until A -> B works.
    assert.ok(await crossNodeWorks(15000), 'cross-node delivery never started');
  });
  after(async () => {
    closeAll(secureAll(), ea, eb);
    await Promise.all([A?.stop(), B?.stop()]);
    await redis?.stop();
  });

  test('§8 toAll issued on node A reaches every client on A and B exactly once', async () => {
    const m = nonce();
    await a1.request('toAll', { event: 'news', data: { m } });
    for (const c of secureAll()) await c.waitFor((f) => f.event === 'news' && f.data?.m === m, 5000, `news on ${c.id}`);
    await sleep(700);
    for (const c of secureAll()) assert.equal(got(c, m), 1, 'delivered exactly once');
    assert.equal(got(ea, m) + got(eb, m), 0, 'a /secure broadcast leaked into /echo');
  });

  test('§8 toRoom issued on node A reaches members on A and B exactly once, honouring exclude', async () => {
    const room = `cl-${nonce()}`;
    for (const c of [a2, b1, b2]) assert.equal((await c.request('join', { rooms: [room] })).event, 'joined');
    const m = nonce();
    await a1.request('toRoom', { room, event: 'roomMsg', data: { m }, exclude: [b2.id] });
    await a2.waitFor((f) => f.data?.m === m);
    await b1.waitFor((f) => f.data?.m === m);
    await sleep(700);
    assert.equal(got(a2, m), 1);
    assert.equal(got(b1, m), 1);
    assert.equal(got(b2, m), 0, 'excluded client on node B got it');
    assert.equal(got(a1, m), 0, 'non-member got it');
  });

  test('§8 toUser issued on node A reaches the user\'s sessions on A and B exactly once', async () => {
    const m = nonce();
    await a1.request('toUser', { userId: 'carol', event: 'dm', data: { m } });
    await a2.waitFor((f) => f.data?.m === m);
    await b1.waitFor((f) => f.data?.m === m);
    await sleep(700);
    assert.equal(got(a2, m), 1);
    assert.equal(got(b1, m), 1);
    assert.equal(got(b2, m) + got(a1, m), 0, 'other users got it');
  });

  test('§8 toClient issued on node A reaches a client on node B exactly once', async () => {
    const m = nonce();
    await a1.request('toClient', { clientId: b2.id, event: 'direct', data: { m } });
    await b2.waitFor((f) => f.data?.m === m);
    await sleep(700);
    assert.equal(got(b2, m), 1);
    assert.equal(got(a1, m) + got(a2, m) + got(b1, m), 0);
  });

  test('§8 messages PUBLISHed to Redis with serverId "emitter" reach clients on both nodes', async () => {
    const m1 = nonce();
    await publish(redisPort, 'ws:broadcast', { serverId: 'emitter', type: 'broadcast', namespace: '/echo', event: 'fromEmitter', data: { m: m1 } });
    const fa = await ea.waitFor((f) => f.data?.m === m1);
    await eb.waitFor((f) => f.data?.m === m1);
    assert.deepEqual(fa, { event: 'fromEmitter', data: { m: m1 } });
    const room = `em-${nonce()}`;
    for (const c of [a2, b2]) await c.request('join', { rooms: [room] });
    const m2 = nonce();
    await publish(redisPort, `ws:room:${room}`, { serverId: 'emitter', type: 'room', namespace: '/secure', target: room, event: 'fromEmitter', data: { m: m2 }, exclude: [] });
    const m3 = nonce();
    await publish(redisPort, 'ws:user:carol', { serverId: 'emitter', type: 'user', namespace: '/secure', target: 'carol', event: 'fromEmitter', data: { m: m3 } });
    const m4 = nonce();
    await publish(redisPort, `ws:client:${b2.id}`, { serverId: 'emitter', type: 'client', namespace: '/secure', target: b2.id, event: 'fromEmitter', data: { m: m4 } });
    for (const c of [a2, b2]) await c.waitFor((f) => f.data?.m === m2, 5000, 'emitter room delivery');
    for (const c of [a2, b1]) await c.waitFor((f) => f.data?.m === m3, 5000, 'emitter user delivery');
    await b2.waitFor((f) => f.data?.m === m4, 5000, 'emitter client delivery');
    await sleep(700);
    assert.equal(got(ea, m1) + got(eb, m1), 2, 'broadcast exactly once per /echo client');
    assert.equal(got(a2, m2) + got(b2, m2), 2, 'room exactly once per member');
    assert.equal(got(a1, m2) + got(b1, m2), 0);
    assert.equal(got(a2, m3) + got(b1, m3), 2, 'user exactly once per session');
    assert.equal(got(a1, m3) + got(b2, m3), 0);
    assert.equal(got(a1, m4) + got(a2, m4) + got(b1, m4) + got(b2, m4), 1, 'client exactly once');
    assert.equal(secureAll().reduce((n, c) => n + got(c, m1), 0), 0, 'an /echo broadcast leaked into /secure');
  });

  test('§8 malformed messages in Redis are ignored and the nodes keep working', async () => {
    const m = nonce();
    const bad = [
      'not json at all',
      '[1,2,3]',
      '"a string"',
      JSON.stringify({ serverId: 'emitter', type: 'broadcast', namespace: 42, event: 'bad', data: { m } }),                   // namespace of wrong type (an absent one means every gateway)
      JSON.stringify({ serverId: 'emitter', type: 'galaxy', namespace: '/secure', event: 'bad', data: { m } }),               // unknown type
      JSON.stringify({ serverId: 'emitter', type: 'broadcast', namespace: '/secure', data: { m } }),                          // no event
      JSON.stringify({ serverId: 'emitter', type: 'room', namespace: '/secure', target: 42, event: 'bad', data: { m } }),     // target of wrong type
      '{"serverId":"emitter","type":"broadcast","namespace":"/secure","event":"bad","data":{"m":"' + m + '"}', // truncated
    ];
    for (const msg of bad) {
      await publish(redisPort, 'ws:broadcast', msg);
      await publish(redisPort, `ws:room:${b1.id}`, msg);
    }
    await sleep(700);
    for (const c of [...secureAll(), ea, eb]) assert.equal(got(c, m), 0, `a malformed message was delivered: ${c.describe()}`);
    const m2 = nonce();
    await publish(redisPort, 'ws:broadcast', { serverId: 'emitter', type: 'broadcast', namespace: '/secure', event: 'fine', data: { m: m2 } });
    for (const c of secureAll()) await c.waitFor((f) => f.data?.m === m2, 5000, 'a valid emitter message after malformed ones');
    const m3 = nonce();
    await b1.request('toAll', { event: 'fine', data: { m: m3 } });
    for (const c of secureAll()) await c.waitFor((f) => f.data?.m === m3, 5000, 'cross-node delivery after malformed ones');
  });

  test('§8 with Redis killed, local delivery on each node still works', async () => {
    await redis.stop();
    await sleep(300);
    // Local delivery must not wait for Redis; the answer to the frame may (it is only awaited, 15 s).
    const m = nonce();
    const m2 = nonce();
    a1.send({ event: 'toAll', data: { event: 'local', data: { m } }, id: 'down-a' });
    b2.send({ event: 'toAll', data: { event: 'local', data: { m: m2 } }, id: 'down-b' });
    await a1.waitFor((f) => f.data?.m === m, 3000, 'local delivery on A (sender)');
    await a2.waitFor((f) => f.data?.m === m, 3000, 'local delivery on A');
    await b1.waitFor((f) => f.data?.m === m2, 3000, 'local delivery on B');
    await b2.waitFor((f) => f.data?.m === m2, 3000, 'local delivery on B (sender)');
    await ea.ping(3000);
    await eb.ping(3000);
    for (const [c, id] of [[a1, 'down-a'], [b2, 'down-b']]) {
      const r = await c.waitFor((f) => f.id === id, 15000, `answer to toAll ${id} while Redis is down`);
      assert.notEqual(r.event, 'error', `toAll failed while Redis is down: ${JSON.stringify(r)}`);
    }
  });

  test('§8 Redis restarted on the same port: cross-node delivery resumes within 30 s, exactly once', async () => {
    redis = await startRedis(redisPort);
    const t0 = Date.now();
    assert.ok(await crossNodeWorks(30000), 'cross-node delivery did not resume within 30 s');
    const resumedMs = Date.now() - t0;
    const m = nonce();
    await b1.request('toAll', { event: 'again', data: { m } });
    for (const c of secureAll()) await c.waitFor((f) => f.data?.m === m, 5000, 'delivery after resume');
    await sleep(700);
    for (const c of secureAll()) assert.equal(got(c, m), 1, 'exactly once after resume');
    assert.ok(resumedMs < 30000);
  });
});
