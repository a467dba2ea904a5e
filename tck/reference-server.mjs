// Reference implementation of ../docs/protocol.md + ../docs/conformance.md, used only to prove that the
// conformance suite is correct. Usage: node reference-server.mjs [-Dkey=value ...]
//
// REF_BREAK=name[,name] (environment) deliberately breaks one behaviour, to check that the
// suite notices (mutation check). Names are listed in BREAKS below.
import http from 'node:http';
import { randomUUID, randomBytes, createECDH, createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { WebSocketServer } from 'ws';
import Redis from 'ioredis';

const BREAKS = new Set((process.env.REF_BREAK || '').split(',').filter(Boolean));
const broken = (name) => BREAKS.has(name);

const opts = {};
for (const arg of process.argv.slice(2)) {
  const m = /^-D([^=]+)=(.*)$/s.exec(arg);
  if (m) opts[m[1]] = m[2];
}
const num = (key, dflt) => (opts[key] !== undefined && opts[key] !== '' ? Number(opts[key]) : dflt);
const PORT = num('wiregate.port', 8025);
const AUTH_TIMEOUT = num('wiregate.secure.auth-timeout-ms', 5000);
const HEARTBEAT_TIMEOUT = num('wiregate.secure.heartbeat-timeout-ms', 30000);
const PING_INTERVAL = num('wiregate.secure.ping-interval-ms', 25000); // protocol 1.1: server pings
const ECHO_MAX_BYTES = num('wiregate.echo.max-message-bytes', 65536);
const ECHO_QUEUE = num('wiregate.echo.outbound-queue', 1024);
const RECOVERY_WINDOW = num('wiregate.recovery.recovery-window-ms', 120000); // protocol 1.2, §9
const RECOVERY_MAX_EVENTS = num('wiregate.recovery.recovery-max-events', 10000);
const REDIS_ADDRESS = opts['wiregate.redis.address'];
const PREFIX = 'ws';
const SERVER_ID = randomUUID();
const DEFAULT_MAX_BYTES = 65536;
const DEFAULT_QUEUE = 1024;

const EVENT_RE = broken('event-charset') ? /^.{1,128}$/s : /^[A-Za-z0-9_.:/-]{1,128}$/;
const log = (...a) => console.error(new Date().toISOString(), ...a);

/** @type {Map<string, any>} */
const clients = new Map();

// ---------------------------------------------------------------- outbound (bounded queue)
const globalQueue = [];
function pumpGlobal() {
  while (globalQueue.length) {
    const [c, s] = globalQueue[0];
    if (c.closing || c.ws.readyState !== 1) { globalQueue.shift(); continue; }
    if (c.ws._socket.writableNeedDrain) return;
    globalQueue.shift();
    transmit(c, s);
  }
}
function send(c, obj) {
  if (c.closing) return;
  if (broken('stall')) { globalQueue.push([c, typeof obj === 'string' ? obj : JSON.stringify(obj)]); return pumpGlobal(); }
  c.queue.push(typeof obj === 'string' ? obj : JSON.stringify(obj));
  if (c.queue.length > c.bound && !broken('slow-consumer')) {
    c.queue.length = 0;
    closeWith(c, 4005, 'slow consumer');
    return;
  }
  pump(c);
}
function pump(c) {
  const sock = c.ws._socket;
  while (c.queue.length && c.ws.readyState === 1 && !(sock && sock.writableNeedDrain)) {
    transmit(c, c.queue.shift());
  }
}
/** Puts a text frame on the wire: sealed (§12) once the connection's `connected` has gone out in the clear. */
function transmit(c, text) {
  if (c.crypto) {
    if (c.crypto.clear > 0) c.crypto.clear--;
    else text = seal(c.crypto.out, text);
  }
  c.ws.send(text);
}
function closeWith(c, code, reason) {
  if (c.closing) return;
  c.closing = true;
  clearTimeout(c.authTimer);
  clearTimeout(c.hbTimer);
  clearTimeout(c.expiryTimer);
  if (c.ws.readyState === 1) {
    transmit(c, JSON.stringify({ event: 'disconnect', data: { code, reason } }));
    c.ws.close(code, reason);
  }
}
const reply = (c, id, event, data) => send(c, id === undefined ? { event, data } : { event, data, id: broken('number-id-as-string') ? String(id) : id });
const ack = (c, id) => {
  if (id !== undefined || broken('ack-without-id')) send(c, id === undefined ? { event: 'ack' } : { event: 'ack', id });
  if (id !== undefined && broken('double-answer')) send(c, { event: 'ack', id });
};
function sendError(c, id, code, message, violations) {
  const data = { code, message };
  if (violations) data.violations = violations;
  send(c, id === undefined ? { event: 'error', data } : { event: 'error', data, id });
}

// ---------------------------------------------------------------- delivery + cluster bus
function deliverLocal(m) {
  const exclude = new Set(broken('exclude') ? [] : m.exclude || []);
  const frame = JSON.stringify({ event: m.event, data: m.data === undefined ? null : m.data });
  // §9: a recoverable delivery on a gateway with recovery goes through its history and sessions (live or away)
  const recoverable = !m.volatile || broken('recovery-volatile');
  if (recoverable) {
    for (const gw of Object.values(GATEWAYS)) {
      if (gw.rec && (m.namespace === undefined || m.namespace === gw.namespace)) recordRecoverable(gw.rec, m, exclude);
    }
  }
  for (const c of clients.values()) {
    if (c.session && recoverable) continue; // delivered above, with its offset
    // A bus message without `namespace` (Ignis's WebSocketEmitter publishes none) reaches every gateway.
    if ((m.namespace !== undefined && c.namespace !== m.namespace) || exclude.has(c.id) || c.closing) continue;
    if (!c.authenticated && !broken('unauth-broadcast')) continue;
    if (m.type === 'client' && c.id !== m.target && !broken('client-target')) continue;
    if (m.type === 'user' && c.userId !== m.target && !broken('user-target')) continue;
    if (m.type === 'room' && !c.rooms.has(m.target)) continue;
    send(c, frame);
  }
}
let pub = null;
let sub = null;
function deliver(m) {
  if (broken('order') && m.event === 'shout' && Math.random() < 0.05) return setTimeout(() => deliverLocal(m), 5);
  if (!(broken('local-via-redis') && pub)) deliverLocal(m);
  if (!pub) return;
  const channel = m.type === 'broadcast' ? `${PREFIX}:broadcast` : `${PREFIX}:${m.type}:${m.target}`;
  const msg = { serverId: SERVER_ID, ...m };
  pub.publish(channel, JSON.stringify(msg)).catch((e) => log('redis publish failed:', e.message));
}
let malformed = 0;
function onBusMessage(raw) {
  let m;
  try {
    m = JSON.parse(raw);
    const ok = m && typeof m === 'object' && !Array.isArray(m) && typeof m.serverId === 'string'
      && ['client', 'user', 'room', 'broadcast'].includes(m.type) && (m.namespace === undefined || typeof m.namespace === 'string')
      && typeof m.event === 'string' && EVENT_RE.test(m.event)
      && (m.type === 'broadcast' || typeof m.target === 'string')
      && (m.exclude === undefined || (Array.isArray(m.exclude) && m.exclude.every((x) => typeof x === 'string')));
    if (!ok) throw new Error('not a cluster envelope');
  } catch (e) {
    malformed++;
    log(`malformed bus message #${malformed} ignored: ${e.message}`);
    if (broken('malformed-kills-subscriber')) sub.punsubscribe();
    return;
  }
  if (m.serverId === SERVER_ID && !broken('own-server-id') && !broken('local-via-redis')) return;
  if (m.serverId === 'emitter' && broken('emitter')) return;
  deliverLocal(m);
}
async function startBus() {
  if (!REDIS_ADDRESS) return;
  const retryStrategy = (times) => (broken('no-redis-reconnect') && times > 1 ? null : Math.min(times * 100, 1000));
  pub = new Redis(REDIS_ADDRESS, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy });
  sub = new Redis(REDIS_ADDRESS, { retryStrategy, maxRetriesPerRequest: null });
  pub.on('error', (e) => log('redis(pub):', e.message));
  sub.on('error', (e) => log('redis(sub):', e.message));
  sub.on('pmessage', (_pattern, _channel, message) => onBusMessage(message));
  await sub.psubscribe(`${PREFIX}:*`);
}

// ---------------------------------------------------------------- connection state recovery (protocol 1.2, §9)
// Per recovery gateway: the history of recoverable events (trimmed by the window and the max events), and the
// sessions, live or away, each with the log of the history entries it was a recipient of (exact even when its
// rooms changed over time). Everything runs in one JS turn per event or per open: nothing is lost or doubled.
const EPOCH = randomBytes(6).toString('hex'); // this run's history: offsets of another run are never recovered
const TOKEN_RE = /^[A-Za-z0-9_-]{22,128}$/;
const OFFSET_RE = /^[A-Za-z0-9_.:-]{1,128}$/;
const recoveryState = () => ({ seq: 0, history: [], sessions: new Set(), tokens: new Map() });
const expired = (s, now = Date.now()) => s.conn === null && now - s.closedAt > RECOVERY_WINDOW && !broken('recovery-no-expiry');

function trimHistory(R, now = Date.now()) {
  let drop = 0;
  while (drop < R.history.length && (R.history.length - drop > RECOVERY_MAX_EVENTS || now - R.history[drop].at > RECOVERY_WINDOW)) drop++;
  if (!drop) return;
  const upTo = R.history[drop - 1].seq;
  R.history.splice(0, drop);
  for (const s of R.sessions) {
    let k = 0;
    while (k < s.log.length && s.log[k].seq <= upTo) k++;
    if (k) { s.lostUpTo = s.log[k - 1].seq; s.log.splice(0, k); }
  }
}
function sweepSessions(R) {
  for (const s of R.sessions) if (expired(s)) { R.sessions.delete(s); R.tokens.delete(s.token); }
}

function recordRecoverable(R, m, exclude) {
  const seq = ++R.seq;
  const entry = { seq, at: Date.now(), text: JSON.stringify({ event: m.event, data: m.data === undefined ? null : m.data, offset: `${EPOCH}:${seq}` }) };
  R.history.push(entry);
  for (const s of R.sessions) {
    if (expired(s) || exclude.has(s.clientId)) continue;
    if (m.type === 'client' && s.clientId !== m.target) continue;
    if (m.type === 'user' && s.userId !== m.target) continue;
    if (m.type === 'room' && !s.rooms.has(m.target)) continue;
    s.log.push(entry);
    if (s.conn) send(s.conn, entry.text);
  }
  trimHistory(R);
}

/** The session a resume names, and the seq of its offset, when it can be recovered; null otherwise (§9). */
function findSession(R, token, offset, userId) {
  if (typeof token !== 'string' || !TOKEN_RE.test(token)) return null;
  const s = R.tokens.get(token);
  if (!s || expired(s)) return null;
  if (s.userId !== userId && !broken('recovery-any-user')) return null;
  if (broken('recovery-lenient') && (typeof offset !== 'string' || !OFFSET_RE.test(offset))) return { s, o: s.startSeq };
  if (typeof offset !== 'string' || !OFFSET_RE.test(offset)) return null;
  const m = /^([0-9a-f]+):(0|[1-9][0-9]{0,14})$/.exec(offset);
  if (!m || m[1] !== EPOCH) return null; // never issued by this run
  const o = Number(m[2]);
  if (o < s.startSeq || o > R.seq) return null; // never issued to this session
  if (o < s.lostUpTo && !broken('recovery-no-trim-check')) return null; // some of its events after o are gone
  return { s, o };
}

/** Gives connection c its session (resumed or fresh); returns the history entries to replay after connected. */
function attachSession(R, c, ctx) {
  trimHistory(R);
  sweepSessions(R);
  const found = findSession(R, ctx.session, ctx.offset, c.userId);
  let s;
  let offset;
  let replay = [];
  if (found) {
    s = found.s;
    if (s.conn) {
      const old = s.conn;
      s.conn = null;
      if (!broken('recovery-no-takeover')) closeWith(old, 1000, 'session resumed');
    }
    if (!broken('recovery-old-token')) R.tokens.delete(s.token);
    c.id = s.clientId;
    c.rooms = s.rooms;
    offset = broken('recovery-lenient') && !OFFSET_RE.test(ctx.offset ?? '') ? `${EPOCH}:${found.o}` : ctx.offset;
    replay = s.log.filter((e) => (broken('recovery-duplicate') ? e.seq >= found.o : e.seq > found.o));
  } else {
    s = { clientId: c.id, userId: c.userId, rooms: c.rooms, startSeq: R.seq, log: [], lostUpTo: 0, conn: null, closedAt: null, token: null };
    R.sessions.add(s);
    offset = `${EPOCH}:${R.seq}`;
  }
  s.token = randomBytes(24).toString('base64url');
  R.tokens.set(s.token, s);
  s.conn = c;
  s.closedAt = null;
  c.session = s;
  c.recovery = { session: s.token, offset, recovered: Boolean(found) };
  return replay;
}
setInterval(() => {
  for (const gw of Object.values(GATEWAYS)) if (gw.rec) { trimHistory(gw.rec); sweepSessions(gw.rec); }
}, 1000).unref();

// ---------------------------------------------------------------- encryption (protocol 1.6, §12)
/** The bytes of `text` when it is strict base64url without padding; null otherwise. */
function fromBase64url(text) {
  return typeof text === 'string' && /^[A-Za-z0-9_-]*$/.test(text) && text.length % 4 !== 1 ? Buffer.from(text, 'base64url') : null;
}
/** The IV of sequence number `seq`: four zero bytes, then `seq` as an unsigned 64-bit big-endian integer. */
function sealIv(seq) {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(seq), 4);
  return iv;
}
/**
 * The server's side of the handshake for the client's `publicKey`: `connected`'s `encryption` member and the key and
 * next sequence number of each direction; null when the key is not an uncompressed P-256 point in base64url.
 */
function encryptionHandshake(publicKey) {
  const clientKey = fromBase64url(publicKey);
  if (!clientKey || clientKey.length !== 65 || clientKey[0] !== 0x04) return null;
  const ecdh = createECDH('prime256v1');
  const serverKey = ecdh.generateKeys();
  let z;
  try { z = ecdh.computeSecret(clientKey); } catch { return null; } // not a point of the curve
  const salt = randomBytes(32);
  const key = (info) => Buffer.from(hkdfSync('sha256', z, salt, info, 32));
  return {
    encryption: { publicKey: serverKey.toString('base64url'), salt: salt.toString('base64url') },
    in: { key: key('wiregate/1 client'), seq: 0 },
    out: { key: key('wiregate/1 server'), seq: 0 },
  };
}
/** `text` sealed as the next frame of direction `dir`: base64url of IV || AES-256-GCM ciphertext || tag. */
function seal(dir, text) {
  const iv = sealIv(dir.seq++);
  const cipher = createCipheriv('aes-256-gcm', dir.key, iv);
  return Buffer.concat([iv, cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64url');
}
/** The plaintext of `text` when it is exactly the next sealed frame of direction `dir`; null otherwise. */
function unseal(dir, text) {
  const bytes = fromBase64url(text);
  if (!bytes || bytes.length < 12 + 16 || !bytes.subarray(0, 12).equals(sealIv(dir.seq))) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', dir.key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
    dir.seq++;
    return plain;
  } catch { return null; } // tampered, or sealed with another key
}

// ---------------------------------------------------------------- presence (protocol 1.5, §11), one node
const isRoomName = (r) => typeof r === 'string' && r.length >= 1 && r.length <= 128 && !/[\u0000-\u001f\u007f]/.test(r);
/** The connections of gateway `namespace` in `room` (the room of a client's own id is no one's presence). */
function membersOf(namespace, room) {
  return [...clients.values()].filter((x) => x.namespace === namespace && x.rooms.has(room) && x.id !== room);
}
/** Every change of rooms goes through these two: a join of a room c is in, or a leave of one it is not in, is no change. */
function joinRoom(c, room) {
  if (c.rooms.has(room)) return;
  c.rooms.add(room);
  announce(c, room, 'join');
}
function leaveRoom(c, room) {
  if (c.rooms.delete(room)) announce(c, room, 'leave');
}
/**
 * Tells the other members of `room` that c joined or left it (level clients), or that c's user came online with its
 * first connection or went offline with its last one (level users; anonymous connections announce nothing).
 * Called once c's membership has changed (and, for a close, once c is gone from `clients`).
 */
function announce(c, room, change) {
  const level = GATEWAYS[c.gateway].presence;
  if (!level || room === c.id) return;
  let event;
  let data;
  if (level === 'clients') {
    event = `presence.${change}`;
    data = { room, id: c.id, userId: c.userId };
  } else {
    if (c.userId === null || membersOf(c.namespace, room).some((x) => x !== c && x.userId === c.userId)) return;
    event = change === 'join' ? 'presence.online' : 'presence.offline';
    data = { room, userId: c.userId };
  }
  deliver({ type: 'room', namespace: c.namespace, target: room, event, data, exclude: [c.id] });
}
/** §11: the `presence` request: who is in a room the client is a member of. */
function presenceRequest(c, data, id) {
  const room = data !== null && typeof data === 'object' ? data.room : undefined;
  if (!isRoomName(room)) return sendError(c, id, 'validation', 'room must be a room name', [{ path: 'room', message: 'invalid' }]);
  if (room === c.id || !c.rooms.has(room)) return sendError(c, id, 'forbidden', `not a member of room ${room}`);
  const members = membersOf(c.namespace, room).map((x) => ({ id: x.id, userId: x.userId }));
  reply(c, id, 'presence', { room, count: members.length, members: members.slice(0, 1000) });
}

// ---------------------------------------------------------------- handlers
function validateValidated(data) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return [{ path: '', message: 'must be an object' }];
  }
  const v = [];
  if (typeof data.text !== 'string') v.push({ path: 'text', message: 'must be a string' });
  else if (data.text.trim() === '') v.push({ path: 'text', message: 'must not be blank' });
  else if (data.text.length > 10 && !broken('validation-size')) v.push({ path: 'text', message: 'size must be at most 10' });
  if (!Number.isInteger(data.count)) v.push({ path: 'count', message: 'must be an integer' });
  else if (data.count < 0) v.push({ path: 'count', message: 'must be greater than or equal to 0' });
  return broken('validation-first-only') ? v.slice(0, 1) : v;
}

const echoHandlers = {
  echo: (c, data, id) => reply(c, id, 'echo', data),
  shout: (c, data, id) => { deliver({ type: 'broadcast', namespace: c.namespace, event: 'shout', data }); ack(c, id); },
  shoutOthers: (c, data, id) => {
    deliver({ type: 'broadcast', namespace: c.namespace, event: 'shout', data, exclude: broken('shout-others') ? [] : [c.id] });
    ack(c, id);
  },
  validated: (c, data, id) => {
    const v = validateValidated(data);
    if (v.length) return sendError(c, id, 'validation', 'payload is not valid', v);
    reply(c, id, 'validated', { ok: true });
  },
  boom: () => { throw new Error('boom: SECRET-DETAIL from the handler'); },
  room: (c, data, id) => {
    if (!data || typeof data.room !== 'string') return sendError(c, id, 'validation', 'payload is not valid', [{ path: 'room', message: 'must be a string' }]);
    deliver({ type: 'room', namespace: c.namespace, target: data.room, event: 'room', data: data.data ?? null });
    ack(c, id);
  },
  void: (c, _data, id) => ack(c, id),
};
const whoami = (c, _data, id) => reply(c, id, 'whoami', { userId: c.userId, clientId: c.id });
const checkTarget = (data, fields) => data && typeof data === 'object' && fields.every((f) => typeof data[f] === 'string');
const secureHandlers = {
  whoami,
  toUser: (c, d, id) => {
    if (!checkTarget(d, ['userId', 'event'])) return sendError(c, id, 'validation', 'bad payload', [{ path: 'userId', message: 'required' }]);
    deliver({ type: 'user', namespace: c.namespace, target: d.userId, event: d.event, data: d.data ?? null });
    ack(c, id);
  },
  toRoom: (c, d, id) => {
    if (!checkTarget(d, ['room', 'event'])) return sendError(c, id, 'validation', 'bad payload', [{ path: 'room', message: 'required' }]);
    deliver({ type: 'room', namespace: c.namespace, target: d.room, event: d.event, data: d.data ?? null, exclude: Array.isArray(d.exclude) ? d.exclude : [] });
    ack(c, id);
  },
  toClient: (c, d, id) => {
    if (!checkTarget(d, ['clientId', 'event'])) return sendError(c, id, 'validation', 'bad payload', [{ path: 'clientId', message: 'required' }]);
    deliver({ type: 'client', namespace: c.namespace, target: d.clientId, event: d.event, data: d.data ?? null });
    ack(c, id);
  },
  toAll: (c, d, id) => {
    if (!checkTarget(d, ['event'])) return sendError(c, id, 'validation', 'bad payload', [{ path: 'event', message: 'required' }]);
    deliver({ type: 'broadcast', namespace: c.namespace, event: d.event, data: d.data ?? null });
    ack(c, id);
  },
};
const recoveryHandlers = {
  echo: (c, data, id) => reply(c, id, 'echo', data),
  toUser: secureHandlers.toUser,
  toRoom: secureHandlers.toRoom,
  toClient: secureHandlers.toClient,
  toAll: secureHandlers.toAll,
  volatileToRoom: (c, d, id) => {
    if (!checkTarget(d, ['room', 'event'])) return sendError(c, id, 'validation', 'bad payload', [{ path: 'room', message: 'required' }]);
    deliver({ type: 'room', namespace: c.namespace, target: d.room, event: d.event, data: d.data ?? null, volatile: true });
    ack(c, id);
  },
};
const badRoom = (c, id) => sendError(c, id, 'validation', 'bad payload', [{ path: 'room', message: 'must be a room name' }]);
const presenceHandlers = {
  // the server's own view (Broadcaster.presence), sorted by id
  who: (c, d, id) => {
    const room = d?.room;
    const members = isRoomName(room) ? membersOf(c.namespace, room).map((x) => ({ id: x.id, userId: x.userId })) : null;
    if (members) members.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    send(c, { event: 'who', data: members ? { room, members } : { room, failed: true } });
    ack(c, id);
  },
  // the handler joins (Peer.join) or removes (Peer.leave) the sender
  serverJoin: (c, d, id) => {
    if (!isRoomName(d?.room)) return badRoom(c, id);
    joinRoom(c, d.room);
    ack(c, id);
  },
  serverLeave: (c, d, id) => {
    if (!isRoomName(d?.room)) return badRoom(c, id);
    leaveRoom(c, d.room);
    ack(c, id);
  },
};
const sealedHandlers = { echo: echoHandlers.echo, whoami, toRoom: secureHandlers.toRoom };
const roomsHandlers = {
  say: (c, data, id) => {
    deliver({ type: 'room', namespace: c.namespace, target: broken('rooms-say') ? 'a' : c.roomId, event: 'said', data: { roomId: c.roomId, data: data ?? null } });
    ack(c, id);
  },
};
const GATEWAYS = {
  echo: { namespace: '/echo', handlers: echoHandlers, inband: false },
  secure: { namespace: '/secure', handlers: secureHandlers, inband: true, authMs: AUTH_TIMEOUT, heartbeatMs: HEARTBEAT_TIMEOUT, pingMs: PING_INTERVAL },
  guarded: { namespace: '/guarded', handlers: { whoami }, inband: false },
  rooms: { namespace: '/rooms/{roomId}', handlers: roomsHandlers, inband: false },
  recovery: { namespace: '/recovery', handlers: recoveryHandlers, inband: false, rec: recoveryState() },
  presence: { namespace: '/presence', handlers: presenceHandlers, inband: false, presence: 'clients' }, // §11
  'presence-users': { namespace: '/presence-users', handlers: presenceHandlers, inband: false, presence: 'users' },
  sealed: { namespace: '/sealed', handlers: sealedHandlers, inband: true, encryption: true, authMs: 5000, heartbeatMs: 30000, pingMs: 25000 }, // §12
};

function sendConnected(c, extra) {
  const data = { id: c.id, userId: c.userId, time: Date.now(), rooms: [...c.rooms].filter((r) => r !== c.id), ...extra };
  if (c.recovery) Object.assign(data, c.recovery); // §9: session, offset, recovered
  send(c, { event: 'connected', data });
}

function onFrame(c, raw, isBinary) {
  if (c.closing) return;
  c.lastSeen = Date.now();
  if (GATEWAYS[c.gateway].heartbeatMs && !broken('heartbeat')) armHeartbeat(c);
  // §12: after connected, only the client's next sealed text frame is accepted; anything else closes with 4004
  if (c.crypto) {
    raw = isBinary ? null : unseal(c.crypto.in, raw.toString('utf8'));
    if (raw === null) return closeWith(c, 4004, 'not the next sealed frame');
  }
  // §10: frames that arrive while a refresh runs are handled after it, in order
  if (c.refreshing && !broken('refresh-unordered')) { c.pending.push([raw, isBinary]); return; }
  handleFrame(c, raw, isBinary);
}

function handleFrame(c, raw, isBinary) {
  if (isBinary) return sendError(c, undefined, broken('binary') ? 'bad_frame' : 'unsupported', 'binary frames are not supported');
  let f;
  try { f = JSON.parse(raw.toString('utf8')); } catch { return sendError(c, undefined, 'bad_frame', 'frame is not JSON'); }
  if (f === null || typeof f !== 'object' || Array.isArray(f)) return sendError(c, undefined, 'bad_frame', 'frame is not a JSON object');
  let id;
  if (f.id !== undefined && f.id !== null) {
    const okId = (typeof f.id === 'string' && (f.id.length <= 64 || broken('id-length'))) || (typeof f.id === 'number' && Number.isFinite(f.id) && String(f.id).length <= 64);
    if (!okId) return sendError(c, undefined, 'bad_frame', 'id must be a string or number of at most 64 characters');
    id = f.id;
  }
  if (typeof f.event !== 'string' || !EVENT_RE.test(f.event)) return sendError(c, id, 'bad_frame', 'event must be 1 to 128 characters of [A-Za-z0-9_.:/-]');
  const data = f.data === undefined ? null : f.data;
  const gw = GATEWAYS[c.gateway];
  const event = f.event;

  // §4: no reply, except an ack when it carries an id (before authentication, §4 allows only errors: nothing)
  if (event === 'heartbeat') return id === undefined || (gw.inband && !c.authenticated) ? undefined : ack(c, id);
  if (event === 'authenticate' && gw.inband) return authenticate(c, data, id);
  if (gw.inband && !c.authenticated && !broken('unauthorized')) return sendError(c, id, 'unauthorized', 'authenticate first');
  if (event === 'join' || event === 'leave') return joinLeave(c, event, data, id);
  if (event === 'presence' && gw.presence) return presenceRequest(c, data, id); // §11; elsewhere an application event
  // own properties only: `constructor`, `toString`, ... are event names like any other (unknown_event)
  const handler = Object.hasOwn(gw.handlers, event) ? gw.handlers[event] : undefined;
  if (!handler) return sendError(c, id, 'unknown_event', `no handler for event ${event}`);
  try {
    handler(c, data, id);
  } catch (e) {
    log(`handler ${event} failed:`, e.stack);
    sendError(c, id, 'internal', broken('secret') ? e.message : 'internal error');
  }
}

function joinLeave(c, event, data, id) {
  const rooms = data && Array.isArray(data.rooms) ? data.rooms : null;
  if (!rooms || !rooms.every(isRoomName)) {
    return sendError(c, id, 'validation', 'rooms must be an array of room names', [{ path: 'rooms', message: 'invalid' }]);
  }
  if (event === 'leave') {
    if (!broken('leave')) for (const r of rooms) leaveRoom(c, r);
    return reply(c, id, 'left', { rooms });
  }
  const refused = c.gateway === 'secure' && !broken('forbidden') ? rooms.filter((r) => r.startsWith('private-')) : [];
  const accepted = rooms.filter((r) => !refused.includes(r));
  for (const r of accepted) joinRoom(c, r);
  if (refused.length) {
    if (accepted.length) reply(c, undefined, 'joined', { rooms: accepted });
    return sendError(c, id, 'forbidden', `rooms refused: ${refused.join(', ')}`);
  }
  reply(c, id, 'joined', { rooms: accepted });
}

/**
 * The identity /secure's authenticator gives for `data`, or null when it refuses: `good-USER` (no expiry), or
 * (protocol 1.3) `expiring-USER-MS`, MS from 1 to 600000, an identity that expires MS ms from now.
 */
function secureIdentity(data) {
  const token = data && typeof data === 'object' ? data.token : undefined;
  if (typeof token !== 'string') return null;
  let m = /^good-(.+)$/s.exec(token);
  if (m) return { userId: m[1], expiresAt: null };
  m = /^expiring-(.+)-(\d{1,6})$/s.exec(token);
  const ms = m ? Number(m[2]) : 0;
  return ms >= 1 && ms <= 600000 ? { userId: m[1], expiresAt: Date.now() + ms } : null;
}

function authenticate(c, data, id) {
  let handshake = null;
  if (GATEWAYS[c.gateway].encryption) {
    // §12: publicKey is the encryption's, removed before the authentication sees the credentials; a refresh's is ignored
    const { publicKey, ...credentials } = data !== null && typeof data === 'object' ? data : {};
    data = credentials;
    if (!c.authenticated && !(handshake = encryptionHandshake(publicKey))) return closeWith(c, 4004, 'encryption handshake failed');
  }
  if (c.authenticated) return broken('refresh-ack-anything') ? ack(c, id) : refresh(c, data, id); // (before 1.3: ack)
  const identity = secureIdentity(data);
  if (!identity && !broken('bad-token')) return closeWith(c, 4003, 'authentication failed');
  clearTimeout(c.authTimer);
  c.authenticated = true;
  c.userId = identity ? identity.userId : 'anonymous';
  armExpiry(c, identity ? identity.expiresAt : null);
  sendConnected(c, handshake && { encryption: handshake.encryption });
  // §12: every later frame is sealed, both ways (frames still queued, connected among them, go out in the clear)
  if (handshake) c.crypto = { in: handshake.in, out: handshake.out, clear: c.queue.length };
  if (id !== undefined) ack(c, id); // §3: a frame with an id is answered once; §4: after connected
}

// §10 (protocol 1.3): a refresh runs the authenticator again. It completes a little later, as an application's
// authenticator may (a call to an identity provider); the frames that arrive meanwhile wait in c.pending.
const REFRESH_DELAY_MS = 25;
function refresh(c, data, id) {
  c.refreshing = true;
  setTimeout(() => {
    c.refreshing = false;
    if (c.closing) return;
    const identity = secureIdentity(data);
    if (!identity) {
      // refused: the connection keeps the identity it had, and its expiry
      if (broken('refresh-refused-closes')) closeWith(c, 4003, 'authentication failed');
      else sendError(c, id, 'unauthorized', 'refresh refused: the credentials are not valid');
    } else if (identity.userId !== c.userId && !broken('refresh-switch-user')) {
      closeWith(c, 4003, 'a connection never changes user');
    } else {
      c.userId = identity.userId; // the same user (unless broken): the identity is replaced, expiry included
      if (!broken('refresh-old-expiry')) armExpiry(c, identity.expiresAt);
      if (broken('refresh-reconnected')) sendConnected(c);
      ack(c, id);
    }
    while (c.pending.length && !c.refreshing && !c.closing) handleFrame(c, ...c.pending.shift());
  }, REFRESH_DELAY_MS);
}

/** §10: closes the connection with 4001 when its identity expires (expiresAt epoch millis; null: never). */
function armExpiry(c, expiresAt) {
  clearTimeout(c.expiryTimer);
  c.expiryTimer = undefined;
  if (expiresAt === null || broken('refresh-no-expiry')) return;
  const delay = Math.max(0, expiresAt - Date.now());
  c.expiryTimer = setTimeout(() => closeWith(c, 4001, 'identity expired'), broken('refresh-expiry-early') ? delay / 3 : delay);
}

/** Protocol 1.1: pings a connection that has been silent for the ping interval; its pong restarts the heartbeat. */
function armPings(c) {
  const interval = GATEWAYS[c.gateway].pingMs;
  if (interval <= 0 || broken('pings')) return;
  c.pingTimer = setInterval(() => {
    if (!c.closing && Date.now() - c.lastSeen >= interval) c.ws.ping();
  }, interval);
}

function armHeartbeat(c) {
  clearTimeout(c.hbTimer);
  c.hbTimer = setTimeout(() => closeWith(c, 4002, 'heartbeat timeout'), GATEWAYS[c.gateway].heartbeatMs);
}

function onOpen(ws, gateway, ctx) {
  const gw = GATEWAYS[gateway];
  const c = {
    ws, gateway, namespace: gw.namespace, id: broken('unique-id') ? 'client-1' : randomUUID(),
    userId: ctx.userId ?? null, roomId: ctx.roomId, authenticated: !gw.inband, rooms: new Set(),
    queue: [], bound: gateway === 'echo' ? ECHO_QUEUE : DEFAULT_QUEUE, closing: false, lastSeen: Date.now(),
    refreshing: false, pending: [], expiryTimer: undefined, // §10
  };
  let replay = [];
  if (gw.rec) {
    replay = attachSession(gw.rec, c, ctx); // may take over the id and rooms of a resumed session
    c.bound += RECOVERY_MAX_EVENTS; // a replay never overflows the queue by itself
  }
  c.rooms.add(c.id);
  if (ctx.roomId !== undefined) c.rooms.add(ctx.roomId);
  clients.set(c.id, c);
  ws._socket.on('drain', () => (broken('stall') ? pumpGlobal() : pump(c)));
  ws.on('message', (raw, isBinary) => onFrame(c, raw, isBinary));
  ws.on('close', () => {
    c.closing = true; clearTimeout(c.authTimer); clearTimeout(c.hbTimer); clearTimeout(c.expiryTimer); clearInterval(c.pingTimer);
    if (clients.get(c.id) === c) clients.delete(c.id); // a resumed session's new connection has the same id
    if (c.session && c.session.conn === c) { c.session.conn = null; c.session.closedAt = Date.now(); }
    for (const r of c.rooms) announce(c, r, 'leave'); // §11: a connection that closes leaves its rooms
  });
  ws.on('pong', () => { c.lastSeen = Date.now(); if (gw.heartbeatMs && !c.closing && !broken('heartbeat')) armHeartbeat(c); });
  ws.on('error', (e) => log('socket error:', e.message));
  if (gw.inband) {
    armPings(c);
    if (!broken('auth-timeout')) c.authTimer = setTimeout(() => closeWith(c, 4001, 'authentication timeout'), gw.authMs);
    if (!broken('heartbeat')) armHeartbeat(c);
  } else {
    if (broken('connected-late')) send(c, { event: 'hello', data: null });
    sendConnected(c);
    for (const e of replay) send(c, e.text); // §9: the missed events, in order, before any new one (same JS turn)
  }
}

// ---------------------------------------------------------------- HTTP + upgrade
const wssDefault = new WebSocketServer({ noServer: true, maxPayload: broken('max-size') ? 1 << 24 : DEFAULT_MAX_BYTES, perMessageDeflate: false });
const wssEcho = new WebSocketServer({ noServer: true, maxPayload: broken('max-size') ? 1 << 24 : ECHO_MAX_BYTES, perMessageDeflate: false });
const server = http.createServer((_req, res) => { res.writeHead(404); res.end(); });
function refuse(socket, status, text) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
server.on('upgrade', (req, socket, head) => {
  socket.on('error', () => {});
  const url = new URL(req.url, 'http://127.0.0.1');
  const path = url.pathname;
  let gateway;
  const ctx = {};
  let m;
  if (path === '/echo') gateway = 'echo';
  else if (path === '/secure' || path === '/sealed') gateway = path.slice(1);
  else if (path === '/guarded') {
    gateway = 'guarded';
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== 'http://localhost' && origin !== 'http://127.0.0.1' && !broken('origin')) return refuse(socket, 403, 'Forbidden');
    const t = /^good-(.+)$/s.exec(url.searchParams.get('token') || '');
    if (!t && !broken('guarded-token')) return refuse(socket, 401, 'Unauthorized');
    ctx.userId = t ? t[1] : 'anonymous';
  } else if (path === '/recovery' || path === '/presence' || path === '/presence-users') {
    gateway = path.slice(1);
    const t = /^good-(.+)$/s.exec(url.searchParams.get('token') || '');
    if (!t) return refuse(socket, 401, 'Unauthorized');
    ctx.userId = t[1];
    if (gateway === 'recovery') {
      ctx.session = url.searchParams.get('wiregate-session') ?? undefined; // §9: resume parameters
      ctx.offset = url.searchParams.get('wiregate-offset') ?? undefined;
    }
  } else if ((m = /^\/rooms\/([^/]+)$/.exec(path))) {
    gateway = 'rooms';
    ctx.roomId = decodeURIComponent(m[1]);
  } else if (broken('404')) gateway = 'echo';
  else return refuse(socket, 404, 'Not Found');
  (gateway === 'echo' ? wssEcho : wssDefault).handleUpgrade(req, socket, head, (ws) => onOpen(ws, gateway, ctx));
});

// ---------------------------------------------------------------- lifecycle
let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  log('SIGTERM: closing every client with 1001');
  server.close();
  for (const c of clients.values()) {
    if (broken('sigterm')) c.ws.terminate();
    else closeWith(c, 1001, 'server shutting down');
  }
  if (broken('sigterm-slow')) await new Promise((r) => setTimeout(r, 7000));
  const deadline = Date.now() + 3000;
  while (clients.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const c of clients.values()) c.ws.terminate();
  if (pub) pub.disconnect();
  if (sub) sub.disconnect();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

await startBus();
server.listen(PORT, '127.0.0.1', () => {
  console.log(`LISTENING ws://127.0.0.1:${server.address().port}`);
  log(`reference server ${SERVER_ID} up; redis=${REDIS_ADDRESS || 'none'} breaks=${[...BREAKS].join(',') || 'none'}`);
});
