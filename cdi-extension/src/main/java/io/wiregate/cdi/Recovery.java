package io.wiregate.cdi;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import io.wiregate.cdi.transport.OutboundFrame;
import io.wiregate.protocol.Frames;
import io.wiregate.spi.Delivery;

/**
 * Connection state recovery of one gateway on this node (docs/protocol.md section 9): the sessions of its clients,
 * the history of its recoverable events, and the resuming of a session on a new connection.
 *
 * <p><b>One order.</b> Every recoverable delivery takes the next sequence number of the gateway, and is recorded
 * and queued for its recipients under one lock of the gateway; a connection becomes connected (fresh or resumed,
 * with its replay) under the same lock. So the offsets a connection receives increase, and a resumed connection
 * gets every missed event exactly once: those in the history after its offset, replayed under the lock, then
 * those delivered after the lock is released. The lock is held only to queue frames, which never blocks (the
 * outbound queues do not wait for a socket); gateways without recovery never take it, nor do volatile deliveries.
 *
 * <p><b>What a session remembers.</b> Its client id, user id, its rooms when its connection closed, the sequence
 * number of the last event queued for it ({@code delivered}) and the history's sequence number at its close. An
 * offset {@code P} presented on resume can be served when everything the session may lack is still in the
 * history: the events after {@code P} if it lags what was queued for it (frames lost in flight), else those after
 * its close. Those are replayed when they target the session: its client id, its user, one of its rooms, or
 * everyone, and it is not excluded. A room the session joined or left after {@code P} and before its close counts
 * as it was at the close.
 *
 * <p><b>Memory.</b> The history keeps at most {@code recovery-max-events} events and none older than the window:
 * per event its frame's text and about 100 bytes. A closed session costs about 200 bytes plus its rooms until
 * the window passes. Thread-safe.
 */
final class Recovery {

    /** The query parameter carrying the session token of a resuming client. */
    static final String SESSION_PARAMETER = "wiregate-session";
    /** The query parameter carrying the last offset a resuming client received. */
    static final String OFFSET_PARAMETER = "wiregate-offset";

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
    private record Entry(long seq, long nanos, Delivery.TargetKind kind, String target, Set<String> exclude, String text) {
    }

    /** A session: what a resumed connection takes over. Guarded by the lock. */
    static final class Session {
        final String clientId;
        final String userId;
        String token;
        /** The connection holding the session, or null while it is closed. */
        Connection live;
        /** The sequence number of the last event queued for the session (or the history's, when it connected). */
        long delivered;
        long closedSeq;
        long closedNanos;
        Set<String> rooms = Set.of();
        ScheduledFuture<?> expiry;

        Session(String clientId, String userId) {
            this.clientId = clientId;
            this.userId = userId;
        }
    }

    private final ClientRegistry registry;
    private final ScheduledExecutorService timers;
    private final long windowNanos;
    private final int maxEvents;
    private final int replayBound;
    /** This history's run: offsets of another node or another run of this one are never taken for ours. */
    private final String epoch;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private long seq;
    /** The sequence number of the newest event dropped from the history (0: none yet). */
    private long trimmedUpTo;

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
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMs);
        this.maxEvents = maxEvents;
        this.replayBound = replayBound;
        this.epoch = randomText(6);
    }

    /**
     * Delivers a recoverable event to its recipients on this node, which {@code targets} looks up under the lock (a
     * session resumed concurrently is then either replayed the event or among them): takes the next offset,
     * records the event, and queues one frame carrying that offset for every connected recipient not excluded.
     *
     * @return how many connections it was queued for
     */
    int deliver(Delivery d, java.util.function.Supplier<Collection<Connection>> recipients) {
        lock.lock();
        try {
            Collection<Connection> targets = recipients.get();
            long n = ++seq;
            String text = Frames.event(d.event(), d.dataJson(), offset(n));
            long now = System.nanoTime();
            history.addLast(new Entry(n, now, d.kind(), d.target(), d.exclude(), text));
            trim(now);
            return DeliveryService.queue(targets, d, () -> text, c -> {
                Session s = c.recoverySession();
                if (s != null) {
                    s.delivered = n;
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /**
     * Connects {@code c} (in place of {@link Connection#markConnected}): resumes the session it presented when that
     * can be done exactly, else gives it a fresh one; sends {@code connected}, then the replay, and marks it
     * connected, all under the lock.
     *
     * @return false if the connection was not waiting to connect (closing, or connected already)
     */
    boolean connect(Connection c, List<String> defaultRooms) {
        lock.lock();
        try {
            if (!c.awaitingConnect()) {
                return false;
            }
            Resume resume = c.resume();
            Session s = resume == null ? null : sessions.get(resume.token());
            List<Entry> replay = s == null ? null : replay(s, c, resume.offset());
            if (replay == null) {
                return fresh(c, defaultRooms);
            }
            Connection previous = s.live;
            Set<String> rooms = previous == null ? s.rooms : roomsOf(previous);
            if (previous != null) {
                registry.remove(previous); // before the id moves: its rooms and user entry go with it
                previous.closeWith(1000, "session resumed");
            }
            if (s.expiry != null) {
                s.expiry.cancel(false);
                s.expiry = null;
            }
            sessions.remove(s.token);
            if (!registry.rekey(c, s.clientId)) {
                return false; // closed meanwhile; the session is gone with the token it presented
            }
            for (String room : rooms) {
                registry.join(c, room);
            }
            s.token = newToken(s);
            s.live = c;
            s.closedNanos = 0;
            c.recoverySession(s);
            boolean connected = c.markConnected(Frames.connected(c.id(), c.userId(), System.currentTimeMillis(), rooms,
                    s.token, resume.offset(), true));
            for (Entry e : replay) {
                c.deliver(OutboundFrame.delivery(e.text()), false);
                s.delivered = e.seq();
            }
            return connected;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The session's connection closed: it stays resumable for the window, with the rooms it had. Connections that
     * never became connected, and those whose session a newer connection took over, change nothing.
     */
    void closed(Connection c) {
        lock.lock();
        try {
            Session s = c.recoverySession();
            if (s == null || s.live != c) {
                return;
            }
            s.live = null;
            s.rooms = roomsOf(c);
            s.closedSeq = seq;
            s.closedNanos = System.nanoTime();
            String token = s.token;
            s.expiry = timers.schedule(() -> sessions.remove(token, s), windowNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            sessions.remove(c.recoverySession().token); // stopping: nothing will resume it
        } finally {
            lock.unlock();
        }
    }

    /** How many sessions are resumable or live (for tests and metrics). */
    int sessionCount() {
        return sessions.size();
    }

    private boolean fresh(Connection c, List<String> defaultRooms) {
        for (String room : defaultRooms) {
            registry.join(c, room);
        }
        Session s = new Session(c.id(), c.userId());
        s.token = newToken(s);
        s.live = c;
        s.delivered = seq;
        c.recoverySession(s);
        return c.markConnected(Frames.connected(c.id(), c.userId(), System.currentTimeMillis(), defaultRooms,
                s.token, offset(seq), false));
    }

    /**
     * The events the session lacks after {@code offset}, in order, or null when they cannot be told exactly: an
     * expired session, another user, an offset of another run or never issued, or one past what the history still
     * holds, or more events than one replay may queue.
     */
    private List<Entry> replay(Session s, Connection c, String offset) {
        long now = System.nanoTime();
        if (s.live == null && now - s.closedNanos > windowNanos) {
            return null;
        }
        if (!Objects.equals(s.userId, c.userId())) {
            return null; // a stolen token alone grants nothing
        }
        long p = sequenceOf(offset);
        if (p < 0 || p > seq) {
            return null;
        }
        long mustHaveAfter = p < s.delivered ? p : (s.live != null ? seq : s.closedSeq);
        if (trimmedUpTo > mustHaveAfter) {
            return null;
        }
        Set<String> rooms = s.live == null ? s.rooms : roomsOf(s.live);
        List<Entry> events = new ArrayList<>();
        for (Iterator<Entry> it = history.descendingIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.seq() <= p) {
                break;
            }
            if (targets(e, s, rooms)) {
                if (events.size() == replayBound) {
                    return null;
                }
                events.add(e);
            }
        }
        java.util.Collections.reverse(events);
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

    /** The sequence number of one of this run's offsets, or -1 if it is not one. */
    private long sequenceOf(String offset) {
        int colon = offset.indexOf(':');
        if (colon != epoch.length() || !offset.startsWith(epoch)) {
            return -1;
        }
        String digits = offset.substring(colon + 1);
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    private String offset(long n) {
        return epoch + ':' + n;
    }

    private void trim(long now) {
        while (!history.isEmpty() && (history.size() > maxEvents || now - history.peekFirst().nanos() > windowNanos)) {
            trimmedUpTo = history.pollFirst().seq();
        }
    }

    private String newToken(Session s) {
        String token;
        do {
            token = randomText(24);
        } while (sessions.putIfAbsent(token, s) != null);
        return token;
    }

    /** The rooms of a connection, without the room of its own id. */
    private static Set<String> roomsOf(Connection c) {
        Set<String> rooms = new HashSet<>(c.memberships());
        rooms.remove(c.id());
        return Set.copyOf(rooms);
    }

    private static String randomText(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
