package io.wiregate.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;

import io.wiregate.protocol.CloseCodes;
import io.wiregate.protocol.Envelope;
import io.wiregate.protocol.EnvelopeParser;
import io.wiregate.protocol.EventNames;
import io.wiregate.protocol.Frames;
import io.wiregate.protocol.SealedChannel;
import io.wiregate.protocol.Violation;

/**
 * A connection to one Wiregate gateway (docs/protocol.md), kept up until {@link #close()}: the Java counterpart of
 * {@code clients/js/wiregate.js}, with the same concepts, reconnect rules and error codes.
 *
 * <pre>{@code
 * record Message(String room, String text) {}
 * record Saved(long id, String text) {}
 *
 * try (WiregateClient chat = WiregateClient.builder(URI.create("ws://localhost:8025/chat"))
 *         .auth(() -> Map.of("token", tokens.current()))   // sent as authenticate after every (re)connect
 *         .requestTimeout(Duration.ofSeconds(5))
 *         .connect()) {                                      // connects in the background
 *     chat.onConnected(c -> System.out.println("connected as " + c.userId()));
 *     chat.on("messageCreated", Message.class, m -> System.out.println(m.text()));
 *     chat.join("general").get(5, TimeUnit.SECONDS);        // re-joined after every reconnect
 *     Saved saved = chat.request("sendMessage", new Message("general", "hello"), Saved.class)
 *             .get(10, TimeUnit.SECONDS);
 *     chat.emit("typing", Map.of("room", "general"));
 * } catch (ExecutionException e) {
 *     if (e.getCause() instanceof WiregateException w) {
 *         System.out.println(w.code() + " " + w.getMessage() + " " + w.violations()); // validation, timeout, ...
 *     }
 * }
 * }</pre>
 *
 * <p><b>Connection.</b> The client connects at once, in the background, on the JDK's {@link WebSocket}. On every
 * new connection it sends {@code authenticate} with the configured credentials (when there are any), waits for
 * {@code connected}, re-joins the rooms it had joined, then sends the frames that waited. While connected it sends
 * something at least every heartbeat interval ({@code {"event":"heartbeat"}} when nothing else).
 *
 * <p><b>Reconnect.</b> After a drop it waits a jittered, exponentially growing delay (between half and all of
 * {@code min(max, min * 2^attempt)}) and connects again, for as long as it takes; not after the closes that say
 * retrying is pointless (4003 authentication failed, 1008 policy violation, 1009 message too big), nor after
 * {@link #close()}, nor when built with {@link Builder#noReconnect()}: the state is then {@link State#CLOSED}.
 *
 * <p><b>Recovery.</b> On a gateway with connection state recovery (docs/protocol.md section 9) the client keeps the
 * session token of the last {@code connected} and the offset of the last event it received, and presents both on
 * every reconnect (query parameters {@code wiregate-session} and {@code wiregate-offset}). When the server
 * recovers the session, {@link Connected#recovered()} is true, the client id stays the same, and the events missed
 * meanwhile reach the listeners first, in order, exactly once; when it cannot, {@code recovered()} is false and the
 * application should reload what it shows. On gateways without recovery nothing of this happens.
 *
 * <p><b>Frames while not connected.</b> Emits and requests made while not connected wait, up to
 * {@link Builder#bufferSize(int)} frames; beyond that they fail with {@link WiregateException#BUFFER_FULL}.
 * Requests already sent when the connection drops fail with {@link WiregateException#DISCONNECTED}: their answer
 * would have come on the lost connection. A request's timeout runs from the call, connected or not.
 *
 * <p><b>Threads.</b> Every method may be called from any thread and none blocks. Listeners, and the completions of
 * the futures this client returns, run on one serial executor per client, off the WebSocket's I/O thread: in the
 * order frames arrived, one at a time, and a slow listener delays only this client's listeners. A listener that
 * throws is logged ({@link System.Logger} {@code io.wiregate.client.WiregateClient}) and does not stop the others.
 */
public final class WiregateClient implements AutoCloseable {

    /** The life cycle of a client, as wiregate.js's {@code state}. */
    public enum State {
        /** Opening a WebSocket (the first one, or the next after a backoff delay). */
        CONNECTING,
        /** The WebSocket is open; waiting for the server's {@code connected} (after {@code authenticate} when configured). */
        AUTHENTICATING,
        /** {@code connected} arrived: frames are sent as they come. */
        CONNECTED,
        /** Waiting for the backoff delay before connecting again. */
        RECONNECTING,
        /** For good: {@link #close()} was called, or a close did not allow reconnecting. */
        CLOSED
    }

    private static final System.Logger LOG = System.getLogger(WiregateClient.class.getName());

    /** Close codes after which reconnecting is pointless: authentication failed, policy violation, message too big. */
    private static final Set<Integer> FINAL_CLOSE_CODES =
            Set.of(CloseCodes.AUTH_FAILED, CloseCodes.POLICY_VIOLATION, CloseCodes.TOO_BIG);

    /** The client's own state events: no {@link #on} listener can take one of these names. */
    private static final Set<String> STATE_EVENTS = Set.of("connecting", "connected", "disconnected", "reconnecting");

    private static final String HEARTBEAT = "{\"event\":\"heartbeat\"}";
    /** The close code of a connection that ended without a close frame. */
    private static final int ABNORMAL = 1006;

    private final URI uri;
    private final Supplier<?> auth;
    /** Whether every frame after {@code connected} is sealed (docs/protocol.md section 12). */
    private final boolean encryption;
    private final Duration heartbeat;
    private final Duration reconnectMin;
    private final Duration reconnectMax;
    private final boolean reconnect;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final int bufferSize;
    private final Map<String, String> headers;
    private final Jsonb jsonb;
    private final HttpClient http;

    private final SerialExecutor events = new SerialExecutor();
    private final Map<String, List<Listener<?>>> listeners = new ConcurrentHashMap<>();
    private final List<Consumer<? super Connected>> connectedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<? super Disconnected>> disconnectedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<? super Reconnecting>> reconnectingListeners = new CopyOnWriteArrayList<>();

    /** Guards the fields below; held only for bookkeeping and non-blocking hand-offs, never while a listener runs. */
    private final Object lock = new Object();
    private Connection connection; // the current attempt or connection, null when none
    private final Map<String, Pending> pending = new HashMap<>(); // by the id's JSON text
    private final ArrayDeque<Buffered> buffer = new ArrayDeque<>();
    private final Set<String> rooms = new LinkedHashSet<>();
    private long nextId = 1;
    private int attempt;
    private ScheduledFuture<?> reconnectTimer;
    private ScheduledFuture<?> heartbeatTimer;
    private boolean closedByUser;
    /** The session token of the last {@code connected} and the offset of the last event received (section 9). */
    private String session;
    private String offset;

    private volatile State state = State.CONNECTING;
    private volatile String id;
    private volatile String userId;
    private volatile long lastSentNanos;

    private WiregateClient(Builder b) {
        this.uri = b.uri;
        this.auth = b.auth;
        this.encryption = b.encryption;
        this.heartbeat = b.heartbeat;
        this.reconnect = b.reconnect;
        this.reconnectMin = b.reconnectMin;
        this.reconnectMax = b.reconnectMax;
        this.requestTimeout = b.requestTimeout;
        this.connectTimeout = b.connectTimeout;
        this.bufferSize = b.bufferSize;
        this.headers = Map.copyOf(b.headers);
        this.jsonb = b.jsonb != null ? b.jsonb : Defaults.JSONB;
        this.http = b.http != null ? b.http : Defaults.HTTP;
        this.lastSentNanos = System.nanoTime();
    }

    /**
     * A builder for a client of the gateway at {@code uri}.
     *
     * @param uri the gateway's {@code ws://} or {@code wss://} address, query parameters included
     * @return a builder with the defaults of wiregate.js
     * @throws IllegalArgumentException if {@code uri} is not a {@code ws} or {@code wss} URI
     * @throws NullPointerException     if {@code uri} is null
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /**
     * Connects, in the background, with the default options (no credentials, heartbeats every 25 s, reconnecting
     * between 500 ms and 10 s, requests timing out after 10 s, 100 frames buffered).
     *
     * @param uri the gateway's {@code ws://} or {@code wss://} address
     * @return the client, already connecting
     * @throws IllegalArgumentException if {@code uri} is not a {@code ws} or {@code wss} URI
     */
    public static WiregateClient connect(URI uri) {
        return builder(uri).connect();
    }

    // ---------------------------------------------------------------------------------------------- public API

    /**
     * The client's state now; it changes on the I/O and timer threads, so it may change right after the call.
     *
     * @return the state
     */
    public State state() {
        return state;
    }

    /**
     * The client id of the current connection.
     *
     * @return {@code connected.id} of the current connection, or null while not connected
     */
    public String id() {
        return id;
    }

    /**
     * The authenticated user id.
     *
     * @return {@code connected.userId} of the last connection, or null when anonymous or not yet connected
     */
    public String userId() {
        return userId;
    }

    /**
     * The rooms this client joined (and was not refused), re-joined after every reconnect.
     *
     * @return a copy, in joining order
     */
    public List<String> rooms() {
        synchronized (lock) {
            return List.copyOf(rooms);
        }
    }

    /**
     * Calls {@code listener} with the data of every server event named {@code event}, bound to {@code type} with
     * JSON-B ({@link JsonValue} and its subtypes receive the data as parsed; a missing or null data is passed as
     * null). Replies to this client's requests are not delivered here, except those arriving after their request
     * timed out. A frame whose data does not bind to {@code type} is logged and skipped for this listener; a frame
     * that is not an envelope (not JSON, no {@code event}, or nesting deeper than 64 levels) is ignored.
     *
     * @param event    the event name, 1 to 128 characters of {@code [A-Za-z0-9_.:/-]}; {@code error} receives the
     *                 server's errors that answer no request
     * @param type     the type the data is bound to
     * @param listener called on this client's serial executor, in arrival order
     * @param <T>      the data's type
     * @return the subscription, whose {@code close()} removes the listener
     * @throws IllegalArgumentException if {@code event} is not a valid event name or is one of the client's state
     *                                  events ({@code connecting}, {@code connected}, {@code disconnected},
     *                                  {@code reconnecting}: use {@link #onConnected} and the like)
     * @throws NullPointerException     if {@code type} or {@code listener} is null
     */
    public <T> Subscription on(String event, Class<T> type, Consumer<? super T> listener) {
        EventNames.requireValidEvent(event);
        if (STATE_EVENTS.contains(event)) {
            throw new IllegalArgumentException("'" + event + "' is a state event of the client: use onConnected, "
                    + "onDisconnected or onReconnecting");
        }
        Listener<T> l = new Listener<>(Objects.requireNonNull(type, "type"), Objects.requireNonNull(listener, "listener"));
        listeners.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(l);
        return () -> {
            List<Listener<?>> list = listeners.get(event);
            if (list != null) {
                list.remove(l);
            }
        };
    }

    /**
     * Calls {@code listener} with the server's {@code connected} data each time a connection becomes ready.
     *
     * @param listener called on this client's serial executor
     * @return the subscription, whose {@code close()} removes the listener
     * @throws NullPointerException if {@code listener} is null
     */
    public Subscription onConnected(Consumer<? super Connected> listener) {
        return subscribe(connectedListeners, listener);
    }

    /**
     * Calls {@code listener} when an open connection ends, and when the client gives up (a close after which it does
     * not reconnect, or {@link #close()}).
     *
     * @param listener called on this client's serial executor
     * @return the subscription, whose {@code close()} removes the listener
     * @throws NullPointerException if {@code listener} is null
     */
    public Subscription onDisconnected(Consumer<? super Disconnected> listener) {
        return subscribe(disconnectedListeners, listener);
    }

    /**
     * Calls {@code listener} before each new connection attempt, with its number and backoff delay.
     *
     * @param listener called on this client's serial executor
     * @return the subscription, whose {@code close()} removes the listener
     * @throws NullPointerException if {@code listener} is null
     */
    public Subscription onReconnecting(Consumer<? super Reconnecting> listener) {
        return subscribe(reconnectingListeners, listener);
    }

    /**
     * Sends an event without waiting for an answer. While not connected, the frame waits for the connection.
     *
     * @param event the event name, 1 to 128 characters of {@code [A-Za-z0-9_.:/-]}
     * @param data  the payload, serialized with JSON-B ({@link JsonValue}s as they are); null sends no {@code data}
     * @throws WiregateException        code {@link WiregateException#CLOSED} after {@link #close()} or a final close;
     *                                  {@link WiregateException#BUFFER_FULL} when {@code bufferSize} frames already
     *                                  wait for a connection
     * @throws IllegalArgumentException if {@code event} is not a valid event name
     * @throws JsonbException           if {@code data} cannot be serialized
     */
    public void emit(String event, Object data) {
        EventNames.requireValidEvent(event);
        String text = frame(event, dataJson(data), null);
        synchronized (lock) {
            send(text, null);
        }
    }

    /**
     * Sends an event and completes with the data of its reply, with the default request timeout.
     *
     * @see #request(String, Object, Class, Duration)
     * @param event     the event name
     * @param data      the payload (null sends none)
     * @param replyType the type the reply's data is bound to
     * @param <T>       the reply's type
     * @return the future reply
     * @throws IllegalArgumentException if {@code event} is not a valid event name
     * @throws JsonbException           if {@code data} cannot be serialized
     */
    public <T> CompletableFuture<T> request(String event, Object data, Class<T> replyType) {
        return request(event, data, replyType, requestTimeout);
    }

    /**
     * Sends an event with a correlation id and completes with the data of its reply bound to {@code replyType}
     * (null for an {@code ack}). While not connected, the frame waits for the connection; the timeout runs from
     * this call. Cancelling the future forgets the request (a late answer then goes to the {@link #on} listeners).
     *
     * <p>The future completes exceptionally with a {@link WiregateException}: the server's {@code error} (its
     * {@code code}, message and violations), {@link WiregateException#TIMEOUT}, {@link WiregateException#DISCONNECTED},
     * {@link WiregateException#CLOSED} or {@link WiregateException#BUFFER_FULL}; or with a {@link JsonbException} when
     * the reply does not bind to {@code replyType}. It completes on this client's serial executor.
     *
     * @param event     the event name, 1 to 128 characters of {@code [A-Za-z0-9_.:/-]}
     * @param data      the payload, serialized with JSON-B; null sends no {@code data}
     * @param replyType the type the reply's data is bound to ({@link Void} or {@link Object} for don't-care,
     *                  {@link JsonValue} for the data as parsed)
     * @param timeout   how long to wait for the answer, from now
     * @param <T>       the reply's type
     * @return the future reply
     * @throws IllegalArgumentException if {@code event} is not a valid event name or {@code timeout} is not positive
     * @throws NullPointerException     if {@code replyType} or {@code timeout} is null
     * @throws JsonbException           if {@code data} cannot be serialized
     */
    public <T> CompletableFuture<T> request(String event, Object data, Class<T> replyType, Duration timeout) {
        EventNames.requireValidEvent(event);
        Objects.requireNonNull(replyType, "replyType");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("The timeout must be positive: " + timeout);
        }
        String dataJson = dataJson(data);
        CompletableFuture<T> future = new CompletableFuture<>();
        Pending p = new Pending(reply -> answer(future, reply, replyType), future::completeExceptionally);
        String key;
        synchronized (lock) {
            key = nextKey();
            pending.put(key, p);
            try {
                send(frame(event, dataJson, key), p);
            } catch (WiregateException e) {
                pending.remove(key);
                return CompletableFuture.failedFuture(e);
            }
            long ms = Math.max(1, timeout.toMillis());
            p.timer = SerialExecutor.TIMERS.schedule(() -> timedOut(key, event, ms), ms, TimeUnit.MILLISECONDS);
        }
        future.whenComplete((r, e) -> {
            if (future.isCancelled()) {
                forget(key);
            }
        });
        return future;
    }

    /**
     * Joins rooms, and remembers them to re-join after every reconnect. Completes with the rooms the server
     * accepted. When the server refuses some, the future fails with code {@code forbidden} (naming them) and the
     * accepted ones are remembered as the server confirms them.
     *
     * @param rooms the rooms, each 1 to 128 characters without control characters
     * @return the future list of joined rooms; it fails as {@link #request(String, Object, Class, Duration)} does
     * @throws IllegalArgumentException if a room name is not valid, or none is given
     */
    public CompletableFuture<List<String>> join(String... rooms) {
        List<String> list = roomList(rooms);
        return request("join", Map.of("rooms", list), JsonValue.class).thenApply(reply -> {
            List<String> joined = roomsOf(reply, list);
            synchronized (lock) {
                this.rooms.addAll(joined);
            }
            return joined;
        });
    }

    /**
     * Leaves rooms: they are forgotten at once (not re-joined after a reconnect), then the server is told.
     *
     * @param rooms the rooms, each 1 to 128 characters without control characters
     * @return the future list of rooms the server confirmed; it fails as {@link #request(String, Object, Class, Duration)} does
     * @throws IllegalArgumentException if a room name is not valid, or none is given
     */
    public CompletableFuture<List<String>> leave(String... rooms) {
        List<String> list = roomList(rooms);
        synchronized (lock) {
            list.forEach(this.rooms::remove);
        }
        return request("leave", Map.of("rooms", list), JsonValue.class).thenApply(reply -> roomsOf(reply, list));
    }

    /**
     * Closes the connection with 1000 for good: no reconnect; requests waiting for an answer and frames waiting for a
     * connection fail with {@link WiregateException#CLOSED}, and the state becomes {@link State#CLOSED}. Frames
     * already handed to the WebSocket are sent before the close frame. Returns at once; idempotent; throws nothing.
     */
    @Override
    public void close() {
        Connection c;
        synchronized (lock) {
            if (closedByUser) {
                return;
            }
            closedByUser = true;
            cancel(reconnectTimer);
            reconnectTimer = null;
            stopHeartbeat();
            c = connection;
            connection = null;
            failAll(WiregateException.CLOSED, "the client was closed");
            State before = state;
            state = State.CLOSED;
            id = null;
            if (before != State.CLOSED) {
                raiseState(disconnectedListeners, new Disconnected(CloseCodes.NORMAL, "closed by the client", false));
            }
        }
        if (c != null) {
            c.closeGracefully(CloseCodes.NORMAL);
        }
    }

    @Override
    public String toString() {
        return "WiregateClient[" + uri + ", " + state + (id == null ? "" : ", id " + id) + "]";
    }

    // ---------------------------------------------------------------------------------------------- connection

    private void open() {
        Connection c = new Connection();
        synchronized (lock) {
            if (closedByUser) {
                return;
            }
            reconnectTimer = null;
            connection = c;
            state = State.CONNECTING;
        }
        CompletableFuture<WebSocket> opening;
        try {
            WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(connectTimeout);
            headers.forEach(builder::header);
            opening = builder.buildAsync(resumeUri(), c);
        } catch (RuntimeException e) {
            dropped(c, ABNORMAL, "the connection could not be made: " + e, false);
            return;
        }
        opening.whenComplete((ws, e) -> {
            if (e != null) {
                dropped(c, ABNORMAL, "the connection could not be made: " + rootMessage(e), false);
                return;
            }
            boolean current;
            synchronized (lock) {
                current = connection == c;
            }
            if (!current) { // closed while connecting
                c.closeGracefully(CloseCodes.NORMAL);
            }
        });
    }

    /** The gateway's address, with the session to resume when there is one (section 9). */
    private URI resumeUri() {
        String token;
        String last;
        synchronized (lock) {
            token = session;
            last = offset;
        }
        if (token == null || last == null) {
            return uri;
        }
        String resume = "wiregate-session=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8)
                + "&wiregate-offset=" + java.net.URLEncoder.encode(last, java.nio.charset.StandardCharsets.UTF_8);
        String text = uri.toString();
        int hash = text.indexOf('#');
        String base = hash < 0 ? text : text.substring(0, hash);
        return URI.create(base + (uri.getRawQuery() == null ? "?" : "&") + resume);
    }

    private void opened(Connection c) {
        synchronized (lock) {
            if (connection != c) {
                return;
            }
            state = State.AUTHENTICATING; // with or without credentials: the gateway sends connected when ready
        }
        if (auth != null) {
            events.execute(() -> authenticate(c));
        }
    }

    /** Runs on the serial executor: the credentials supplier may be slow, or return a future. */
    private void authenticate(Connection c) {
        Object credentials;
        try {
            credentials = auth.get();
        } catch (RuntimeException e) {
            authFailed(c, e);
            return;
        }
        if (credentials instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, e) -> {
                if (e != null) {
                    authFailed(c, e);
                } else {
                    sendAuthenticate(c, value);
                }
            });
        } else {
            sendAuthenticate(c, credentials);
        }
    }

    private void sendAuthenticate(Connection c, Object credentials) {
        String text;
        try {
            String data = dataJson(credentials);
            if (encryption) { // docs/protocol.md section 12: the client's key beside the credentials
                if (!(Json.createReader(new java.io.StringReader(data == null ? "null" : data)).readValue()
                        instanceof JsonObject object)) {
                    throw new IllegalArgumentException("credentials must be a JSON object on a gateway with encryption");
                }
                data = Json.createObjectBuilder(object)
                        .add("publicKey", SealedChannel.encode((java.security.interfaces.ECPublicKey) c.keys.getPublic()))
                        .build().toString();
            }
            text = frame("authenticate", data, null);
        } catch (RuntimeException e) {
            authFailed(c, e);
            return;
        }
        synchronized (lock) {
            if (connection == c) {
                c.write(text);
            }
        }
    }

    /** The credentials could not be obtained: this connection is given up, and the client tries again later. */
    private void authFailed(Connection c, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "The credentials of the Wiregate client of " + uri + " could not be obtained", e);
        c.abort();
        dropped(c, 4000, "the credentials could not be obtained: " + rootMessage(e), true);
    }

    private void received(Connection c, String sealedOrClear) {
        String text = sealedOrClear;
        SealedChannel channel = c.channel;
        if (channel != null) {
            try {
                text = channel.open(sealedOrClear);
            } catch (java.security.GeneralSecurityException e) {
                LOG.log(System.Logger.Level.WARNING, "The Wiregate client received a frame it cannot open: " + e.getMessage());
                c.closeGracefully(CloseCodes.ENCRYPTION_REQUIRED);
                return;
            }
        }
        if (!(Defaults.PARSER.parse(text) instanceof EnvelopeParser.Parsed parsed)) {
            LOG.log(System.Logger.Level.DEBUG, "Ignored a frame that is not an envelope");
            return;
        }
        Envelope frame = parsed.envelope();
        String event = frame.event();
        synchronized (lock) {
            if (connection != c) {
                return;
            }
            if ("connected".equals(event)) {
                connected(c, frame.data());
                return;
            }
            if (frame.hasId()) {
                Pending waiting = pending.remove(frame.id());
                if (waiting != null) {
                    cancel(waiting.timer);
                    events.execute(() -> waiting.answer.accept(frame));
                    return;
                }
            }
            if ("joined".equals(event)) { // also the accepted part of a partly refused join, which has no id
                rooms.addAll(roomsOf(frame.data(), List.of()));
            }
            if (frame.offset() != null && session != null) {
                offset = frame.offset(); // a recoverable event: resume after it
            }
            if (!STATE_EVENTS.contains(event)) {
                raise(event, frame.data());
            }
        }
    }

    /** Under the lock. */
    private void connected(Connection c, JsonValue data) {
        if (encryption && !seal(c, data)) {
            return;
        }
        Connected info = connectedOf(data);
        if (data instanceof JsonObject o && o.get("session") instanceof JsonString token
                && o.get("offset") instanceof JsonString last) {
            session = token.getString();
            offset = last.getString();
        }
        state = State.CONNECTED;
        attempt = 0;
        id = info.id();
        userId = info.userId();
        // A recovered session kept its rooms: only those the server does not list (none, normally) are joined again.
        List<String> rejoin = rooms.stream().filter(room -> !(info.recovered() && info.rooms().contains(room))).toList();
        if (!rejoin.isEmpty()) {
            // Re-join before anything waiting is sent, so that its deliveries reach the rooms.
            String key = nextKey();
            pending.put(key, new Pending(reply -> {
                if ("error".equals(reply.event())) {
                    raiseNow("error", reply.data());
                }
            }, e -> { }));
            StringBuilder list = new StringBuilder("{\"rooms\":[");
            for (String room : rejoin) {
                list.append(list.length() > 10 ? "," : "").append(Frames.quote(room));
            }
            c.write(frame("join", list.append("]}").toString(), key));
        }
        for (Buffered b; (b = buffer.poll()) != null; ) {
            if (b.pending != null) {
                b.pending.buffered = false;
            }
            c.write(b.text);
        }
        startHeartbeat(c);
        raiseState(connectedListeners, info);
    }

    /**
     * Starts sealing with the server's side of the handshake in {@code connected} (docs/protocol.md section 12); false,
     * and the connection closing with 4004, when it has none or it is not valid.
     */
    private boolean seal(Connection c, JsonValue data) {
        try {
            if (data instanceof JsonObject o && o.get("encryption") instanceof JsonObject e
                    && e.get("publicKey") instanceof JsonString key && e.get("salt") instanceof JsonString salt) {
                c.channel = SealedChannel.derive(c.keys.getPrivate(), SealedChannel.decode(key.getString()),
                        salt.getString(), false);
                return true;
            }
            LOG.log(System.Logger.Level.WARNING, "The server of " + uri + " did not take up encryption");
        } catch (java.security.GeneralSecurityException e) {
            LOG.log(System.Logger.Level.WARNING, "The encryption handshake with " + uri + " failed: " + e.getMessage());
        }
        c.closeGracefully(CloseCodes.ENCRYPTION_REQUIRED);
        return false;
    }

    /** The connection closed or failed; {@code wasOpen} tells a lost connection from an attempt that never opened. */
    private void dropped(Connection c, int code, String reason, boolean wasOpen) {
        synchronized (lock) {
            if (connection != c) {
                return;
            }
            connection = null;
            stopHeartbeat();
            id = null;
            // Requests already sent will not be answered on another connection.
            for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (!p.buffered) {
                    it.remove();
                    cancel(p.timer);
                    WiregateException e = new WiregateException(WiregateException.DISCONNECTED,
                            "the connection closed (" + code + ") before the answer");
                    events.execute(() -> p.failure.accept(e));
                }
            }
            if (closedByUser) {
                return;
            }
            boolean retry = reconnect && !FINAL_CLOSE_CODES.contains(code);
            if (wasOpen || !retry) {
                raiseState(disconnectedListeners, new Disconnected(code, reason == null ? "" : reason, retry));
            }
            if (!retry) {
                state = State.CLOSED;
                failAll(WiregateException.CLOSED, "the connection closed with " + code + ", which does not allow reconnecting");
                return;
            }
            long minMs = reconnectMin.toMillis();
            long ceiling = Math.min(reconnectMax.toMillis(), minMs * (1L << Math.min(attempt, 30)));
            if (ceiling < 0) { // overflow of min * 2^attempt
                ceiling = reconnectMax.toMillis();
            }
            long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
            attempt++;
            state = State.RECONNECTING;
            raiseState(reconnectingListeners, new Reconnecting(attempt, Duration.ofMillis(delay), code));
            reconnectTimer = SerialExecutor.TIMERS.schedule(() -> SerialExecutor.POOL.execute(this::open),
                    delay, TimeUnit.MILLISECONDS);
        }
    }

    // ---------------------------------------------------------------------------------------------- sending

    /** Under the lock: writes now when connected, else buffers. */
    private void send(String text, Pending p) {
        if (closedByUser || state == State.CLOSED) {
            throw new WiregateException(WiregateException.CLOSED, "the client is closed");
        }
        if (state == State.CONNECTED && connection != null) {
            connection.write(text);
            return;
        }
        if (buffer.size() >= bufferSize) {
            throw new WiregateException(WiregateException.BUFFER_FULL,
                    bufferSize + " frames already wait for the connection");
        }
        buffer.add(new Buffered(text, p));
        if (p != null) {
            p.buffered = true;
        }
    }

    private void timedOut(String key, String event, long ms) {
        synchronized (lock) {
            Pending p = pending.remove(key);
            if (p == null) {
                return;
            }
            if (p.buffered) {
                buffer.removeIf(b -> b.pending == p);
            }
            WiregateException e = new WiregateException(WiregateException.TIMEOUT,
                    "no answer to " + event + " within " + ms + " ms");
            events.execute(() -> p.failure.accept(e));
        }
    }

    private void forget(String key) {
        synchronized (lock) {
            Pending p = pending.remove(key);
            if (p != null) {
                cancel(p.timer);
                if (p.buffered) {
                    buffer.removeIf(b -> b.pending == p);
                }
            }
        }
    }

    /** Under the lock. */
    private void failAll(String code, String message) {
        for (Pending p : pending.values()) {
            cancel(p.timer);
            WiregateException e = new WiregateException(code, message);
            events.execute(() -> p.failure.accept(e));
        }
        pending.clear();
        buffer.clear();
    }

    /** Under the lock. */
    private void startHeartbeat(Connection c) {
        if (heartbeat.isZero()) {
            return;
        }
        long half = Math.max(1, heartbeat.toMillis() / 2);
        heartbeatTimer = SerialExecutor.TIMERS.scheduleAtFixedRate(() -> {
            synchronized (lock) {
                if (connection == c && state == State.CONNECTED
                        && System.nanoTime() - lastSentNanos >= TimeUnit.MILLISECONDS.toNanos(half)) {
                    c.write(HEARTBEAT);
                }
            }
        }, half, half, TimeUnit.MILLISECONDS);
    }

    /** Under the lock. */
    private void stopHeartbeat() {
        cancel(heartbeatTimer);
        heartbeatTimer = null;
    }

    /** Under the lock. */
    private String nextKey() {
        return Frames.quote(Long.toString(nextId++));
    }

    // ---------------------------------------------------------------------------------------------- listeners

    private static <L> Subscription subscribe(List<L> list, L listener) {
        list.add(Objects.requireNonNull(listener, "listener"));
        return () -> list.remove(listener);
    }

    private <T> void raiseState(List<Consumer<? super T>> list, T value) {
        events.execute(() -> {
            for (Consumer<? super T> l : list) {
                try {
                    l.accept(value);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "A Wiregate client listener failed", e);
                }
            }
        });
    }

    private void raise(String event, JsonValue data) {
        events.execute(() -> raiseNow(event, data));
    }

    /** On the serial executor. */
    private void raiseNow(String event, JsonValue data) {
        List<Listener<?>> list = listeners.get(event);
        if (list == null) {
            return;
        }
        for (Listener<?> l : list) {
            try {
                l.call(this, data);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "A Wiregate client listener of '" + event + "' failed", e);
            }
        }
    }

    private static final class Listener<T> {
        final Class<T> type;
        final Consumer<? super T> fn;

        Listener(Class<T> type, Consumer<? super T> fn) {
            this.type = type;
            this.fn = fn;
        }

        void call(WiregateClient client, JsonValue data) {
            fn.accept(client.bind(data, type));
        }
    }

    // ---------------------------------------------------------------------------------------------- JSON

    private String dataJson(Object data) {
        if (data == null) {
            return null;
        }
        if (data instanceof JsonValue v) {
            return v.toString();
        }
        return jsonb.toJson(data);
    }

    private static String frame(String event, String dataJson, String idJson) {
        StringBuilder b = new StringBuilder(32 + (dataJson == null ? 0 : dataJson.length()))
                .append("{\"event\":").append(Frames.quote(event));
        if (dataJson != null) {
            b.append(",\"data\":").append(dataJson);
        }
        if (idJson != null) {
            b.append(",\"id\":").append(idJson);
        }
        return b.append('}').toString();
    }

    <T> T bind(JsonValue data, Class<T> type) {
        if (data == null || data.getValueType() == JsonValue.ValueType.NULL || type == Void.class) {
            return null;
        }
        if (JsonValue.class.isAssignableFrom(type) && type.isInstance(data)) { // JsonValue, JsonObject, ...: as parsed
            return type.cast(data);
        }
        return jsonb.fromJson(data.toString(), type);
    }

    private <T> void answer(CompletableFuture<T> future, Envelope reply, Class<T> type) {
        if ("error".equals(reply.event())) {
            future.completeExceptionally(errorOf(reply.data()));
            return;
        }
        T value;
        try {
            value = bind(reply.data(), type);
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
            return;
        }
        future.complete(value);
    }

    static WiregateException errorOf(JsonValue data) {
        if (!(data instanceof JsonObject o)) {
            return new WiregateException("internal", "error");
        }
        List<Violation> violations = new ArrayList<>();
        if (o.get("violations") instanceof jakarta.json.JsonArray array) {
            for (JsonValue v : array) {
                if (v instanceof JsonObject vo) {
                    violations.add(new Violation(stringOf(vo, "path", ""), stringOf(vo, "message", "")));
                }
            }
        }
        return new WiregateException(stringOf(o, "code", "internal"), stringOf(o, "message", "error"), violations);
    }

    static Connected connectedOf(JsonValue data) {
        if (!(data instanceof JsonObject o)) {
            return new Connected(null, null, 0, List.of());
        }
        long time = o.get("time") instanceof JsonNumber n ? n.longValue() : 0;
        return new Connected(stringOf(o, "id", null), stringOf(o, "userId", null), time, roomsOf(o, List.of()),
                o.get("recovered") == JsonValue.TRUE);
    }

    /** The {@code rooms} of a {@code joined}/{@code left}/{@code connected} object, or {@code otherwise}. */
    static List<String> roomsOf(JsonValue data, List<String> otherwise) {
        if (data instanceof JsonObject o && o.get("rooms") instanceof jakarta.json.JsonArray array) {
            List<String> list = new ArrayList<>(array.size());
            for (JsonValue v : array) {
                if (v instanceof JsonString s) {
                    list.add(s.getString());
                }
            }
            return List.copyOf(list);
        }
        return otherwise;
    }

    private static String stringOf(JsonObject o, String key, String otherwise) {
        return o.get(key) instanceof JsonString s ? s.getString() : otherwise;
    }

    private static List<String> roomList(String... rooms) {
        if (rooms == null || rooms.length == 0) {
            throw new IllegalArgumentException("No room given");
        }
        List<String> list = new ArrayList<>(new LinkedHashSet<>(Arrays.asList(rooms)));
        list.forEach(EventNames::requireValidRoom);
        return list;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t.getCause() != null && t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** A request waiting for its answer. */
    private static final class Pending {
        final Consumer<Envelope> answer; // on the serial executor
        final Consumer<Throwable> failure; // on the serial executor
        ScheduledFuture<?> timer;
        boolean buffered; // its frame waits in the buffer (not yet sent): it survives a drop

        Pending(Consumer<Envelope> answer, Consumer<Throwable> failure) {
            this.answer = answer;
            this.failure = failure;
        }
    }

    /** A frame waiting for a connection. */
    private record Buffered(String text, Pending pending) {
    }

    /** One WebSocket (attempt): its listener, and its sends, chained because the JDK allows one at a time. */
    private final class Connection implements WebSocket.Listener {
        private volatile WebSocket ws;
        /** This connection's ephemeral key pair, with encryption; its sealed channel once connected. */
        final java.security.KeyPair keys = encryption ? SealedChannel.newKeyPair() : null;
        volatile SealedChannel channel;
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<?> tail = CompletableFuture.completedFuture(null); // guarded by this

        void write(String text) {
            lastSentNanos = System.nanoTime();
            WebSocket socket = ws;
            synchronized (this) { // sealed in the order the frames are sent
                String out = channel == null ? text : channel.seal(text);
                tail = tail.handle((r, e) -> null).thenCompose(x -> socket.sendText(out, true));
            }
        }

        void closeGracefully(int code) {
            WebSocket socket = ws;
            if (socket == null) {
                return; // still connecting: open() closes it when the handshake completes
            }
            synchronized (this) {
                tail = tail.handle((r, e) -> null).thenCompose(x -> socket.sendClose(code, ""));
            }
            // A server that does not answer the close frame is not waited for forever.
            SerialExecutor.TIMERS.schedule(() -> {
                if (!socket.isInputClosed()) {
                    socket.abort();
                }
            }, 5, TimeUnit.SECONDS);
        }

        void abort() {
            WebSocket socket = ws;
            if (socket != null) {
                socket.abort();
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            webSocket.request(1);
            opened(this);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    received(this, text);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "The Wiregate client failed on a frame", e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1); // the protocol's server sends no binary frames to clients: ignored
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            dropped(this, statusCode, reason, true);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            dropped(this, ABNORMAL, "the connection failed: " + rootMessage(error), true);
        }
    }

    /** Shared, lazily created defaults: thread-safe, used by every client not given its own. */
    private static final class Defaults {
        static final Jsonb JSONB = JsonbBuilder.create();
        static final HttpClient HTTP = HttpClient.newHttpClient();
        static final EnvelopeParser PARSER = new EnvelopeParser();
    }

    // ---------------------------------------------------------------------------------------------- builder

    /**
     * Options of a {@link WiregateClient}; {@link #connect()} creates the client. The defaults are wiregate.js's.
     * Not thread-safe; each {@code connect()} uses the options as they are at that moment.
     */
    public static final class Builder {
        private final URI uri;
        private Supplier<?> auth;
        private boolean encryption;
        private Duration heartbeat = Duration.ofSeconds(25);
        private boolean reconnect = true;
        private Duration reconnectMin = Duration.ofMillis(500);
        private Duration reconnectMax = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int bufferSize = 100;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Jsonb jsonb;
        private HttpClient http;

        private Builder(URI uri) {
            Objects.requireNonNull(uri, "uri");
            if (!"ws".equalsIgnoreCase(uri.getScheme()) && !"wss".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("Not a ws:// or wss:// URI: " + uri);
            }
            this.uri = uri;
        }

        /**
         * Credentials sent as {@code authenticate} on every (re)connect, serialized with JSON-B; for gateways with
         * in-band authentication. Leave out for gateways without it.
         *
         * @param credentials the credentials object, for example {@code Map.of("token", token)}
         * @return this builder
         * @throws NullPointerException if {@code credentials} is null
         */
        public Builder auth(Object credentials) {
            Objects.requireNonNull(credentials, "credentials");
            if (credentials instanceof Supplier<?> supplier) { // a supplier typed as Object: still called every time
                return auth(supplier);
            }
            this.auth = () -> credentials;
            return this;
        }

        /**
         * Credentials obtained anew on every (re)connect, for tokens that expire. The supplier runs on the client's
         * serial executor; it may return a {@link CompletionStage}, whose value is then sent. When it throws (or its
         * stage fails), that connection is given up and the client tries again after the backoff delay.
         *
         * @param credentials returns the credentials object (or a stage of it)
         * @return this builder
         * @throws NullPointerException if {@code credentials} is null
         */
        public Builder auth(Supplier<?> credentials) {
            this.auth = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * Seals every frame after {@code connected}, for gateways with encryption (docs/protocol.md section 12): each
         * connection makes a fresh P-256 key pair, sends its public key in {@code authenticate} beside the credentials
         * (which must then be a JSON object), and derives its keys from the server's in {@code connected}. A server
         * that does not take encryption up, or a frame that does not open, closes the connection with 4004.
         * Requires {@link #auth}.
         *
         * @return this builder
         */
        public Builder encryption() {
            this.encryption = true;
            return this;
        }

        /**
         * While connected, the client sends something at least this often, a {@code heartbeat} when nothing else.
         * Default 25 s; keep it below the gateway's heartbeat timeout (60 s unless configured).
         *
         * @param every the interval; {@link Duration#ZERO} sends no heartbeats
         * @return this builder
         * @throws IllegalArgumentException if {@code every} is negative
         */
        public Builder heartbeat(Duration every) {
            if (every.isNegative()) {
                throw new IllegalArgumentException("Negative heartbeat interval: " + every);
            }
            this.heartbeat = every;
            return this;
        }

        /**
         * Backoff bounds of reconnecting: each delay is between half and all of {@code min(max, min * 2^attempt)}.
         * Default 500 ms and 10 s.
         *
         * @param min the first ceiling, positive
         * @param max the largest ceiling, at least {@code min}
         * @return this builder
         * @throws IllegalArgumentException if {@code min} is not positive or {@code max} is below it
         */
        public Builder reconnect(Duration min, Duration max) {
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("Reconnect bounds must be 0 < min <= max: " + min + ", " + max);
            }
            this.reconnect = true;
            this.reconnectMin = min;
            this.reconnectMax = max;
            return this;
        }

        /**
         * Never reconnect: when the connection ends (or the first attempt fails), the client is {@link State#CLOSED}.
         *
         * @return this builder
         */
        public Builder noReconnect() {
            this.reconnect = false;
            return this;
        }

        /**
         * Default timeout of {@link WiregateClient#request(String, Object, Class)}, {@code join} and {@code leave}.
         * Default 10 s.
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is not positive
         */
        public Builder requestTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("The request timeout must be positive: " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * Timeout of each WebSocket handshake. Default 10 s.
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is not positive
         */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("The connect timeout must be positive: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Frames kept while not connected; beyond that emits and requests fail with
         * {@link WiregateException#BUFFER_FULL}. Default 100.
         *
         * @param frames zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code frames} is negative
         */
        public Builder bufferSize(int frames) {
            if (frames < 0) {
                throw new IllegalArgumentException("Negative buffer size: " + frames);
            }
            this.bufferSize = frames;
            return this;
        }

        /**
         * A handshake header sent on every (re)connect, for gateways that authenticate the handshake.
         *
         * @param name  the header name
         * @param value the header value
         * @return this builder
         * @throws NullPointerException if either is null
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Handshake headers sent on every (re)connect.
         *
         * @param headers names and values
         * @return this builder
         * @throws NullPointerException if {@code headers} or one of its names or values is null
         */
        public Builder headers(Map<String, String> headers) {
            headers.forEach(this::header);
            return this;
        }

        /**
         * The JSON-B instance that serializes payloads and binds replies and events (for adapters or a naming
         * strategy). By default a shared {@code JsonbBuilder.create()}.
         *
         * @param jsonb the instance; the client does not close it
         * @return this builder
         * @throws NullPointerException if {@code jsonb} is null
         */
        public Builder jsonb(Jsonb jsonb) {
            this.jsonb = Objects.requireNonNull(jsonb, "jsonb");
            return this;
        }

        /**
         * The HTTP client whose WebSockets the client opens (for TLS settings, a proxy, an executor). By default
         * a shared {@code HttpClient.newHttpClient()}.
         *
         * @param client the HTTP client
         * @return this builder
         * @throws NullPointerException if {@code client} is null
         */
        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Creates the client and starts connecting in the background; returns at once.
         *
         * @return the client, in state {@link State#CONNECTING}
         * @throws IllegalStateException if {@link #encryption()} was asked without {@link #auth}
         */
        public WiregateClient connect() {
            if (encryption && auth == null) {
                throw new IllegalStateException("encryption() needs auth(...): the key exchange rides on authenticate");
            }
            WiregateClient client = new WiregateClient(this);
            SerialExecutor.POOL.execute(client::open);
            return client;
        }
    }
}
