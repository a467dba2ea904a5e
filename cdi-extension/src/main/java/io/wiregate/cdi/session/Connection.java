package io.wiregate.cdi.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import io.wiregate.Identity;
import io.wiregate.Peer;
import io.wiregate.protocol.CloseCodes;
import io.wiregate.protocol.EventNames;
import io.wiregate.protocol.Frames;
import io.wiregate.protocol.internal.Settings;

/**
 * The server side of one WebSocket connection: its state, rooms, identity and outbound queue.
 *
 * <p>Thread-safety: state moves forward only ({@link State}) through compare-and-set; rooms and identity
 * are safe to read from any thread; frames go through the {@link OutboundQueue}.
 */
public final class Connection implements Peer, OutboundQueue.Listener {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());
    /** How long a close waits for the frames before it (and the {@code disconnect}) to be written. */
    private static final long CLOSE_FLUSH_MS = 2000;
    /** Drops the TCP connections of clients that do not complete a close handshake (docs/protocol.md section 7). */
    private static final TransportAbort ABORT = java.util.ServiceLoader.load(TransportAbort.class,
            Connection.class.getClassLoader()).findFirst().orElse(session -> null);
    /**
     * Characters of portable asynchronous writes a connection may have in flight ({@code wiregate.send-buffer},
     * 524288): the container holds up to that much of a burst, as a socket's send buffer would, so that its I/O
     * thread takes many frames per wake-up. Frames beyond it wait in the bounded queue.
     */
    public static final int SEND_BUFFER_CHARS =
            Math.toIntExact(Math.max(1, Math.min(Integer.MAX_VALUE, Settings.getLong("wiregate.send-buffer").orElse(512L * 1024))));
    /**
     * The send window for a session: one write at a time on Open Liberty, whose asynchronous endpoint fails an
     * overlapping send through its handler on another thread ("write not allowed"), too late to tell it from a
     * real failure while keeping the order; {@link #SEND_BUFFER_CHARS} elsewhere.
     */
    public static int sendBufferFor(Session session) {
        return session.getAsyncRemote().getClass().getName().startsWith("com.ibm.ws.wsoc.") ? 1 : SEND_BUFFER_CHARS;
    }

    /** Raw frame writing where the container allows it, unless {@code wiregate.raw-frames=false}. */
    private static final RawFrames RAW = Settings.get("wiregate.raw-frames").map(Boolean::parseBoolean).orElse(true)
            ? java.util.ServiceLoader.load(RawFrames.class, Connection.class.getClassLoader()).findFirst().orElse(null)
            : null;

    /** Life of a connection; it only moves forward. */
    public enum State {
        /** Open, waiting for in-band authentication. */
        AWAITING_AUTH,
        /** The authenticator is running. */
        AUTHENTICATING,
        /** {@code connected} was sent: the client receives deliveries. */
        CONNECTED,
        /** The server started closing it. */
        CLOSING,
        /** Closed. */
        CLOSED
    }

    private final String id;
    private final String namespace;
    private final Session session;
    private final Map<String, String> pathParameters;
    private final ClientRegistry registry;
    private final Function<Object, String> toJson;
    private final ScheduledExecutorService timers;
    private final OutboundQueue outbound;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final AtomicReference<State> state;
    private final long openedNanos = System.nanoTime();
    private final RateLimiter rateLimiter;
    private final Runnable aborter;
    private volatile Identity identity;
    private volatile boolean wasConnected;
    private volatile long lastSeenNanos = openedNanos;
    private final java.util.concurrent.atomic.AtomicBoolean closeSent = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param id             the client id
     * @param namespace      the gateway's declared path
     * @param session        the container's session
     * @param pathParameters the values of the path template's parameters
     * @param registry       the gateway's registry
     * @param toJson         serializes payloads of {@link #emit}
     * @param timers         the shared timer thread
     * @param queueBound     the outbound queue bound
     * @param sendBuffer     characters of portable writes (bytes of raw ones) in flight past which no other
     *                       starts ({@link #sendBufferFor} in production; 1: one write at a time)
     * @param initial        {@link State#AWAITING_AUTH} or {@link State#CONNECTED}-to-be (use AWAITING_AUTH and
     *                       call {@link #markConnected} for gateways without in-band authentication)
     * @param rateLimiter    the inbound rate limiter, or null (unlimited)
     */
    public Connection(String id, String namespace, Session session, Map<String, String> pathParameters,
                      ClientRegistry registry, Function<Object, String> toJson, ScheduledExecutorService timers,
                      int queueBound, int sendBuffer, State initial, RateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
        this.id = id;
        this.namespace = namespace;
        this.session = session;
        this.pathParameters = Map.copyOf(pathParameters);
        this.registry = registry;
        this.toJson = toJson;
        this.timers = timers;
        this.aborter = ABORT.aborterFor(session);
        this.outbound = new OutboundQueue(session.getAsyncRemote(), RAW == null ? null : RAW.writerFor(session),
                queueBound, sendBuffer, this);
        this.state = new AtomicReference<>(initial);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String userId() {
        Identity i = identity;
        return i == null ? null : i.userId();
    }

    @Override
    public Identity identity() {
        return identity;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public String pathParameter(String name) {
        return pathParameters.get(name);
    }

    @Override
    public Set<String> rooms() {
        return Set.copyOf(rooms);
    }

    /** Whether this connection is a member of the room. */
    public boolean isMember(String room) {
        return rooms.contains(room);
    }

    /** How many rooms this connection is a member of. */
    public int roomCount() {
        return rooms.size();
    }

    /** The live membership set, for the registry. */
    Set<String> memberships() {
        return rooms;
    }

    @Override
    public void join(String room) {
        registry.join(this, EventNames.requireValidRoom(room));
    }

    @Override
    public void leave(String room) {
        if (!room.equals(id)) {
            registry.leave(this, room);
        }
    }

    @Override
    public void emit(String event, Object data) {
        send(Frames.event(EventNames.requireValidEvent(event), toJson.apply(data)));
    }

    @Override
    public boolean isOpen() {
        State s = state.get();
        return s != State.CLOSING && s != State.CLOSED && session.isOpen();
    }

    @Override
    public void close(int code, String reason) {
        closeWith(code, reason);
    }

    /** The current state. */
    public State state() {
        return state.get();
    }

    /** Whether the connection ever became connected (so {@code @OnOpen} ran and {@code @OnClose} must). */
    public boolean wasConnected() {
        return wasConnected;
    }

    /** Whether {@code connected} was sent and the connection is not closing. */
    public boolean isConnected() {
        return state.get() == State.CONNECTED;
    }

    /** Moves from one state to another; false if the connection was not in {@code from}. */
    public boolean transition(State from, State to) {
        return state.compareAndSet(from, to);
    }

    /** Records the identity and indexes the connection under its user. Call before {@link #markConnected}. */
    public void authenticated(Identity who) {
        this.identity = who;
        registry.bindUser(this, who.userId());
    }

    /**
     * Sends {@code connected} and starts receiving deliveries.
     *
     * @return false if the connection was not waiting for it (closing, or already connected)
     */
    public boolean markConnected(Iterable<String> defaultRooms) {
        State s = state.get();
        if ((s != State.AWAITING_AUTH && s != State.AUTHENTICATING) || !session.isOpen()) {
            return false;
        }
        for (String room : defaultRooms) {
            registry.join(this, room);
        }
        // connected goes into the queue before the state flips, so no delivery can precede it.
        send(Frames.connected(id, userId(), System.currentTimeMillis(), defaultRooms));
        boolean connected = state.compareAndSet(s, State.CONNECTED);
        wasConnected |= connected;
        return connected;
    }

    /** Holds outbound frames until {@link #releaseOutbound()} (see {@link OutboundQueue#hold()}). */
    public void holdOutbound() {
        outbound.hold();
    }

    /** Sends what was held. */
    public void releaseOutbound() {
        outbound.release();
    }

    /** Accounts for an inbound frame against the rate limit. */
    public RateLimiter.Verdict rateCheck() {
        return rateLimiter == null ? RateLimiter.Verdict.ACCEPT : rateLimiter.onFrame();
    }

    /** Records that a frame arrived (heartbeat timer). */
    public void touch() {
        lastSeenNanos = System.nanoTime();
    }

    /** Nanoseconds since the last frame arrived. */
    public long idleNanos() {
        return System.nanoTime() - lastSeenNanos;
    }

    /** Nanoseconds since the connection opened. */
    public long ageNanos() {
        return System.nanoTime() - openedNanos;
    }

    /** Queues a frame for this client; false if it was dropped (closing, or a full queue). */
    public boolean send(String frame) {
        return outbound.offer(frame, false);
    }

    /** Queues a WebSocket ping after what is queued (dropped when the queue is full). */
    public void ping() {
        outbound.offerPing();
    }

    /** Queues a delivery; a volatile one is dropped, not overflowing, when the queue is full. */
    public boolean deliver(OutboundFrame frame, boolean volatileFrame) {
        return outbound.offer(frame, volatileFrame);
    }

    /**
     * Starts a server-side close: the frames already queued are written, then a {@code disconnect} event, then
     * the close frame. If the socket does not drain in time, the close frame goes out anyway. Idempotent.
     */
    public void closeWith(int code, String reason) {
        State s;
        do {
            s = state.get();
            if (s == State.CLOSING || s == State.CLOSED) {
                return;
            }
        } while (!state.compareAndSet(s, State.CLOSING));
        outbound.offerLast(Frames.disconnect(code, reason), () -> closeSession(code, reason));
        try {
            timers.schedule(() -> {
                if (!closeSent.get()) {
                    offTimer(() -> closeSession(code, reason));
                }
            }, CLOSE_FLUSH_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            closeSession(code, reason); // shutting down
        }
    }

    /**
     * The container reported the close: forget everything.
     *
     * @return true the first time, false if it was reported already
     */
    public boolean closed() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return false;
        }
        outbound.close();
        return true;
    }

    /** Removes the closed connection from its rooms, its user and the registry. */
    public void forget() {
        registry.remove(this);
    }

    /** The container's session. */
    public Session session() {
        return session;
    }

    @Override
    public void overflowed() {
        // The queue is already discarded. The close frame follows the writes still in flight: a container may
        // drop the TCP connection when asked to close with writes pending (Payara does), and the client would see
        // 1006 instead of 4005 once it reads again. A client that never reads again is closed, and its connection
        // dropped, after wiregate.close-timeout-ms all the same.
        state.updateAndGet(s -> s == State.CLOSED ? s : State.CLOSING);
        try {
            timers.schedule(() -> offTimer(() -> {
                closeSession(CloseCodes.SLOW_CONSUMER, "slow consumer");
                if (aborter != null) {
                    aborter.run();
                }
            }), closeTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: the close below, or the shutdown's own, ends the connection
        }
        outbound.whenWritten(() -> closeSession(CloseCodes.SLOW_CONSUMER, "slow consumer"));
    }

    @Override
    public void failed(Throwable cause) {
        LOG.log(Level.FINE, "send to client " + id + " failed", cause);
        state.updateAndGet(s -> s == State.CLOSED ? s : State.CLOSING);
        closeSession(CloseCodes.SERVER_ERROR, "send failed");
    }

    private void closeSession(int code, String reason) {
        if (!session.isOpen() || !closeSent.compareAndSet(false, true)) {
            return;
        }
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), truncate(reason)));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing client " + id + " failed", e);
        }
        // A client that does not read never completes the close handshake: drop its TCP connection after a while.
        if (aborter == null) {
            return;
        }
        try {
            timers.schedule(aborter, closeTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            aborter.run(); // shutting down
        }
    }

    /**
     * Runs a close the shared timer thread decided on elsewhere: a container's {@code Session.close} may block
     * (Open Liberty waits up to 5.5 s for a write in progress), and the timer thread serves every connection.
     */
    private static void offTimer(Runnable close) {
        java.util.concurrent.ForkJoinPool.commonPool().execute(close);
    }

    /** Default of {@code wiregate.close-timeout-ms}. */
    public static final long DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

    private static long closeTimeoutMs() {
        return Settings.getLong("wiregate.close-timeout-ms").orElse(DEFAULT_CLOSE_TIMEOUT_MS);
    }

    /** A close reason is at most 123 bytes of UTF-8. */
    private static String truncate(String reason) {
        if (reason == null) {
            return "";
        }
        String r = reason;
        while (r.getBytes(StandardCharsets.UTF_8).length > 123) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }

    @Override
    public String toString() {
        return "Connection[" + id + " on " + namespace + ", " + state.get() + "]";
    }
}
