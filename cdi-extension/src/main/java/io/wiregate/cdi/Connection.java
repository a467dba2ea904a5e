package io.wiregate.cdi;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.wiregate.EncryptionHandshake;
import io.wiregate.Identity;
import io.wiregate.Peer;
import io.wiregate.protocol.CloseCodes;
import io.wiregate.protocol.EventNames;
import io.wiregate.protocol.Frames;
import io.wiregate.cdi.transport.OutboundFrame;
import io.wiregate.cdi.transport.OutboundQueue;
import io.wiregate.cdi.transport.Transport;

/**
 * The server side of one WebSocket connection: its state, rooms, identity and outbound queue.
 *
 * <p>Thread-safety: state moves forward only ({@link State}) through compare-and-set; rooms and identity
 * are safe to read from any thread; frames go through the {@link OutboundQueue}.
 */
final class Connection implements Peer, OutboundQueue.Listener {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());
    /** How long a close waits for the frames before it (and the {@code disconnect}) to be written. */
    private static final long CLOSE_FLUSH_MS = 2000;

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

    /** The timers a connection runs, at most one pending of each kind (see {@link #schedule}). */
    enum Timer {
        HEARTBEAT, PING, AUTH, CLOSING, ABORT, EXPIRY
    }

    /** Final but for a resumed session, which takes its client id before it is connected. */
    private volatile String id;
    private final String namespace;
    private final Transport transport;
    private final Map<String, String> pathParameters;
    private final ClientRegistry registry;
    private final Function<Object, String> toJson;
    private final ScheduledExecutorService timers;
    private final OutboundQueue outbound;
    /**
     * The sealed channel of a connection of a gateway with encryption (docs/protocol.md section 12): handed over at
     * the handshake ({@code sealPending}, set once), in force from the frame after {@code connected} on ({@code
     * sealing}). Every frame is sealed and queued under the channel's monitor, so that frames take their sequence
     * numbers in the order they are queued. Connections of other gateways never take a lock for it.
     */
    private volatile EncryptionHandshake.Channel sealPending;
    private volatile EncryptionHandshake.Channel sealing;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final AtomicReference<State> state;
    private final long openedNanos = System.nanoTime();
    private final RateLimiter rateLimiter;
    private final long closeTimeoutMs;
    private volatile Identity identity;
    private volatile boolean wasConnected;
    private volatile Recovery.Resume resume;
    /** The hash of the recovery session token this connection holds, or null. */
    private volatile String recoveryToken;
    private volatile long lastSeenNanos = openedNanos;
    private final java.util.concurrent.atomic.AtomicBoolean closeSent = new java.util.concurrent.atomic.AtomicBoolean();
    /** The pending timer of each {@link Timer} kind, cancelled on close. */
    private final AtomicReferenceArray<ScheduledFuture<?>> pendingTimers = new AtomicReferenceArray<>(Timer.values().length);

    /**
     * @param id             the client id
     * @param namespace      the gateway's declared path
     * @param transport      where its frames go
     * @param pathParameters the values of the path template's parameters
     * @param registry       the gateway's registry
     * @param toJson         serializes payloads of {@link #emit}
     * @param timers         the shared timer thread
     * @param queueBound     the outbound queue bound
     * @param initial        {@link State#AWAITING_AUTH} or {@link State#CONNECTED}-to-be (use AWAITING_AUTH and
     *                       call {@link #markConnected} for gateways without in-band authentication)
     * @param rateLimiter    the inbound rate limiter, or null (unlimited)
     * @param closeTimeoutMs how long a client that stopped reading has to take its close before its TCP connection
     *                       is dropped
     */
    public Connection(String id, String namespace, Transport transport, Map<String, String> pathParameters,
                      ClientRegistry registry, Function<Object, String> toJson, ScheduledExecutorService timers,
                      int queueBound, State initial, RateLimiter rateLimiter, long closeTimeoutMs) {
        this.rateLimiter = rateLimiter;
        this.id = id;
        this.namespace = namespace;
        this.transport = transport;
        this.pathParameters = Map.copyOf(pathParameters);
        this.registry = registry;
        this.toJson = toJson;
        this.timers = timers;
        this.closeTimeoutMs = closeTimeoutMs;
        this.outbound = new OutboundQueue(transport, queueBound, this);
        this.state = new AtomicReference<>(initial);
    }

    @Override
    public String id() {
        return id;
    }

    /** The client id of a resumed session (through {@link ClientRegistry#rekey} only). */
    void id(String id) {
        this.id = id;
    }

    /** What the client presented to resume a session, or null. */
    Recovery.Resume resume() {
        return resume;
    }

    /** Records what the client presented to resume a session (before it opens). */
    void resume(Recovery.Resume resume) {
        this.resume = resume;
    }

    /**
     * The hash of the token of the recovery session this connection holds, or null (no recovery, not connected yet,
     * or a history that was lost since).
     */
    String recoveryToken() {
        return recoveryToken;
    }

    void recoveryToken(String token) {
        this.recoveryToken = token;
    }

    /** Ends the outbound hold of {@link #connect}: what was queued meanwhile goes out. */
    void releaseOutbound() {
        outbound.release();
    }

    /** Tells the gateway's recovery that this connection's rooms changed (other nodes track them). */
    void roomsChanged() {
        Recovery recovery = registry.recovery();
        if (recovery != null) {
            recovery.roomsChanged(this, () -> { });
        }
    }

    /**
     * Like {@link #roomsChanged()}, then runs {@code then}: at once, or, with a shared recovery history or presence,
     * once the change is in them (the answer to a client's join or leave waits for that).
     */
    void roomsChanged(Runnable then) {
        PresenceTracker presence = registry.presence();
        Runnable next = presence == null ? then : () -> presence.flush(then); // and once presence has it
        Recovery recovery = registry.recovery();
        if (recovery != null) {
            recovery.roomsChanged(this, next);
        } else {
            next.run();
        }
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

    /** The figures of this connection's gateway. */
    GatewayMetrics metrics() {
        return registry.metrics();
    }

    /** The live membership set, for the registry. */
    Set<String> memberships() {
        return rooms;
    }

    @Override
    public void join(String room) {
        if (registry.join(this, EventNames.requireValidRoom(room))) {
            roomsChanged();
        }
    }

    @Override
    public void leave(String room) {
        if (dropMembership(room)) {
            roomsChanged();
        }
    }

    /**
     * Leaves {@code room}, unless it is the room of the client's own id, without telling recovery (the caller does,
     * once for all the rooms it leaves).
     *
     * @return whether it left
     */
    boolean dropMembership(String room) {
        if (room.equals(id)) {
            return false;
        }
        registry.leave(this, room);
        return true;
    }

    @Override
    public void emit(String event, Object data) {
        send(Frames.event(EventNames.requireValidEvent(event), toJson.apply(data)));
    }

    @Override
    public boolean isOpen() {
        State s = state.get();
        return s != State.CLOSING && s != State.CLOSED && transport.isOpen();
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

    /** Whether the server started closing the connection, or it is closed. */
    public boolean isClosingOrClosed() {
        State s = state.get();
        return s == State.CLOSING || s == State.CLOSED;
    }

    /** Whether {@code connected} was sent and the connection is not closing. */
    public boolean isConnected() {
        return state.get() == State.CONNECTED;
    }

    /** Moves from one state to another; false if the connection was not in {@code from}. */
    public boolean transition(State from, State to) {
        return state.compareAndSet(from, to);
    }

    /**
     * Records the identity and indexes the connection under its user, and starts the identity's expiry if it has one.
     * Call before {@link #markConnected}.
     */
    public void authenticated(Identity who) {
        this.identity = who;
        registry.bindUser(this, who.userId());
        expireAt(who);
    }

    /**
     * Replaces the identity of a connected client with a refreshed one of the same user (docs/protocol.md section
     * 10): its attributes and its expiry.
     *
     * @throws IllegalArgumentException if {@code who} is another user's
     */
    void refreshed(Identity who) {
        if (!who.userId().equals(userId())) {
            throw new IllegalArgumentException("a connection never changes user");
        }
        this.identity = who;
        expireAt(who);
    }

    /** Closes the connection with 4001 once {@code who} expires, unless a refresh replaced it before. */
    private void expireAt(Identity who) {
        if (who.expiresAt() == null) {
            cancel(pendingTimers.getAndSet(Timer.EXPIRY.ordinal(), null));
            return;
        }
        long delay = Math.max(0, who.expiresAt().toEpochMilli() - System.currentTimeMillis());
        try {
            schedule(Timer.EXPIRY, () -> {
                if (identity == who) {
                    closeWith(CloseCodes.AUTH_TIMEOUT, "authentication expired");
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: the connection closes anyway
        }
    }

    /**
     * Sends {@code connected} and starts receiving deliveries.
     *
     * @return false if the connection was not waiting for it (closing, or already connected)
     */
    public boolean markConnected(Iterable<String> defaultRooms) {
        if (!awaitingConnect()) {
            return false;
        }
        for (String room : defaultRooms) {
            registry.join(this, room);
        }
        return markConnected(Frames.connected(id, userId(), System.currentTimeMillis(), defaultRooms));
    }

    /** Whether the connection waits to become connected (and is still open). */
    boolean awaitingConnect() {
        return awaitsConnect(state.get());
    }

    private boolean awaitsConnect(State s) {
        return (s == State.AWAITING_AUTH || s == State.AUTHENTICATING) && transport.isOpen();
    }

    /**
     * Sends {@code connectedFrame} and starts receiving deliveries.
     *
     * @return false if the connection was not waiting for it (closing, or already connected)
     */
    boolean markConnected(String connectedFrame) {
        State s = state.get();
        if (!awaitsConnect(s)) {
            return false;
        }
        // connected goes into the queue before the state flips, so no delivery can precede it.
        EncryptionHandshake.Channel channel = sealPending;
        if (channel == null) {
            send(connectedFrame);
        } else {
            synchronized (channel) { // in the clear, with the server's side of the handshake; every later frame sealed
                outbound.offer(new OutboundFrame(withEncryption(connectedFrame, channel.connectedFields())), false);
                sealing = channel;
            }
        }
        boolean connected = state.compareAndSet(s, State.CONNECTED);
        wasConnected |= connected;
        if (connected) {
            registry.metrics().connected();
        }
        return connected;
    }

    /**
     * Connects the client: records its identity, if any, sends {@code connected} (joining the default rooms) and
     * runs {@code whileHeld}, all before any of it reaches the client, so that the client sees {@code connected}
     * only once {@code whileHeld} (the {@code @OnOpen} callbacks, which may join rooms and send) has run.
     *
     * @param identity the client's identity, or null (anonymous)
     * @return false if the connection was not waiting to connect (closing, or connected already); then
     *         {@code whileHeld} did not run
     */
    public boolean connect(Identity identity, List<String> defaultRooms, Runnable whileHeld) {
        if (identity != null) {
            authenticated(identity);
        }
        outbound.hold();
        Recovery recovery = registry.recovery();
        if (recovery != null) {
            return recovery.connect(this, defaultRooms, whileHeld); // releases the hold once connected (or not)
        }
        try {
            if (!markConnected(defaultRooms)) {
                return false;
            }
            whileHeld.run();
            return true;
        } finally {
            outbound.release();
        }
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
        EncryptionHandshake.Channel lock = sealPending;
        if (lock == null) {
            return outbound.offer(new OutboundFrame(frame), false);
        }
        synchronized (lock) {
            return outbound.offer(framed(frame), false);
        }
    }

    /** {@code text} as this connection sends it now: sealed once sealing is in force. Under the channel's monitor. */
    private OutboundFrame framed(String text) {
        EncryptionHandshake.Channel s = sealing;
        return new OutboundFrame(s == null ? text : s.seal(text));
    }

    /**
     * Hands over the sealed channel of this connection's handshake: every frame after {@code connected} is sealed
     * with it, and every frame from the client must be. Before {@link #markConnected}.
     */
    void sealWith(EncryptionHandshake.Channel channel) {
        sealPending = channel;
    }

    /** The sealed channel in force, or null (a gateway without encryption, or before {@code connected}). */
    EncryptionHandshake.Channel sealing() {
        return sealing;
    }

    /** Queues a WebSocket ping after what is queued (dropped when the queue is full). */
    public void ping() {
        outbound.offerPing();
    }

    /** Queues a delivery; a volatile one is dropped, not overflowing, when the queue is full. */
    public boolean deliver(OutboundFrame frame, boolean volatileFrame) {
        boolean queued = sealPending == null ? outbound.offer(frame, volatileFrame) : deliverSealed(frame, volatileFrame);
        if (!queued && volatileFrame && frame.isDelivery() && isOpen()) {
            registry.metrics().volatileDropped();
        }
        return queued;
    }

    /**
     * A delivery to a sealed connection: sealed for it alone, which leaves the shared frame (section 12). A volatile
     * event is dropped before it is sealed when the queue is full, so that no sequence number goes unsent; one refused
     * after all (the queue filled meanwhile) leaves a gap the client cannot open past, so the client is closed as the
     * slow consumer it is.
     */
    private boolean deliverSealed(OutboundFrame frame, boolean volatileFrame) {
        synchronized (sealPending) {
            if (sealing == null) {
                return outbound.offer(frame, volatileFrame);
            }
            if (volatileFrame && !outbound.accepts(true)) {
                return false;
            }
            boolean queued = outbound.offer(framed(frame.text()), volatileFrame);
            if (!queued && volatileFrame && isOpen()) {
                closeWith(CloseCodes.SLOW_CONSUMER, "slow consumer");
            }
            return queued;
        }
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
        String disconnect = Frames.disconnect(code, reason);
        EncryptionHandshake.Channel channel = sealPending;
        if (channel == null) {
            outbound.offerLast(new OutboundFrame(disconnect), () -> closeSession(code, reason));
        } else {
            synchronized (channel) {
                outbound.offerLast(framed(disconnect),
                        () -> closeSession(code, reason));
            }
        }
        try {
            schedule(Timer.CLOSING, () -> {
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
        for (int i = 0; i < pendingTimers.length(); i++) {
            cancel(pendingTimers.getAndSet(i, null));
        }
        return true;
    }

    /**
     * Runs {@code task} on the shared timer thread after {@code delay}, as this connection's pending timer of
     * that kind. Once the connection is closed its pending timers are cancelled (and leave the timer queue), so
     * that a closed connection is not kept in memory until they would have fired.
     *
     * @throws java.util.concurrent.RejectedExecutionException if the timer thread is shutting down
     */
    void schedule(Timer kind, Runnable task, long delay, TimeUnit unit) {
        ScheduledFuture<?> timer = timers.schedule(task, delay, unit);
        cancel(pendingTimers.getAndSet(kind.ordinal(), timer)); // one pending timer per kind: a replaced one goes
        if (state.get() == State.CLOSED) {
            cancel(pendingTimers.getAndSet(kind.ordinal(), null)); // closed meanwhile: it found none to cancel
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Removes the closed connection from its rooms, its user and the registry. */
    public void forget() {
        registry.remove(this);
    }

    @Override
    public void overflowed() {
        // The queue is already discarded. The close frame follows the writes still in flight: a container may
        // drop the TCP connection when asked to close with writes pending (Payara does), and the client would see
        // 1006 instead of 4005 once it reads again. A client that never reads again is closed, and its connection
        // dropped, after wiregate.close-timeout-ms all the same.
        state.updateAndGet(s -> s == State.CLOSED ? s : State.CLOSING);
        try {
            schedule(Timer.CLOSING, () -> offTimer(() -> {
                closeSession(CloseCodes.SLOW_CONSUMER, "slow consumer");
                transport.abort();
            }), closeTimeoutMs, TimeUnit.MILLISECONDS);
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

    /**
     * Sends the close frame, once. A client that does not read never completes the close handshake: where the
     * transport can, its TCP connection is dropped after the close timeout.
     */
    private void closeSession(int code, String reason) {
        if (!transport.isOpen() || !closeSent.compareAndSet(false, true)) {
            return;
        }
        transport.close(code, reason);
        if (!transport.canAbort()) {
            return;
        }
        try {
            schedule(Timer.ABORT, transport::abort, closeTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            transport.abort(); // shutting down
        }
    }

    /**
     * Runs a close the shared timer thread decided on elsewhere: a container's {@code Session.close} may block
     * (Open Liberty waits up to 5.5 s for a write in progress), and the timer thread serves every connection.
     */
    private static void offTimer(Runnable close) {
        java.util.concurrent.ForkJoinPool.commonPool().execute(close);
    }

    @Override
    public String toString() {
        return "Connection[" + id + " on " + namespace + ", " + state.get() + "]";
    }

    /** {@code connected}'s frame with {@code "encryption": {fields}} added to its data (docs/protocol.md section 12). */
    static String withEncryption(String connectedFrame, Map<String, String> fields) {
        StringBuilder b = new StringBuilder(connectedFrame.length() + 160)
                .append(connectedFrame, 0, connectedFrame.length() - 2).append(",\"encryption\":{");
        boolean first = true;
        for (Map.Entry<String, String> f : new java.util.TreeMap<>(fields).entrySet()) {
            b.append(first ? "" : ",").append(Frames.quote(f.getKey())).append(':').append(Frames.quote(f.getValue()));
            first = false;
        }
        return b.append("}}}").toString();
    }
}
