package io.wiregate.tyrus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A WebSocket client for protocol tests, on {@code java.net.http}: every text frame the server sends is parsed
 * into a {@link JsonObject} and kept (in {@link #received()}, in arrival order) and queued for {@link #next}; the
 * close code is recorded. Every wait is bounded.
 */
final class TestClient implements AutoCloseable {

    /** Default bound of every wait. */
    static final Duration WAIT = Duration.ofSeconds(5);
    /** Close "code" recorded when the connection ends without a close frame. */
    static final int ABNORMAL = 1006;

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger SYNC_IDS = new AtomicInteger();

    private final WebSocket ws;
    private final Listener listener;
    private final long openedNanos;

    private TestClient(WebSocket ws, Listener listener) {
        this.ws = ws;
        this.listener = listener;
        this.openedNanos = listener.openedNanos;
    }

    /** Milliseconds since the handshake completed. */
    long millisSinceOpen() {
        return (System.nanoTime() - openedNanos) / 1_000_000;
    }

    /** Milliseconds between the handshake and the end of the connection, or -1 while open. */
    long closedMillisAfterOpen() {
        return listener.closedNanos == 0 ? -1 : (listener.closedNanos - openedNanos) / 1_000_000;
    }

    /** Opens a connection to {@code uri}; fails the test if the handshake fails. */
    static TestClient connect(String uri) {
        return connect(uri, Map.of());
    }

    /** Opens a connection with extra handshake headers (for example {@code Origin}). */
    static TestClient connect(String uri, Map<String, String> headers) {
        try {
            return connectAsync(uri, headers).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while connecting to " + uri, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("could not connect to " + uri + ": " + e, e);
        }
    }

    /** Starts opening a connection. */
    static CompletableFuture<TestClient> connectAsync(String uri, Map<String, String> headers) {
        Listener listener = new Listener();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        return builder.buildAsync(URI.create(uri), listener).thenApply(ws -> new TestClient(ws, listener));
    }

    // ------------------------------------------------------------------ sending

    /** Sends a text frame exactly as given. */
    TestClient sendRaw(String text) {
        join(ws.sendText(text, true), "send text");
        return this;
    }

    /** Sends a text frame exactly as given; false if the connection closed before it was all sent. */
    boolean trySendRaw(String text) {
        try {
            ws.sendText(text, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Sends a text frame written with single quotes ({@code {'event':'echo','id':'e1'}}). */
    TestClient send(String singleQuotedJson) {
        return sendRaw(Wire.json(singleQuotedJson));
    }

    /** Sends an envelope; {@code data} and {@code id} may be null (then absent). */
    TestClient send(String event, JsonValue data, Object id) {
        var b = Json.createObjectBuilder().add("event", event);
        if (data != null) {
            b.add("data", data);
        }
        if (id instanceof String s) {
            b.add("id", s);
        } else if (id instanceof Number n) {
            b.add("id", n.longValue());
        }
        return sendRaw(b.build().toString());
    }

    /** Sends {@code authenticate} with {@code {"token": token}} and an id, and waits for {@code connected}. */
    JsonObject authenticate(String token) {
        send("authenticate", Json.createObjectBuilder().add("token", token).build(), "auth");
        return next(Wire.isEvent("connected"), WAIT);
    }

    /** Sends a binary frame. */
    TestClient sendBinary(byte[] bytes) {
        join(ws.sendBinary(ByteBuffer.wrap(bytes), true), "send binary");
        return this;
    }

    /** Sends a WebSocket ping. */
    TestClient ping() {
        join(ws.sendPing(ByteBuffer.wrap(new byte[] {1})), "send ping");
        return this;
    }

    /** Sends an unsolicited WebSocket pong. */
    TestClient pong() {
        join(ws.sendPong(ByteBuffer.wrap(new byte[] {2})), "send pong");
        return this;
    }

    // ------------------------------------------------------------------ receiving

    /** The next frame, whatever it is. */
    JsonObject next() {
        return next(f -> true, WAIT);
    }

    /** The next frame matching {@code predicate} within {@link #WAIT}; frames before it are skipped. */
    JsonObject next(Predicate<JsonObject> predicate) {
        return next(predicate, WAIT);
    }

    /**
     * The next frame matching {@code predicate}; frames before it are taken off the queue (they stay in
     * {@link #received()}).
     *
     * @throws AssertionError if none arrives within {@code timeout}
     */
    JsonObject next(Predicate<JsonObject> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonObject> skipped = new ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject frame = left <= 0 ? null : listener.inbox.poll(left, TimeUnit.NANOSECONDS);
                if (frame == null) {
                    throw new AssertionError("no matching frame within " + timeout + "; skipped " + skipped
                            + (isClosed() ? "; connection closed with " + closeCode() : ""));
                }
                if (predicate.test(frame)) {
                    return frame;
                }
                skipped.add(frame);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Sends a probe frame with a fresh id and waits for its answer (an {@code error} carrying that id: the probe's
     * event has no handler, and before authentication it is refused as {@code unauthorized}). Since a connection's
     * frames are handled and answered in order, every frame the server queued for this client before it handled
     * the probe has arrived by then.
     *
     * @return the frames that arrived before the probe's answer and were not yet taken by {@link #next}
     */
    List<JsonObject> sync() {
        String id = "sync-" + SYNC_IDS.incrementAndGet();
        send("wg-test-sync-probe", null, id);
        List<JsonObject> before = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject frame = left <= 0 ? null : listener.inbox.poll(left, TimeUnit.NANOSECONDS);
                if (frame == null) {
                    throw new AssertionError("no answer to the sync probe within " + WAIT + "; got " + before
                            + (isClosed() ? "; connection closed with " + closeCode() : ""));
                }
                if (Wire.hasId(id).test(frame)) {
                    return before;
                }
                before.add(frame);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Every frame received so far, in arrival order. */
    List<JsonObject> received() {
        return List.copyOf(listener.received);
    }

    /** Every frame received so far, as the exact text the server sent. */
    List<String> receivedText() {
        return List.copyOf(listener.texts);
    }

    /** How many binary frames arrived. */
    int binaryFramesReceived() {
        return listener.binaryFrames.get();
    }

    // ------------------------------------------------------------------ closing

    /**
     * Waits for the connection to end.
     *
     * @return the close code the server sent, or {@link #ABNORMAL} if the connection dropped without one
     * @throws AssertionError if it stays open longer than {@code timeout}
     */
    int awaitClose(Duration timeout) {
        try {
            return listener.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("connection still open after " + timeout + "; received " + received());
        }
    }

    /** Waits for the connection to end, at most {@link #WAIT}. */
    int awaitClose() {
        return awaitClose(WAIT);
    }

    /** Whether the connection ended. */
    boolean isClosed() {
        return listener.closed.isDone();
    }

    /** The close code, or null while open. */
    Integer closeCode() {
        return listener.closed.getNow(null);
    }

    /** The close reason phrase, or null while open. */
    String closeReason() {
        return listener.closeReason;
    }

    /** Closes with 1000 and waits (bounded) for the server's close; then drops the TCP connection. */
    @Override
    public void close() {
        if (!isClosed() && !ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(1, TimeUnit.SECONDS);
                listener.closed.get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // dropped below
            }
        }
        ws.abort();
    }

    /** Drops the TCP connection without a close frame. */
    void abort() {
        ws.abort();
    }

    private static <T> T join(CompletableFuture<T> f, String what) {
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("could not " + what + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "TestClient[received=" + received() + ", close=" + closeCode() + "]";
    }

    /** Collects frames; requests everything the server sends. */
    private static final class Listener implements WebSocket.Listener {
        final BlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
        final List<JsonObject> received = new CopyOnWriteArrayList<>();
        final List<String> texts = new CopyOnWriteArrayList<>();
        final AtomicInteger binaryFrames = new AtomicInteger();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile String closeReason;
        volatile long openedNanos;
        volatile long closedNanos;
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            openedNanos = System.nanoTime();
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                JsonObject frame;
                try {
                    frame = Wire.parse(text).asJsonObject();
                } catch (RuntimeException e) { // not a JSON object: a protocol violation the tests will see
                    frame = Json.createObjectBuilder().add("event", "<not a JSON object>").add("text", text).build();
                }
                texts.add(text);
                received.add(frame);
                inbox.add(frame);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (last) {
                binaryFrames.incrementAndGet();
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closedNanos = System.nanoTime();
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedNanos = System.nanoTime();
            closed.complete(ABNORMAL);
        }
    }
}
