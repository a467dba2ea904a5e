package io.wiregate.cdi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import io.wiregate.cdi.transport.OutboundFrame;
import io.wiregate.protocol.CloseCodes;
import io.wiregate.protocol.ClusterMessage;
import io.wiregate.protocol.Frames;
import io.wiregate.protocol.MalformedMessageException;
import io.wiregate.protocol.Target;
import io.wiregate.spi.Delivery;
import io.wiregate.spi.RecoveryLog;

/**
 * Connection state recovery of one gateway (docs/protocol.md section 9): the sessions of its clients, the history of
 * its recoverable events, and the resuming of a session on a new connection.
 *
 * <p><b>One order, applied.</b> Recovery is a state machine over one sequence of records: recoverable events,
 * connections becoming connected (fresh or resuming a session), rooms of a session changing, and closes. Each
 * record is applied under one lock of the gateway: an event takes its position, goes into the history and is queued
 * for the local recipients, looked up under that lock; a connect decides whether the session it presents can be
 * resumed exactly, and a local connection becomes connected there, with its replay. So the offsets a connection
 * receives increase, and a resumed connection gets every missed event exactly once: those in the history after its
 * offset, replayed under the lock, then those applied after it.
 *
 * <p><b>Where the records come from.</b> On one node (no {@link RecoveryLog}) they are applied as they happen, in
 * the caller's thread. With a log shared by the nodes, every record is appended to the log and applied when the log
 * hands it back, on every node in the same order: every node holds the same history and sessions, so a session
 * resumes on any node. A recoverable event then reaches even the sending node's clients through the log. The lock
 * is held only to queue frames, which never blocks; gateways without recovery never take it, nor do volatile
 * deliveries.
 *
 * <p><b>Memory.</b> The history keeps at most {@code recovery-max-events} events and none older than the window: per
 * event its frame's text and about 100 bytes. A session costs about 250 bytes plus its rooms, until the window
 * passes after its close. Thread-safe.
 */
final class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class.getName());
    /** The query parameter carrying the session token of a resuming client. */
    static final String SESSION_PARAMETER = "wiregate-session";
    /** The query parameter carrying the last offset a resuming client received. */
    static final String OFFSET_PARAMETER = "wiregate-offset";
    /** How long a connection waits for its connect record to come back from a shared log before it is closed. */
    static final long CONNECT_TIMEOUT_MS = 30_000;

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22,128}");
    private static final Pattern OFFSET = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a resuming client presented, already checked against the alphabets of section 9. */
    record Resume(String token, String offset) {

        /**
         * The resume request of a handshake's query parameters, or null when there is none or it is malformed
         * (missing or repeated parameter, wrong length or alphabet): such a client simply gets a fresh session.
         */
        static Resume of(Map<String, List<String>> query) {
            if (query == null) {
                return null;
            }
            String token = single(query.get(SESSION_PARAMETER));
            String offset = single(query.get(OFFSET_PARAMETER));
            if (token == null || offset == null || !TOKEN.matcher(token).matches() || !OFFSET.matcher(offset).matches()) {
                return null;
            }
            return new Resume(token, offset);
        }

        private static String single(List<String> values) {
            return values != null && values.size() == 1 ? values.get(0) : null;
        }
    }

    /** One recoverable event, as every recipient got it. */
    private record Entry(long position, long millis, Delivery.TargetKind kind, String target, Set<String> exclude,
                         String text) {
    }

    /** A session: what a resumed connection takes over. Guarded by the lock. */
    private static final class Session {
        final String clientId;
        final String userId;
        /** The hash of the token that resumes it now. */
        String token;
        /** Whether a connection holds it, on any node. */
        boolean open = true;
        /** The connection holding it on this node, or null. */
        Connection local;
        /** The node holding its connection, when a shared log said so. */
        String node;
        /** The log's clock when its connection closed. */
        long closedMillis;
        /** Its rooms, as last recorded (at its close, or as its connection on another node reported them). */
        Set<String> rooms;
        ScheduledFuture<?> expiry;

        Session(String clientId, String userId, Set<String> rooms) {
            this.clientId = clientId;
            this.userId = userId;
            this.rooms = rooms;
        }
    }

    /** A local connection whose connect record is on its way through the shared log. */
    private record Pending(Connection connection, String token, List<String> defaultRooms, Runnable whileHeld,
                           ScheduledFuture<?> timeout) {
    }

    private final ClientRegistry registry;
    private final ScheduledExecutorService timers;
    private final long windowMs;
    private final int maxEvents;
    private final int replayBound;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    /** Sessions by the hash of their token. */
    private final Map<String, Session> sessions = new HashMap<>();
    /** Local connections waiting for their connect record, by the hash of their token. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** The shared log, or null: records are applied where they happen. */
    private volatile RecoveryLog log;
    /** This history's run: offsets of another run are never taken for ours. Guarded by the lock. */
    private String epoch;
    /** The position of the last record applied. Guarded by the lock. */
    private long position;
    /** The position of the newest event dropped from the history (0: none yet). Guarded by the lock. */
    private long trimmedUpTo;
    /** This node, in the connect and alive records it writes to a shared log. */
    private final String nodeId = randomText(9);
    /** How often this node says it is alive in a shared log; a node silent for three times that is taken for dead. */
    private final long aliveMs;
    /** When each node of a shared log last said it was alive (the log's clock). Guarded by the lock. */
    private final Map<String, Long> lastAlive = new HashMap<>();
    /** When the sessions of silent nodes were last looked at (the log's clock). Guarded by the lock. */
    private long lastSweep;
    private volatile ScheduledFuture<?> aliveTimer;
    /** Answers held back until their rooms record is in the shared log, by the record's {@code ack}. */
    private final Map<Long, Runnable> roomAcks = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong roomAckSeq = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param registry    the gateway's clients on this node
     * @param timers      where sessions expire
     * @param windowMs    how long a closed session stays resumable, and the oldest event the history keeps
     * @param maxEvents   the most events the history keeps
     * @param replayBound the most events one resume may replay (the gateway's outbound queue bound): a session
     *                    that missed more is not recovered, rather than closed as a slow consumer
     */
    Recovery(ClientRegistry registry, ScheduledExecutorService timers, long windowMs, int maxEvents, int replayBound) {
        this.registry = registry;
        this.timers = timers;
        this.windowMs = windowMs;
        this.maxEvents = maxEvents;
        this.replayBound = replayBound;
        this.epoch = randomText(6);
        this.aliveMs = Math.max(1_000, Math.min(10_000, windowMs / 4));
    }

    /**
     * Shares the history through {@code log} from now on: reads what it holds, then applies its records as they
     * come. Once, at startup, before any connection.
     *
     * @throws Exception if the log cannot start
     */
    void share(RecoveryLog shared) throws Exception {
        shared.start(new RecoveryLog.Reader() {
            @Override
            public void record(String epoch, long position, long millis, String record) {
                apply(epoch, position, millis, record);
            }

            @Override
            public void gap(String epoch, long position) {
                lost(epoch, position);
            }
        });
        this.log = shared;
        shared.append(RecoveryRecords.alive(nodeId));
        aliveTimer = timers.scheduleWithFixedDelay(() -> shared.append(RecoveryRecords.alive(nodeId)), aliveMs, aliveMs,
                TimeUnit.MILLISECONDS);
    }

    /** Whether the history is shared through a log (then recoverable events go there, not to the bus). */
    boolean shared() {
        return log != null;
    }

    /** Stops following the shared log, if any. */
    void stop() {
        ScheduledFuture<?> alive = aliveTimer;
        if (alive != null) {
            alive.cancel(false);
        }
        RecoveryLog l = log;
        if (l != null) {
            l.stop();
        }
    }

    /**
     * A recoverable event: applied now on one node; appended to the shared log otherwise, and applied on every node
     * when the log hands it back.
     *
     * @return how many local connections it was queued for (0 when it went to the log)
     */
    int deliver(Delivery d) {
        RecoveryLog l = log;
        if (l != null) {
            Target target = new Target(Target.Kind.valueOf(d.kind().name()),
                    d.kind() == Delivery.TargetKind.BROADCAST ? null : d.target(), d.exclude());
            String record = new ClusterMessage("wiregate", d.namespace(), target, d.event(),
                    d.dataJson(), false).toJson();
            if (!l.append(record)) {
                LOG.warning(() -> "Wiregate recovery: the shared history of " + d.namespace() + " refused an event '"
                        + d.event() + "' (too many wait for Redis); once Redis is back, the gateway's clients are closed "
                        + "with 1013 and resume with recovered: false");
            }
            return 0;
        }
        lock.lock();
        try {
            return event(++position, clock(), d);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Connects {@code c} (in place of {@link Connection#markConnected}): resumes the session it presented when that
     * can be done exactly, else gives it a fresh one; sends {@code connected}, then the replay, marks it connected,
     * runs {@code whileHeld} and releases the connection's outbound hold. On one node all of it happens before this
     * returns; with a shared log, once the connect record comes back from the log.
     *
     * @return false if the connection was not waiting to connect (closing, or connected already)
     */
    boolean connect(Connection c, List<String> defaultRooms, Runnable whileHeld) {
        String token = randomText(24);
        String hash = hash(token);
        Resume resume = c.resume();
        RecoveryRecords.Connect record = new RecoveryRecords.Connect(hash, c.id(), c.userId(), List.copyOf(defaultRooms),
                resume == null ? null : hash(resume.token()), resume == null ? null : resume.offset(), nodeId);
        RecoveryLog l = log;
        if (l != null) {
            if (!c.awaitingConnect()) {
                c.releaseOutbound();
                return false;
            }
            ScheduledFuture<?> timeout = timers.schedule(() -> connectTimedOut(hash), CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            pending.put(hash, new Pending(c, token, record.rooms(), whileHeld, timeout));
            if (!l.append(RecoveryRecords.connect(record))) {
                connectTimedOut(hash);
            }
            return true;
        }
        boolean connected;
        lock.lock();
        try {
            connected = c.awaitingConnect() && connectRecord(position, clock(), record,
                    new Pending(c, token, record.rooms(), whileHeld, null));
        } finally {
            lock.unlock();
        }
        finishConnect(c, connected, whileHeld);
        return connected;
    }

    /**
     * The rooms of {@code c} changed: other nodes learn them (only they need to; this node asks {@code c}), and
     * {@code then} runs once the change is in the shared log, so that a resume anywhere after the client's answer
     * sees it; at once without a shared log, or if the log refuses the record.
     */
    void roomsChanged(Connection c, Runnable then) {
        RecoveryLog l = log;
        String token = c.recoveryToken();
        if (l == null || token == null) {
            then.run();
            return;
        }
        long ack = roomAckSeq.incrementAndGet();
        roomAcks.put(ack, then);
        if (!l.append(RecoveryRecords.rooms(token, roomsOf(c), nodeId, ack))) {
            Runnable held = roomAcks.remove(ack);
            if (held != null) {
                held.run();
            }
        }
    }

    /**
     * The session's connection closed: it stays resumable for the window, with the rooms it had. Connections that
     * never became connected, and those whose session a newer connection took over, change nothing.
     */
    void closed(Connection c) {
        String token = c.recoveryToken();
        if (token == null) {
            return;
        }
        RecoveryRecords.Close record = new RecoveryRecords.Close(token, List.copyOf(roomsOf(c)));
        RecoveryLog l = log;
        if (l != null) {
            l.append(RecoveryRecords.close(record.token(), record.rooms()));
            return;
        }
        lock.lock();
        try {
            close(clock(), record, c);
        } finally {
            lock.unlock();
        }
    }

    /** How many sessions are resumable or live (for tests and metrics). */
    int sessionCount() {
        lock.lock();
        try {
            return sessions.size();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------ applying records

    /** A record of the shared log, from the log's thread. Never throws: a bad record is logged and skipped. */
    private void apply(String recordEpoch, long recordPosition, long millis, String text) {
        Runnable after = null;
        Runnable answer = null;
        lock.lock();
        try {
            if (!recordEpoch.equals(epoch)) {
                newEpoch(recordEpoch);
            }
            if (recordPosition <= position) {
                return; // handed over twice; a log should not, and nothing is applied twice
            }
            position = recordPosition;
            if (!RecoveryRecords.isSessionRecord(text)) {
                event(recordPosition, millis, delivery(ClusterMessage.parse(text)));
                sweep(millis);
                return;
            }
            RecoveryRecords.Record record = RecoveryRecords.parse(text);
            if (record instanceof RecoveryRecords.Connect r) {
                Pending p = pending.remove(r.token());
                if (p != null) {
                    p.timeout().cancel(false);
                }
                boolean connected = connectRecord(recordPosition, millis, r, p);
                if (p != null) {
                    after = () -> finishConnect(p.connection(), connected, p.whileHeld());
                }
            } else if (record instanceof RecoveryRecords.Rooms r) {
                Session s = sessions.get(r.token());
                if (s != null && s.local == null) {
                    s.rooms = Set.copyOf(r.rooms());
                }
                if (nodeId.equals(r.node())) {
                    answer = roomAcks.remove(r.ack());
                }
            } else if (record instanceof RecoveryRecords.Close r) {
                close(millis, r, null);
            } else if (record instanceof RecoveryRecords.Alive r) {
                lastAlive.put(r.node(), millis);
            }
            sweep(millis);
        } catch (MalformedMessageException | IllegalArgumentException e) {
            LOG.fine(() -> "Wiregate recovery: ignored a malformed record of the shared history (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Wiregate recovery: applying a record of the shared history failed", e);
        } finally {
            lock.unlock();
        }
        if (answer != null) { // the answer to a join or leave: queued frames, in the log's order
            answer.run();
        }
        if (after != null) { // @OnOpen callbacks are application code: never on the log's thread
            try {
                ForkJoinPool.commonPool().execute(after);
            } catch (RejectedExecutionException e) {
                after.run();
            }
        }
    }

    /**
     * Records of the shared log were lost before {@code at}: nothing before it can be recovered exactly, and this
     * node's clients may have missed events. They are closed with 1013, so that they resume, learn from
     * {@code recovered: false} that they missed events, and reload.
     */
    private void lost(String recordEpoch, long at) {
        List<Connection> affected = new ArrayList<>();
        lock.lock();
        try {
            if (!recordEpoch.equals(epoch)) {
                newEpoch(recordEpoch);
            }
            position = Math.max(position, at);
            trimmedUpTo = position;
            history.clear();
            for (Session s : sessions.values()) {
                if (s.local != null) {
                    affected.add(s.local);
                }
            }
            LOG.warning(() -> "Wiregate recovery: records of the shared history were lost while Redis was unreachable; "
                    + affected.size() + " clients of this node are closed with 1013 and will not be recovered");
        } finally {
            lock.unlock();
        }
        affected.forEach(c -> c.closeWith(CloseCodes.TRY_AGAIN_LATER, "events were lost"));
    }

    /** Applies an event: records it and queues it, with its offset, for its local recipients. */
    private int event(long at, long millis, Delivery d) {
        String text = Frames.event(d.event(), d.dataJson(), offset(at));
        history.addLast(new Entry(at, millis, d.kind(), d.target(), d.exclude(), text));
        trim(millis);
        return DeliveryService.queue(registry, d, () -> text);
    }

    /**
     * Applies a connect: resumes the session presented if that can be done exactly, else opens a fresh one; and
     * connects {@code p}'s connection, when it is local.
     *
     * @return whether {@code p}'s connection became connected (false without one)
     */
    private boolean connectRecord(long at, long millis, RecoveryRecords.Connect r, Pending p) {
        if (sessions.containsKey(r.token())) {
            return false; // applied already
        }
        Session s = r.resume() == null ? null : sessions.get(r.resume());
        List<Entry> replay = s == null ? null : replay(s, r.user(), r.offset(), millis);
        if (r.node() != null) {
            lastAlive.merge(r.node(), millis, Math::max);
        }
        if (p != null && r.resume() != null) {
            registry.metrics().resumed(replay != null);
        }
        if (replay == null) {
            Session fresh = new Session(r.client(), r.user(), Set.copyOf(r.rooms()));
            fresh.node = r.node();
            fresh.token = r.token();
            sessions.put(fresh.token, fresh);
            return p != null && grant(p, fresh, fresh.rooms, offset(at), false, List.of());
        }
        Connection previous = s.local;
        Set<String> rooms = previous == null ? s.rooms : roomsOf(previous);
        if (previous != null) {
            registry.remove(previous); // before the id moves: its rooms and user entry go with it
            previous.closeWith(CloseCodes.NORMAL, "session resumed");
        }
        if (s.expiry != null) {
            s.expiry.cancel(false);
            s.expiry = null;
        }
        sessions.remove(s.token);
        s.token = r.token();
        sessions.put(s.token, s);
        s.open = true;
        s.local = null;
        s.node = r.node();
        s.rooms = rooms;
        return p != null && grant(p, s, rooms, r.offset(), true, replay);
    }

    /** Connects a local connection to its session: its id and rooms, {@code connected}, then the replay. */
    private boolean grant(Pending p, Session s, Set<String> rooms, String offset, boolean recovered, List<Entry> replay) {
        Connection c = p.connection();
        boolean connected = c.awaitingConnect() && (!recovered || registry.rekey(c, s.clientId));
        if (connected) {
            for (String room : rooms) {
                registry.join(c, room);
            }
            s.local = c;
            c.recoveryToken(s.token);
            connected = c.markConnected(Frames.connected(c.id(), c.userId(), System.currentTimeMillis(), rooms, p.token(),
                    offset, recovered));
            for (Entry e : replay) {
                c.deliver(OutboundFrame.delivery(e.text()), false);
            }
        }
        if (!connected) { // closed meanwhile: the session is not held
            s.local = null;
            if (log != null) {
                log.append(RecoveryRecords.close(s.token, rooms));
            } else {
                sessions.remove(s.token);
            }
        }
        return connected;
    }

    /** Applies a close: the session stays resumable for the window. {@code c}: the local connection closing, if known. */
    private void close(long millis, RecoveryRecords.Close r, Connection c) {
        Session s = sessions.get(r.token());
        if (s == null || !s.open || (c != null && s.local != c)) {
            return;
        }
        closeSession(s, Set.copyOf(r.rooms()), millis);
    }

    private void closeSession(Session s, Set<String> rooms, long millis) {
        s.open = false;
        s.local = null;
        s.rooms = rooms;
        s.closedMillis = millis;
        String token = s.token;
        try {
            s.expiry = timers.schedule(() -> expire(token, s), windowMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            sessions.remove(token); // stopping: nothing will resume it
        }
    }

    /**
     * Closes the sessions of nodes that have not said they are alive for three of their intervals (the log's clock):
     * a node that died wrote no close for them. Looked at once an interval, on every node alike. A node forgets the
     * nodes it has not heard of for longer than the window besides.
     */
    private void sweep(long millis) {
        if (log == null || millis - lastSweep < aliveMs) {
            return;
        }
        lastSweep = millis;
        long silentSince = millis - 3 * aliveMs;
        List<Session> orphans = new ArrayList<>();
        for (Session s : sessions.values()) {
            Long alive = s.node == null ? null : lastAlive.get(s.node);
            if (s.open && s.local == null && alive != null && alive < silentSince) {
                orphans.add(s);
            }
        }
        for (Session s : orphans) {
            closeSession(s, s.rooms, lastAlive.get(s.node));
        }
        lastAlive.values().removeIf(last -> last < silentSince - windowMs);
    }

    private void expire(String token, Session s) {
        lock.lock();
        try {
            sessions.remove(token, s);
        } finally {
            lock.unlock();
        }
    }

    /** The log lost its history: nothing before can be recovered, and offsets of the old epoch mean nothing. */
    private void newEpoch(String next) {
        epoch = next;
        roomAcks.keySet().forEach(ack -> {
            Runnable held = roomAcks.remove(ack);
            if (held != null) {
                held.run(); // the history they waited for is gone: nothing to wait for any more
            }
        });
        position = 0;
        trimmedUpTo = 0;
        history.clear();
        for (Session s : sessions.values()) {
            if (s.expiry != null) {
                s.expiry.cancel(false);
            }
            if (s.local != null) {
                s.local.recoveryToken(null); // its next resume is answered recovered: false
            }
        }
        sessions.clear();
        RecoveryLog l = log;
        if (l != null) { // connect records appended before the loss may be gone with it
            pending.forEach((hash, p) -> l.append(RecoveryRecords.connect(hash, p.connection().id(),
                    p.connection().userId(), p.defaultRooms(), null, null, nodeId)));
        }
    }

    private void connectTimedOut(String hash) {
        Pending p = pending.remove(hash);
        if (p != null) {
            p.timeout().cancel(false);
            p.connection().closeWith(CloseCodes.TRY_AGAIN_LATER, "recovery history unavailable");
            p.connection().releaseOutbound();
        }
    }

    /** Runs the rest of a connect outside the lock: the {@code @OnOpen} callbacks, then the frames held meanwhile. */
    private static void finishConnect(Connection c, boolean connected, Runnable whileHeld) {
        try {
            if (connected) {
                whileHeld.run();
            }
        } finally {
            c.releaseOutbound();
        }
    }

    /**
     * The events the session lacks after {@code offset}, in order, or null when they cannot be told exactly: an
     * expired session, another user, an offset of another run or never issued, or one past what the history still
     * holds, or more events than one replay may queue.
     */
    private List<Entry> replay(Session s, String userId, String offset, long millis) {
        if (!s.open && millis - s.closedMillis > windowMs) {
            return null;
        }
        if (!Objects.equals(s.userId, userId)) {
            return null; // a stolen token alone grants nothing
        }
        long p = positionOf(offset);
        if (p < 0 || p > position || p < trimmedUpTo) {
            return null;
        }
        Set<String> rooms = s.local == null ? s.rooms : roomsOf(s.local);
        List<Entry> events = new ArrayList<>();
        for (Iterator<Entry> it = history.descendingIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.position() <= p) {
                break;
            }
            if (targets(e, s, rooms)) {
                if (events.size() == replayBound) {
                    return null;
                }
                events.add(e);
            }
        }
        Collections.reverse(events);
        return events;
    }

    private static boolean targets(Entry e, Session s, Set<String> rooms) {
        if (e.exclude().contains(s.clientId)) {
            return false;
        }
        return switch (e.kind()) {
            case CLIENT -> s.clientId.equals(e.target());
            case USER -> s.userId != null && s.userId.equals(e.target());
            case ROOM -> rooms.contains(e.target()) || s.clientId.equals(e.target());
            case BROADCAST -> true;
        };
    }

    /** The position of one of this epoch's offsets, or -1 if it is not one. */
    private long positionOf(String offset) {
        int colon = offset.lastIndexOf(':');
        if (colon != epoch.length() || !offset.startsWith(epoch)) {
            return -1;
        }
        String digits = offset.substring(colon + 1);
        if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) { // past Long.MAX_VALUE
            return -1;
        }
    }

    private String offset(long at) {
        return epoch + ':' + at;
    }

    private void trim(long millis) {
        while (!history.isEmpty() && (history.size() > maxEvents || millis - history.peekFirst().millis() > windowMs)) {
            trimmedUpTo = history.pollFirst().position();
        }
    }

    /** The clock of records applied where they happen (one node): monotonic milliseconds. */
    private static long clock() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    private static Delivery delivery(ClusterMessage m) {
        Target t = m.target();
        return new Delivery(Delivery.TargetKind.valueOf(t.kind().name()), m.namespace(), t.id(), m.event(), m.dataJson(),
                t.exclude(), false);
    }

    /** The rooms of a connection, without the room of its own id. */
    private static Set<String> roomsOf(Connection c) {
        Set<String> rooms = new HashSet<>(c.memberships());
        rooms.remove(c.id());
        return Set.copyOf(rooms);
    }

    /** The hash of a token, which is all a shared log ever holds of it. */
    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String randomText(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
