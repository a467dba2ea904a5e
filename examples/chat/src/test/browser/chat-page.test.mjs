// The chat page (examples/chat, on wiregate.js) driven in a real headless Chromium against the real chat server:
// two users log in, see each other online, message, see typing, switch rooms; the server is killed and started
// again on the same port, and both pages reconnect and chat again. And a page whose connection is cut for a moment
// (through a TCP proxy: no close frame) resumes its session and shows what was said meanwhile, once. And on two
// chat nodes joined by a real Redis, a page whose node is restarted resumes on the other node (the proxy playing
// the load balancer) with nothing lost.
// Env: WG_RUNTIME (tyrus or netty), CHAT_JAR (examples/chat/target/chat.jar), CHROMIUM (/usr/bin/chromium unless set), WG_JS_TEST_SERVER (the
// path of clients/js/test/server.mjs, when this file runs from a copy).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants as fsc, existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const JAR = process.env.CHAT_JAR || path.resolve(here, '../../../target/chat.jar');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WAIT_MS = 15000;

/** Starts the chat jar on 127.0.0.1 (the JavaScript client's test launcher: clients/js/test/server.mjs). */
const { startJar, startProxy } = await import(process.env.WG_JS_TEST_SERVER
  || new URL('../../../../../clients/js/test/server.mjs', import.meta.url).href);
// WG_RUNTIME (tyrus unless set) chooses the standalone runtime the jar starts on.
// The chat as the README runs it observed: health and a Prometheus scrape on its HTTP port.
const OBSERVED = { 'wiregate.metrics.path': '/metrics', 'wiregate.health.path': '/health' };
const startChat = (port = 0) => startJar(JAR, { ...OBSERVED, ...(process.env.WG_RUNTIME ? { 'wiregate.runtime': process.env.WG_RUNTIME } : {}) }, port);

let server;
let browser;

before(async () => {
  assert.ok(existsSync(JAR), `no chat jar at ${JAR}`);
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`);
  server = await startChat();
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens the chat page (from `origin`, the server's own unless given) in a context of its own and logs in as `name`. */
async function loggedIn(name, origin = `http://127.0.0.1:${server.port}`) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.problems = problems;
  await page.goto(`${origin}/`, { waitUntil: 'load', timeout: WAIT_MS });
  await page.type('#name', name);
  await page.click('#login button');
  await waitForText(page, '#status', `connected as ${name}`);
  await waitForText(page, '#room-label', 'lobby');
  return page;
}

/** Waits (bounded) until the page lists exactly these people in its room (sorted). */
async function waitForPeople(page, names) {
  try {
    await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('#people li')].map((li) => li.textContent)) === want,
      { polling: 50, timeout: WAIT_MS }, JSON.stringify(names));
  } catch (e) {
    const actual = await page.$$eval('#people li', (lis) => lis.map((li) => li.textContent)).catch(() => '(no list)');
    throw new Error(`#people never listed ${JSON.stringify(names)}; it lists ${JSON.stringify(actual)}`);
  }
}

/** Waits (bounded) until the element's text contains `text`. Polls: a page in the background gets no animation frames. */
async function waitForText(page, selector, text) {
  try {
    await page.waitForFunction((s, t) => document.querySelector(s)?.textContent.includes(t),
      { polling: 50, timeout: WAIT_MS }, selector, text);
  } catch (e) {
    const actual = await page.$eval(selector, (el) => el.textContent).catch(() => '(no element)');
    throw new Error(`${selector} never contained "${text}"; it holds "${actual}"`);
  }
}

async function say(page, text) {
  await page.type('#text', text);
  await page.click('#compose button');
}

async function joinRoom(page, name) {
  await page.type('#room', name);
  await page.click('#switch button');
  await waitForText(page, '#room-label', name);
}

test('two users chat, see each other and their typing, switch rooms, and chat again after a server restart', async () => {
  const ada = await loggedIn('ada');
  const bob = await loggedIn('bob');

  // Presence: each sees the other in the room.
  await waitForPeople(ada, ['ada', 'bob']);
  await waitForPeople(bob, ['ada', 'bob']);

  // Typing, then a message.
  await ada.type('#text', 'hel');
  await waitForText(bob, '#typing', 'ada is typing...');
  await ada.type('#text', 'lo bob');
  await ada.click('#compose button');
  await waitForText(bob, '#messages', 'ada: hello bob');
  await waitForText(ada, '#messages', 'ada: hello bob');
  await say(bob, 'hi ada');
  await waitForText(ada, '#messages', 'bob: hi ada');

  // Rooms: both move to "games"; what is said there reaches both. The list shows the room's people only.
  await joinRoom(ada, 'games');
  await waitForPeople(ada, ['ada']);
  await waitForPeople(bob, ['bob']);
  await joinRoom(bob, 'games');
  await waitForPeople(ada, ['ada', 'bob']);
  await say(bob, 'anyone for chess?');
  await waitForText(ada, '#messages', 'bob: anyone for chess?');

  // The server goes away and comes back on the same port: both pages reconnect by themselves.
  const port = server.port;
  await server.stop();
  await waitForText(ada, '#status', 'reconnecting');
  await waitForText(bob, '#status', 'reconnecting');
  server = await startChat(port);
  await waitForText(ada, '#status', 'connected as ada');
  await waitForText(bob, '#status', 'connected as bob');
  await waitForText(ada, '#people', 'bob');
  await waitForText(bob, '#people', 'ada');

  // Still in "games" (the client joined it again), and the chat works.
  await say(ada, 'back again');
  await waitForText(bob, '#messages', 'ada: back again');
  await waitForText(bob, '#room-label', 'games');

  // Observed: the scrape counts the two pages and their messages; health is up.
  const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  assert.match(metrics, /^wiregate_connections_open\{gateway="\/chat"\} 2\.0$/m, metrics);
  assert.match(metrics, /^wiregate_handler_duration_seconds_count\{event="message",gateway="\/chat"\} [1-9]/m, metrics);
  assert.equal((await fetch(`http://127.0.0.1:${server.port}/health/ready`)).status, 200);

  assert.deepEqual([...ada.problems, ...bob.problems], [], 'no script errors in the pages');
});

test('a page whose connection is cut for a moment resumes its session and shows what was said meanwhile, once', async () => {
  const proxy = await startProxy(server.port);
  try {
    const cara = await loggedIn('cara', proxy.url('').replace('ws://', 'http://'));
    const dan = await loggedIn('dan');
    await waitForText(cara, '#people', 'dan');
    await say(dan, 'before the cut');
    await waitForText(cara, '#messages', 'dan: before the cut');

    proxy.drop(); // both sides reset: the server sees the connection end, the page sees it fail
    await waitForText(cara, '#status', 'reconnecting');
    await say(dan, 'while you were away');
    await waitForText(dan, '#messages', 'dan: while you were away');
    proxy.release();

    await waitForText(cara, '#messages', 'Reconnected; nothing was missed.');
    await waitForText(cara, '#messages', 'dan: while you were away');
    const text = await cara.$eval('#messages', (el) => el.textContent);
    assert.equal(text.split('dan: while you were away').length - 1, 1, `shown once: ${text}`);
    assert.equal(text.split('dan: before the cut').length - 1, 1, `not replayed: ${text}`);
    assert.deepEqual([...cara.problems, ...dan.problems], [], 'no script errors in the pages');
  } finally {
    await proxy.close();
  }
});

/** The redis-server binary: WG_REDIS_SERVER, else the PATH, else Debian's. */
function findRedis() {
  const candidates = process.env.WG_REDIS_SERVER ? [process.env.WG_REDIS_SERVER]
    : [...String(process.env.PATH || '').split(':').map((d) => path.join(d, 'redis-server')), '/usr/bin/redis-server'];
  for (const c of candidates) { try { accessSync(c, fsc.X_OK); return c; } catch { /* next */ } }
  return null;
}

/** A private redis-server on a free loopback port, without persistence; `stop()` kills it. */
async function startRedis() {
  const port = await new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
  const child = spawn(findRedis(), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 10000;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => c.write('PING\r\n'));
      c.on('data', (d) => { c.destroy(); resolve(d.toString().startsWith('+PONG')); });
      c.on('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`redis-server did not answer on ${port}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { address: `redis://127.0.0.1:${port}`, stop: async () => { child.kill('SIGKILL'); await exited; } };
}

test('on two nodes joined by Redis, a page whose node restarts resumes on the other node and shows what was said meanwhile, once',
  { skip: findRedis() ? false : 'no redis-server (Debian: apt-get install redis-server)' }, async () => {
    const redis = await startRedis();
    const options = { 'wiregate.redis.address': redis.address,
      ...(process.env.WG_RUNTIME ? { 'wiregate.runtime': process.env.WG_RUNTIME } : {}) };
    let [nodeA, nodeB] = await Promise.all([startJar(JAR, options), startJar(JAR, options)]);
    const proxy = await startProxy(nodeA.port); // the load balancer: node A for now
    try {
      const eve = await loggedIn('eve', proxy.url('').replace('ws://', 'http://'));
      const fay = await loggedIn('fay', `http://127.0.0.1:${nodeB.port}`);
      await waitForPeople(eve, ['eve', 'fay']); // presence across the nodes
      await waitForPeople(fay, ['eve', 'fay']);
      await say(fay, 'hello from node B');
      await waitForText(eve, '#messages', 'fay: hello from node B');

      // Node A goes down for a restart; the balancer sends new connections to node B meanwhile.
      proxy.drop();
      await waitForText(eve, '#status', 'reconnecting');
      const portA = nodeA.port;
      await nodeA.stop();
      await say(fay, 'said while node A restarts');
      await waitForText(fay, '#messages', 'fay: said while node A restarts');
      proxy.target(nodeB.port);
      proxy.release();

      await waitForText(eve, '#status', 'connected as eve');
      await waitForText(eve, '#messages', 'Reconnected; nothing was missed.');
      await waitForText(eve, '#messages', 'fay: said while node A restarts');
      const text = await eve.$eval('#messages', (el) => el.textContent);
      assert.equal(text.split('fay: said while node A restarts').length - 1, 1, `shown once: ${text}`);
      assert.equal(text.split('fay: hello from node B').length - 1, 1, `not replayed: ${text}`);

      // Node A is back on its port, and a page on it chats with both.
      nodeA = await startJar(JAR, options, portA);
      const gus = await loggedIn('gus', `http://127.0.0.1:${nodeA.port}`);
      await waitForPeople(fay, ['eve', 'fay', 'gus']);
      await waitForPeople(gus, ['eve', 'fay', 'gus']);
      await say(gus, 'node A is back');
      await waitForText(eve, '#messages', 'gus: node A is back');
      await waitForText(fay, '#messages', 'gus: node A is back');
      assert.deepEqual([...eve.problems, ...fay.problems, ...gus.problems], [], 'no script errors in the pages');
    } finally {
      await proxy.close();
      await Promise.all([nodeA?.stop(), nodeB?.stop()]);
      await redis.stop();
    }
  });
