// Starts the conformance application (docs/conformance.md) as a real server on 127.0.0.1 for the client's tests.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const JAR = process.env.WG_CONFORMANCE_JAR
  || path.resolve(here, '../../../examples/conformance/target/conformance.jar');

/**
 * A conformance server: `port`, `url(path)`, `stop()` (SIGTERM: its clients get 1001). It runs on the jar's default
 * runtime (Netty), or on the one `WG_RUNTIME` names (`WG_RUNTIME=tyrus`).
 */
export async function startServer(options = {}, port = 0) {
  if (!existsSync(JAR)) throw new Error(`no conformance jar at ${JAR}: build it with mvn -B package -pl examples/conformance -am`);
  const runtime = process.env.WG_RUNTIME ? { 'wiregate.runtime': process.env.WG_RUNTIME } : {};
  return startJar(JAR, { ...runtime, ...options }, port);
}

/**
 * Starts a Wiregate application jar (`java -jar`) on 127.0.0.1 with `-Dkey=value` options, and resolves once it
 * prints `LISTENING ws://127.0.0.1:PORT` (within 30 s): `port`, `url(path)`, `stop()` (SIGTERM, SIGKILL after 10 s).
 */
export async function startJar(jar, options = {}, port = 0) {
  const args = Object.entries(options).map(([k, v]) => `-D${k}=${v}`);
  const child = spawn('java', [...args, `-Dwiregate.port=${port}`, '-Dwiregate.host=127.0.0.1', '-jar', jar],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const listening = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${jar} did not start within 30 s:\n${log}`)), 30000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /LISTENING ws:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${jar} exited with ${code}:\n${log}`)); });
  });
  return {
    port: listening,
    url: (p) => `ws://127.0.0.1:${listening}${p}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves with the first value `client` raises for `event` (and `predicate`), or rejects after `ms`. */
export function next(client, event, ms = 10000, predicate = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { client.off(event, fn); reject(new Error(`no ${event} within ${ms} ms`)); }, ms);
    function fn(data) {
      if (!predicate(data)) return;
      clearTimeout(timer);
      client.off(event, fn);
      resolve(data);
    }
    client.on(event, fn);
  });
}

/**
 * A WebSocket server that completes the handshake, sends `connected`, and then answers nothing: what a client
 * sees of a server that stalls. Listens on 127.0.0.1; `close()` stops it.
 */
export async function startSilentServer() {
  const { createServer } = await import('node:http');
  const { createHash } = await import('node:crypto');
  const sockets = new Set();
  const http = createServer((req, res) => { res.writeHead(404).end(); });
  http.on('upgrade', (req, socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    const accept = createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const payload = Buffer.from(JSON.stringify({ event: 'connected', data: { id: 'silent-1', userId: null, time: Date.now(), rooms: [] } }));
    socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload])); // one unmasked text frame (< 126 bytes)
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: (p) => `ws://127.0.0.1:${http.address().port}${p}`,
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); http.close(resolve); }),
  };
}

/**
 * A TCP proxy on 127.0.0.1 in front of `port`, which the tests use to cut a client's connection the way a network
 * does: no close frame, no FIN from the other side. `url(path)`; `requests`, the request line (`GET /path?query
 * HTTP/1.1`) of every connection it forwarded; `drop({ upstream })`: resets every connection on the client's side
 * and holds new ones until `release()`; with `upstream: false` the server's side stays open (its bytes read and
 * kept in `orphans`, one string per connection): a server that has not noticed yet. `target(port)`: later
 * connections go to another port. `close()` ends everything.
 */
export async function startProxy(port) {
  const { createServer, connect: connectTcp } = await import('node:net');
  const pairs = new Set();
  const held = [];
  const requests = [];
  const orphans = [];
  const orphaned = []; // server-side sockets left open by drop({ upstream: false })
  let holding = false;
  let upstreamPort = port;
  function forward(client) {
    const upstream = connectTcp(upstreamPort, '127.0.0.1');
    const pair = { client, upstream, orphan: false };
    pairs.add(pair);
    upstream.on('error', () => {});
    let head = '';
    client.on('data', (d) => {
      if (head !== null) {
        head += d.toString('latin1');
        const end = head.indexOf('\r\n');
        if (end >= 0) { requests.push(head.slice(0, end)); head = null; }
      }
      upstream.write(d);
    });
    upstream.on('data', (d) => { if (!pair.orphan) client.write(d); });
    client.on('close', () => { pairs.delete(pair); if (!pair.orphan) upstream.destroy(); });
    upstream.on('close', () => { pairs.delete(pair); client.destroy(); });
  }
  const tcp = createServer((client) => {
    client.on('error', () => {});
    if (holding) held.push(client);
    else forward(client);
  });
  await new Promise((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  return {
    url: (p) => `ws://127.0.0.1:${tcp.address().port}${p}`,
    requests,
    orphans,
    drop({ upstream = true } = {}) {
      holding = true;
      for (const pair of [...pairs]) {
        if (!upstream) {
          pair.orphan = true;
          orphaned.push(pair.upstream);
          const index = orphans.push('') - 1;
          pair.upstream.on('data', (d) => { orphans[index] += d.toString('latin1'); });
        }
        pair.client.resetAndDestroy();
        if (upstream) pair.upstream.resetAndDestroy();
      }
    },
    /** Sends connections opened from now on to `next` (a load balancer moving to another node). */
    target(next) {
      upstreamPort = next;
    },
    release() {
      holding = false;
      for (const client of held.splice(0)) if (!client.destroyed) forward(client);
    },
    close: () => new Promise((resolve) => {
      for (const client of held.splice(0)) client.destroy();
      for (const { client, upstream } of pairs) { client.destroy(); upstream.destroy(); }
      for (const upstream of orphaned) upstream.destroy();
      tcp.close(resolve);
    }),
  };
}
