// wiregate.js against a real Wiregate server (the conformance application), over real sockets.
// Run: node --experimental-websocket --test test/   (Node 22+ needs no flag)
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { connect, WiregateError } from '../wiregate.js';
import { startServer, startSilentServer, startProxy, next } from './server.mjs';

const SECURE = {
  'wiregate.secure.heartbeat-timeout-ms': 1500,
  'wiregate.secure.ping-interval-ms': 0,
};

let server;
const clients = [];
const closers = []; // proxies, extra servers and raw sockets of a test: closed after it

function client(path, options = {}) {
  return clientAt(server.url(path), options);
}

function clientAt(url, options = {}) {
  const c = connect(url, { reconnect: { minMs: 50, maxMs: 400 }, ...options });
  clients.push(c);
  return c;
}

before(async () => { server = await startServer(SECURE); });
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const close of closers.splice(0).reverse()) await close();
});
after(() => server.stop());

test('a request resolves with the reply of its handler', async () => {
  const c = client('/echo');
  assert.deepEqual(await c.request('echo', { hello: 'world' }), { hello: 'world' });
});

test('a request to a handler that returns nothing resolves with null (the ack)', async () => {
  const c = client('/echo');
  assert.equal(await c.request('void', { x: 1 }), null);
});

test('a validation error rejects with its code, message and violations', async () => {
  const c = client('/echo');
  await assert.rejects(c.request('validated', { text: '', count: -1 }), (e) => {
    assert.ok(e instanceof WiregateError);
    assert.equal(e.code, 'validation');
    assert.deepEqual(e.violations.map((v) => v.path).sort(), ['count', 'text']);
    return true;
  });
});

test('an unknown event rejects with unknown_event, and a failing handler with a generic internal', async () => {
  const c = client('/echo');
  await assert.rejects(c.request('nope', null), { code: 'unknown_event' });
  await assert.rejects(c.request('boom', null), (e) => e.code === 'internal' && !e.message.includes('SECRET-DETAIL'));
});

test('a request the server does not answer in time rejects with timeout', async () => {
  const silent = await startSilentServer();
  const c = connect(silent.url('/stalled'), { reconnect: false, heartbeatMs: 0, requestTimeoutMs: 200 });
  try {
    await next(c, 'connected');
    await assert.rejects(c.request('echo', 1, { timeoutMs: 300 }), { code: 'timeout' });
    await assert.rejects(c.request('echo', 2), { code: 'timeout' }, 'requestTimeoutMs applies by default');
  } finally {
    c.close();
    await silent.close();
  }
});

test('on and off deliver server events to listeners', async () => {
  const a = client('/echo');
  const b = client('/echo');
  await Promise.all([next(a, 'connected'), next(b, 'connected')]);
  const seen = [];
  const listener = (data) => seen.push(data);
  b.on('shout', listener);
  const shout = next(b, 'shout');
  a.emit('shout', 'one');
  assert.equal(await shout, 'one');
  b.off('shout', listener);
  await a.request('shout', 'two'); // the ack to a: the broadcast to b was delivered before or with it
  await b.request('echo', 'sync'); // b has read everything sent to it before this reply
  assert.deepEqual(seen, ['one']);
});

test('in-band authentication: connected carries the user, and a bad token closes for good with 4003', async () => {
  const good = client('/secure', { auth: { token: 'good-alice' } });
  const connected = await next(good, 'connected');
  assert.equal(connected.userId, 'alice');
  assert.equal(good.userId, 'alice');
  assert.deepEqual(await good.request('whoami'), { userId: 'alice', clientId: good.id });

  const bad = client('/secure', { auth: { token: 'wrong' } });
  const reconnecting = [];
  bad.on('reconnecting', (r) => reconnecting.push(r));
  const dropped = await next(bad, 'disconnected');
  assert.equal(dropped.code, 4003);
  assert.equal(dropped.willReconnect, false);
  assert.equal(bad.state, 'closed');
  assert.deepEqual(reconnecting, []);
  assert.throws(() => bad.emit('whoami'), { code: 'closed' });
});

test('fresh credentials refresh the identity without reconnecting (protocol 1.3): the ack resolves, refused ones reject with unauthorized', async () => {
  const c = client('/secure', { auth: { token: 'good-erin' } });
  await next(c, 'connected');
  const id = c.id;

  assert.equal(await c.request('authenticate', { token: 'good-erin' }), null);
  await assert.rejects(c.request('authenticate', { token: 'wrong' }), { code: 'unauthorized' });

  assert.deepEqual(await c.request('whoami'), { userId: 'erin', clientId: id });
  assert.equal(c.state, 'connected');
});

test('join and leave: deliveries to a joined room arrive, and a refused room rejects with forbidden', async () => {
  const alice = client('/secure', { auth: { token: 'good-alice' } });
  const bob = client('/secure', { auth: { token: 'good-bob' } });
  assert.deepEqual(await alice.join('lobby'), ['lobby']);
  assert.deepEqual(alice.rooms, ['lobby']);
  await assert.rejects(alice.join('private-x'), { code: 'forbidden' });
  assert.deepEqual(alice.rooms, ['lobby']);

  const news = next(alice, 'news');
  await bob.request('toRoom', { room: 'lobby', event: 'news', data: 'hi' });
  assert.equal(await news, 'hi');

  assert.deepEqual(await alice.leave('lobby'), ['lobby']);
  assert.deepEqual(alice.rooms, []);
});

test('heartbeats keep a connection that sends nothing alive past the heartbeat timeout', async () => {
  const c = client('/secure', { auth: { token: 'good-carol' }, heartbeatMs: 300 });
  await next(c, 'connected');
  let dropped = null;
  c.on('disconnected', (d) => { dropped = d; });
  await new Promise((r) => setTimeout(r, 3000)); // twice the server's 1.5 s heartbeat timeout
  assert.equal(dropped, null);
  assert.equal(c.state, 'connected');
  assert.equal(await c.request('echo-missing').catch((e) => e.code), 'unknown_event');
});

test('without heartbeats the same connection is closed with 4002, and reconnects', async () => {
  const c = client('/secure', { auth: { token: 'good-dave' }, heartbeatMs: 0 });
  await next(c, 'connected');
  const dropped = await next(c, 'disconnected', 10000);
  assert.equal(dropped.code, 4002);
  assert.equal(dropped.willReconnect, true);
  await next(c, 'connected');
});

test('emits wait for the connection up to the buffer bound, then are rejected', async () => {
  const c = client('/echo', { bufferSize: 2 });
  assert.equal(c.state, 'connecting');
  const echoed = [];
  c.on('echo', (d) => echoed.push(d));
  c.emit('echo', 'a');
  c.emit('echo', 'b');
  assert.throws(() => c.emit('echo', 'c'), (e) => e instanceof WiregateError && e.code === 'buffer_full');
  await next(c, 'connected');
  assert.equal(await c.request('echo', 'after'), 'after');
  assert.deepEqual(echoed, ['a', 'b']);
});

test('after a server restart the client reconnects, authenticates again and re-joins its rooms', async () => {
  const port = server.port;
  const alice = client('/secure', { auth: async () => ({ token: 'good-alice' }) });
  await alice.join('room-1', 'room-2');
  const firstId = alice.id;

  const states = [];
  for (const s of ['disconnected', 'reconnecting', 'connecting']) alice.on(s, (d) => states.push([s, d]));
  const dropped = next(alice, 'disconnected');
  await server.stop();
  assert.equal((await dropped).code, 1001);

  // Emits made while the server is down wait for the next connection.
  const pending = alice.request('echo-later').catch((e) => e.code);

  server = await startServer(SECURE, port);
  const connected = await next(alice, 'connected', 20000);
  assert.equal(connected.userId, 'alice');
  assert.notEqual(alice.id, firstId);
  assert.equal(await pending, 'unknown_event', 'the buffered request was sent on the new connection and answered');
  assert.ok(states.some(([s, d]) => s === 'reconnecting' && d.attempt >= 1 && d.delay >= 0));

  const bob = client('/secure', { auth: { token: 'good-bob' } });
  const news = next(alice, 'news');
  await bob.request('toRoom', { room: 'room-2', event: 'news', data: 'back' });
  assert.equal(await news, 'back', 'room-2 was joined again');
});

test('close() ends the connection for good and rejects what waits', async () => {
  const c = client('/echo');
  const waiting = c.request('echo', 1); // buffered: not connected yet
  c.close();
  await assert.rejects(waiting, { code: 'closed' });
  assert.equal(c.state, 'closed');
  assert.throws(() => c.emit('echo', 2), { code: 'closed' });
});

// Connection state recovery (docs/protocol.md section 9), against the conformance application's /recovery gateway.
// The connections go through a TCP proxy that cuts them as a network does (startProxy).

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** `promise`, or a rejection naming `what` after `ms`. */
function within(promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Resolves once `condition()` holds, checked every 20 ms; rejects after `ms`. */
async function until(condition, ms, what) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`not ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A bare protocol client on the platform's WebSocket: `send(event, data)` resolves with the answer frame. */
async function rawClient(url) {
  const socket = new WebSocket(url);
  closers.push(async () => socket.close());
  const answers = new Map();
  let nextId = 1;
  await within(new Promise((resolve, reject) => {
    socket.onerror = () => reject(new Error(`${url}: the connection failed`));
    socket.onmessage = (m) => {
      const frame = JSON.parse(m.data);
      if (frame.event === 'connected') resolve(frame.data);
      else if (frame.id !== undefined) { answers.get(frame.id)?.(frame); answers.delete(frame.id); }
    };
  }), 10000, `connected from ${url}`);
  return {
    send(event, data) {
      const id = String(nextId++);
      const answer = new Promise((resolve) => answers.set(id, resolve));
      socket.send(JSON.stringify({ event, data, id }));
      return within(answer, 10000, `answer to ${event} ${JSON.stringify(data)}`);
    },
  };
}

async function proxyTo(target) {
  const proxy = await startProxy(target.port);
  closers.push(() => proxy.close());
  return proxy;
}

/** The query parameters of a request line the proxy recorded. */
const query = (requestLine) => new URL(requestLine.split(' ')[1], 'ws://x').searchParams;

test('recovery: a connection cut mid-burst is resumed by itself; every event arrives once, in order', async () => {
  const proxy = await proxyTo(server);
  const c = clientAt(proxy.url('/recovery?token=good-alice&note=kept%20as%20is'));
  const connects = [];
  c.on('connected', (d) => connects.push(d));
  const first = await next(c, 'connected');
  assert.equal(first.recovered, false);
  assert.equal(c.recovered, false);
  assert.equal(typeof first.session, 'string');
  await c.join('burst');

  const seen = [];
  let sawLast;
  const last = new Promise((resolve) => { sawLast = resolve; });
  c.on('news', (n) => {
    seen.push(n);
    if (n === 5) proxy.drop(); // the network goes away in the middle of the burst
    if (n === 30) sawLast();
  });
  const dropped = next(c, 'disconnected');
  const sender = await rawClient(server.url('/recovery?token=good-bob'));
  const burst = (from, to) => Promise.all(range(from, to).map((i) =>
    sender.send('toRoom', { room: 'burst', event: 'news', data: i })));

  await burst(1, 10); // sent at once: the cut falls among them
  const drop = await within(dropped, 10000, 'disconnected');
  assert.equal(drop.willReconnect, true);
  await burst(11, 20); // while the client cannot connect
  proxy.release();
  await burst(21, 30); // while it resumes
  await within(last, 10000, 'event 30');
  assert.equal(await c.request('echo', 'sync'), 'sync'); // whatever came before this reply has been delivered

  assert.deepEqual(seen, range(1, 30), 'every event once, in order');
  assert.equal(connects.length, 2);
  const resumed = connects[1];
  assert.equal(resumed.recovered, true);
  assert.equal(c.recovered, true);
  assert.equal(resumed.id, first.id);
  assert.equal(c.id, first.id);
  assert.equal(resumed.userId, 'alice');
  assert.ok(resumed.rooms.includes('burst'));
  assert.notEqual(resumed.session, first.session);

  assert.equal(proxy.requests.length, 2);
  assert.equal(proxy.requests[0], 'GET /recovery?token=good-alice&note=kept%20as%20is HTTP/1.1', 'a first connection does not resume');
  const [path, version] = proxy.requests[1].split(' ').slice(1);
  assert.equal(version, 'HTTP/1.1');
  assert.ok(path.startsWith('/recovery?token=good-alice&note=kept%20as%20is&wiregate-session='), path);
  assert.equal(query(proxy.requests[1]).get('wiregate-session'), first.session);
  assert.equal(query(proxy.requests[1]).get('wiregate-offset'), resumed.offset, 'the server echoes the offset it resumed from');
});

test('recovery: resumed twice while the server still held the old connection, which it then closes', async () => {
  const proxy = await proxyTo(server);
  const c = clientAt(proxy.url('/recovery?token=good-carol'));
  const connects = [];
  c.on('connected', (d) => connects.push(d));
  await next(c, 'connected');
  await c.join('twice');
  const seen = [];
  c.on('news', (n) => seen.push(n));
  const sender = await rawClient(server.url('/recovery?token=good-bob'));
  const burst = (from, to) => Promise.all(range(from, to).map((i) =>
    sender.send('toRoom', { room: 'twice', event: 'news', data: i })));

  for (const round of [0, 1]) {
    await burst(round * 10 + 1, round * 10 + 5);
    assert.equal(await c.request('echo', round), round);
    const dropped = next(c, 'disconnected');
    proxy.drop({ upstream: false }); // the server does not notice: it keeps writing to the old connection
    await within(dropped, 10000, 'disconnected');
    await burst(round * 10 + 6, round * 10 + 10);
    const resumed = next(c, 'connected');
    proxy.release();
    assert.equal((await resumed).recovered, true);
  }
  assert.equal(await c.request('echo', 'sync'), 'sync');
  assert.deepEqual(seen, range(1, 20));
  assert.deepEqual(connects.map((d) => d.id), Array(3).fill(connects[0].id));
  assert.deepEqual(connects.map((d) => d.recovered), [false, true, true]);

  // Each resume named the token of the connection before, once: the old parameters were replaced.
  for (const i of [1, 2]) {
    const params = query(proxy.requests[i]);
    assert.deepEqual(params.getAll('wiregate-session'), [connects[i - 1].session]);
    assert.deepEqual(params.getAll('wiregate-offset'), [connects[i].offset]);
    assert.deepEqual(params.getAll('token'), ['good-carol']);
  }
  await until(() => proxy.orphans.length === 2 && proxy.orphans.every((o) => o.includes('session resumed')), 5000,
    'both previous connections closed with "session resumed"');
});

test('recovery: a reconnect after the recovery window gets recovered false and a fresh session, and re-joins', async () => {
  const short = await startServer({ 'wiregate.recovery.recovery-window-ms': 500 });
  closers.push(() => short.stop());
  const proxy = await proxyTo(short);
  const c = clientAt(proxy.url('/recovery?token=good-alice'));
  const first = await next(c, 'connected');
  await c.join('later');
  const dropped = next(c, 'disconnected');
  proxy.drop();
  await within(dropped, 10000, 'disconnected');
  await new Promise((r) => setTimeout(r, 1500)); // only to let the 500 ms window expire
  const again = next(c, 'connected');
  proxy.release();
  const second = await again;

  assert.equal(query(proxy.requests[1]).get('wiregate-session'), first.session, 'it tried to resume');
  assert.equal(second.recovered, false);
  assert.equal(c.recovered, false);
  assert.notEqual(second.id, first.id);
  assert.notEqual(second.session, first.session);
  assert.equal(second.userId, 'alice');

  assert.equal(await c.request('echo', 'after'), 'after'); // the re-join went first on this connection
  const sender = await rawClient(short.url('/recovery?token=good-bob'));
  const news = next(c, 'news');
  await sender.send('toRoom', { room: 'later', event: 'news', data: 'fresh' });
  assert.equal(await news, 'fresh', 'the room was joined again');
});

test('recovery: on a gateway without it nothing changes: no session parameters, no recovered', async () => {
  const proxy = await proxyTo(server);
  const c = clientAt(proxy.url('/echo?x=1'));
  const first = await next(c, 'connected');
  assert.equal('session' in first, false);
  const dropped = next(c, 'disconnected');
  proxy.drop();
  await within(dropped, 10000, 'disconnected');
  const again = next(c, 'connected');
  proxy.release();
  const second = await again;
  assert.equal('recovered' in second, false);
  assert.equal(c.recovered, false);
  assert.deepEqual(proxy.requests.map((r) => r.split(' ')[1]), ['/echo?x=1', '/echo?x=1']);
});

// Encryption (docs/protocol.md section 12, protocol 1.6), against the conformance application's /sealed gateway.
// `tapped()` wraps the platform's WebSocket to see the frames on the wire; a fake server written with node:crypto
// checks the client against a second implementation, and its answers to frames that do not open.

const isJson = (text) => { try { JSON.parse(text); return true; } catch { return false; } };

/** The sequence number in the IV of sealed frame `text`, after checking its form (base64url, IV, room for the tag). */
function sealedSeq(text) {
  assert.equal(typeof text, 'string');
  assert.match(text, /^[A-Za-z0-9_-]+$/, 'a sealed frame is base64url without padding');
  assert.equal(isJson(text), false, `a sealed frame is not JSON: ${text}`);
  const bytes = Buffer.from(text, 'base64url');
  assert.ok(bytes.length >= 12 + 16 + 2, `a sealed frame holds IV, ciphertext and tag: ${bytes.length} bytes`);
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0, 0, 0], 'an IV starts with four zero bytes');
  return Number(bytes.readBigUInt64BE(4));
}

/** A WebSocket class that records, per connection, the text frames sent and received: `{ WebSocket, connections }`. */
function tapped() {
  const connections = [];
  class Tapped extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      const log = { sent: [], received: [] };
      connections.push(log);
      this.log = log;
      this.addEventListener('message', (m) => log.received.push(m.data));
    }

    send(data) {
      this.log.sent.push(data);
      super.send(data);
    }
  }
  return { WebSocket: Tapped, connections };
}

/** Asserts one connection's wire: a clear authenticate with a P-256 key, a clear connected, then only sealed frames. */
function assertSealedWire(log, token) {
  const auth = JSON.parse(log.sent[0]);
  assert.equal(auth.event, 'authenticate');
  assert.equal(auth.data.token, token, 'the credentials are kept beside the key');
  const key = Buffer.from(auth.data.publicKey, 'base64url');
  assert.match(auth.data.publicKey, /^[A-Za-z0-9_-]+$/);
  assert.equal(key.length, 65, 'an uncompressed P-256 point');
  assert.equal(key[0], 4);
  const connected = JSON.parse(log.received[0]);
  assert.equal(connected.event, 'connected', 'connected comes in the clear');
  assert.ok(log.sent.length > 1 && log.received.length > 1, 'frames were exchanged after connected');
  assert.deepEqual(log.sent.slice(1).map(sealedSeq), range(0, log.sent.length - 2), 'the client seals with sequence numbers 0, 1, 2, ...');
  assert.deepEqual(log.received.slice(1).map(sealedSeq), range(0, log.received.length - 2), 'the server seals with sequence numbers 0, 1, 2, ...');
  return { publicKey: auth.data.publicKey, encryption: connected.data.encryption };
}

test('encryption: requests, emits buffered before connected and whoami go sealed both ways; on the wire nothing after connected is JSON', async () => {
  const tap = tapped();
  const c = client('/sealed', { auth: { token: 'good-alice' }, encryption: true, WebSocket: tap.WebSocket });
  const echoed = [];
  c.on('echo', (d) => echoed.push(d));
  c.emit('echo', 'early'); // waits for connected, then goes sealed
  const early = c.request('echo', { buffered: true });
  const connected = await next(c, 'connected');
  assert.equal(connected.userId, 'alice');
  assert.equal(c.state, 'connected');
  assert.deepEqual(await early, { buffered: true });
  const data = { text: 'héllo ✓ 😀', list: [1, null, { deep: true }], long: 'x'.repeat(40000) }; // sealed, still below the 64 KiB limit
  assert.deepEqual(await c.request('echo', data), data);
  assert.deepEqual(await c.request('whoami'), { userId: 'alice', clientId: c.id });
  assert.deepEqual(echoed, ['early']);

  assert.equal(tap.connections.length, 1);
  const { encryption } = assertSealedWire(tap.connections[0], 'good-alice');
  assert.equal(Buffer.from(encryption.publicKey, 'base64url').length, 65);
  assert.equal(Buffer.from(encryption.salt, 'base64url').length, 32);
  assert.equal(tap.connections[0].sent.length, 5, 'authenticate, then the four frames, each sent once');
});

test('encryption: a delivery to a room of sealed clients reaches each of them, sealed for each alone', async () => {
  const taps = [tapped(), tapped()];
  const [alice, bob] = ['alice', 'bob'].map((user, i) =>
    client('/sealed', { auth: { token: `good-${user}` }, encryption: true, WebSocket: taps[i].WebSocket }));
  const carol = client('/sealed', { auth: { token: 'good-carol' }, encryption: true });
  assert.deepEqual(await alice.join('sealed-room'), ['sealed-room']);
  assert.deepEqual(await bob.join('sealed-room'), ['sealed-room']);
  const got = [next(alice, 'news'), next(bob, 'news')];
  assert.equal(await carol.request('toRoom', { room: 'sealed-room', event: 'news', data: { m: 'for both' } }), null);
  assert.deepEqual(await Promise.all(got), [{ m: 'for both' }, { m: 'for both' }]);

  const [a, b] = taps.map((t) => t.connections[0]);
  assertSealedWire(a, 'good-alice');
  assertSealedWire(b, 'good-bob');
  const delivered = [a, b].map((log) => log.received.at(-1));
  assert.notEqual(delivered[0], delivered[1], 'the same delivery is sealed once per client');
  assert.notEqual(a.sent[0], b.sent[0]);
});

test('encryption: after a server restart the client reconnects with a new handshake (new keys), re-joins and sends what waited', async () => {
  let sealed = await startServer();
  closers.push(() => sealed.stop());
  const port = sealed.port;
  const tap = tapped();
  const alice = clientAt(sealed.url('/sealed'), { auth: async () => ({ token: 'good-alice' }), encryption: true, WebSocket: tap.WebSocket });
  await alice.join('after-restart');
  assert.equal(await alice.request('echo', 'before'), 'before');
  const firstId = alice.id;

  const dropped = next(alice, 'disconnected');
  await sealed.stop();
  assert.equal((await dropped).code, 1001);
  const pending = alice.request('echo', 'waited'); // buffered while the server is down

  sealed = await startServer({}, port);
  closers.push(() => sealed.stop());
  const connected = await next(alice, 'connected', 20000);
  assert.equal(connected.userId, 'alice');
  assert.notEqual(alice.id, firstId);
  assert.equal(await pending, 'waited', 'the buffered request was sealed with the new keys and answered');
  assert.deepEqual(await alice.request('whoami'), { userId: 'alice', clientId: alice.id });

  const bob = clientAt(sealed.url('/sealed'), { auth: { token: 'good-bob' }, encryption: true });
  const news = next(alice, 'news');
  assert.equal(await bob.request('toRoom', { room: 'after-restart', event: 'news', data: 'back' }), null);
  assert.equal(await news, 'back', 'the room was joined again, sealed');

  // The first connection and the last (a reconnect may have reached the stopping server in between).
  const logs = tap.connections.filter((log) => log.received.length > 0);
  assert.ok(logs.length >= 2, 'two connections reached connected');
  const [first, second] = [logs[0], logs.at(-1)].map((log) => assertSealedWire(log, 'good-alice'));
  assert.notEqual(second.publicKey, first.publicKey, 'a fresh key pair for the new connection');
  assert.notEqual(second.encryption.publicKey, first.encryption.publicKey);
  assert.notEqual(second.encryption.salt, first.encryption.salt);
  const keys = tap.connections.filter((log) => log.sent.length > 0).map((log) => JSON.parse(log.sent[0]).data.publicKey);
  assert.equal(new Set(keys).size, keys.length, 'every connection attempt had a key pair of its own');
});

test('encryption: a connected without encryption fails the connection with 4004, as a lost one (here /secure, which ignores the key)', async () => {
  const tap = tapped();
  const c = client('/secure', { auth: { token: 'good-eve' }, encryption: true, WebSocket: tap.WebSocket });
  let connected = false;
  c.on('connected', () => { connected = true; });
  const waiting = c.request('whoami').catch((e) => e.code);
  const dropped = await next(c, 'disconnected');
  assert.equal(dropped.code, 4004);
  assert.equal(dropped.willReconnect, true);
  assert.equal(connected, false, 'the client never counts such a connection as connected');
  const log = tap.connections[0];
  assert.equal(JSON.parse(log.received[0]).event, 'connected');
  assert.equal('encryption' in JSON.parse(log.received[0]).data, false);
  c.close();
  assert.equal(await waiting, 'closed');
  for (const attempt of tap.connections) {
    assert.equal(attempt.sent.length, 1, `nothing but the authenticate went out, the buffered request never in the clear: ${JSON.stringify(attempt.sent)}`);
  }
});

test('encryption: needs auth, and credentials that are an object (nothing is sent otherwise)', async () => {
  assert.throws(() => connect('ws://127.0.0.1:1/sealed', { encryption: true }), TypeError);
  const tap = tapped();
  const c = client('/sealed', { auth: 'good-alice', encryption: true, reconnect: false, WebSocket: tap.WebSocket });
  const dropped = await next(c, 'disconnected');
  assert.equal(dropped.code, 4000);
  assert.equal(dropped.willReconnect, false);
  assert.deepEqual(tap.connections[0].sent, []);
});

/**
 * A WebSocket server written here with node:crypto that does the server's half of section 12 on any path: it accepts
 * every `authenticate` with a good key, opens the client's frames (`connections[i].received`, the plaintexts) and
 * answers: `echo` with a sealed reply, `tamper` with a reply whose ciphertext has one bit flipped, `replay` with a reply
 * that reuses the sequence number of the frame before. `connections[i].closeCode` is the code of the client's close.
 */
async function startFakeSealedServer() {
  const { createServer } = await import('node:http');
  const { createHash, createECDH, hkdfSync, createCipheriv, createDecipheriv, randomBytes } = await import('node:crypto');
  const sockets = new Set();
  const connections = [];
  const wsFrame = (opcode, payload) => {
    const head = payload.length < 126 ? Buffer.from([0x80 | opcode, payload.length])
      : Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff]);
    return Buffer.concat([head, payload]);
  };
  const iv = (seq) => { const b = Buffer.alloc(12); b.writeBigUInt64BE(BigInt(seq), 4); return b; };
  const http = createServer((req, res) => { res.writeHead(404).end(); });
  http.on('upgrade', (req, socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    const accept = createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const conn = { authenticate: null, received: [], closeCode: null, keys: null, sendSeq: 0, receiveSeq: 0 };
    connections.push(conn);
    const sendSealed = (frame, { seq = conn.sendSeq++, tamper = false } = {}) => {
      const cipher = createCipheriv('aes-256-gcm', conn.keys.server, iv(seq));
      const sealed = Buffer.concat([iv(seq), cipher.update(JSON.stringify(frame), 'utf8'), cipher.final(), cipher.getAuthTag()]);
      if (tamper) sealed[14] ^= 1;
      socket.write(wsFrame(1, Buffer.from(sealed.toString('base64url'))));
    };
    const handle = (opcode, payload) => {
      if (opcode === 8) {
        conn.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : null;
        socket.end(wsFrame(8, payload.subarray(0, 2)));
        return;
      }
      if (opcode !== 1) return;
      const text = payload.toString('utf8');
      if (!conn.keys) {
        conn.authenticate = JSON.parse(text);
        const ecdh = createECDH('prime256v1');
        const serverKey = ecdh.generateKeys();
        const z = ecdh.computeSecret(Buffer.from(conn.authenticate.data.publicKey, 'base64url'));
        const salt = randomBytes(32);
        const key = (info) => Buffer.from(hkdfSync('sha256', z, salt, info, 32));
        conn.keys = { client: key('wiregate/1 client'), server: key('wiregate/1 server') };
        const encryption = { publicKey: serverKey.toString('base64url'), salt: salt.toString('base64url') };
        socket.write(wsFrame(1, Buffer.from(JSON.stringify({ event: 'connected', data: { id: `fake-${connections.length}`, userId: 'fake', time: Date.now(), rooms: [], encryption } }))));
        return;
      }
      const bytes = Buffer.from(text, 'base64url');
      assert.deepEqual(bytes.subarray(0, 12), iv(conn.receiveSeq++), 'the client seals with the next sequence number');
      const decipher = createDecipheriv('aes-256-gcm', conn.keys.client, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      const frame = JSON.parse(Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8'));
      conn.received.push(frame);
      if (frame.event === 'echo') sendSealed({ event: 'echo', data: frame.data, id: frame.id });
      if (frame.event === 'tamper') sendSealed({ event: 'echo', data: 'tampered' }, { tamper: true });
      if (frame.event === 'replay') {
        sendSealed({ event: 'echo', data: 'first' });
        sendSealed({ event: 'echo', data: 'replayed' }, { seq: conn.sendSeq - 1 });
      }
    };
    let buffer = Buffer.alloc(0);
    socket.on('data', (d) => {
      buffer = Buffer.concat([buffer, d]);
      for (;;) { // masked client frames, each in one fragment
        if (buffer.length < 2) return;
        let length = buffer[1] & 0x7f;
        let at = 2;
        if (length === 126) { if (buffer.length < 4) return; length = buffer.readUInt16BE(2); at = 4; }
        else if (length === 127) { if (buffer.length < 10) return; length = Number(buffer.readBigUInt64BE(2)); at = 10; }
        if (buffer.length < at + 4 + length) return;
        const mask = buffer.subarray(at, at + 4);
        const payload = Buffer.from(buffer.subarray(at + 4, at + 4 + length));
        for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
        const opcode = buffer[0] & 0x0f;
        buffer = buffer.subarray(at + 4 + length);
        handle(opcode, payload);
      }
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    connections,
    url: (p) => `ws://127.0.0.1:${http.address().port}${p}`,
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); http.close(resolve); }),
  };
}

test('encryption: against node:crypto, the client\'s frames open; a frame that does not open, or repeats a sequence number, closes with 4004 and the client reconnects', async () => {
  const fake = await startFakeSealedServer();
  closers.push(() => fake.close());
  const c = clientAt(fake.url('/anywhere'), { auth: { token: 'mine' }, encryption: true });
  const echoed = [];
  c.on('echo', (d) => echoed.push(d));
  await next(c, 'connected');
  assert.equal(await c.request('echo', 'one'), 'one');
  assert.deepEqual(await c.request('echo', { two: 'é' }), { two: 'é' });
  const first = fake.connections[0];
  assert.equal(first.authenticate.event, 'authenticate');
  assert.equal(first.authenticate.data.token, 'mine');
  assert.deepEqual(first.received.map((f) => f.data), ['one', { two: 'é' }]);

  for (const [i, trigger] of [[0, 'tamper'], [1, 'replay']]) {
    const dropped = next(c, 'disconnected');
    c.emit(trigger);
    const d = await dropped;
    assert.equal(d.code, 4004, `${trigger}: ${JSON.stringify(d)}`);
    assert.equal(d.willReconnect, true);
    await until(() => fake.connections[i].closeCode === 4004, 5000, `the close frame 4004 after ${trigger}`);
    await next(c, 'connected');
    assert.equal(await c.request('echo', `after ${trigger}`), `after ${trigger}`, 'the new connection has new keys and works');
  }
  assert.deepEqual(echoed, ['first'], 'neither the tampered frame nor the replayed one was delivered');
});
