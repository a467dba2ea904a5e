// wiregate.js against a real Wiregate server (the conformance application), over real sockets.
// Run: node --experimental-websocket --test test/   (Node 22+ needs no flag)
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { connect, WiregateError } from '../wiregate.js';
import { startServer, startSilentServer, next } from './server.mjs';

const SECURE = {
  'wiregate.secure.heartbeat-timeout-ms': 1500,
  'wiregate.secure.ping-interval-ms': 0,
};

let server;
const clients = [];

function client(path, options = {}) {
  const c = connect(server.url(path), { reconnect: { minMs: 50, maxMs: 400 }, ...options });
  clients.push(c);
  return c;
}

before(async () => { server = await startServer(SECURE); });
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
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
