package io.wiregate.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A WebSocket client written by hand on a plain socket to 127.0.0.1 (RFC 6455): the tests' only WebSocket code
 * besides wiregate-client. It behaves as a browser or the JDK's client does (masked frames, a pong for every ping, a
 * close frame echoing the server's), and it also does what a client library must never do or will not show: send
 * bytes that are not a valid frame or a text that is not JSON, stop reading its socket, keep sending after the
 * server's close, see the exact text of every frame or the HTTP status of a refused upgrade.
 *
 * <p>A reader thread per connection takes every frame the server sends: texts are kept (in {@link #received()}, in
 * arrival order) and queued for {@link #next}; the close code and reason are recorded. Every wait is bounded.
 *
 * <pre>{@code
 * try (RawWebSocket ws = RawWebSocket.connect(URI.create("ws://127.0.0.1:8080/echo"))) {
 *     ws.next(Wire.isEvent("connected"));
 *     ws.send("{'event':'echo','data':1,'id':'e'}");
 *     assertThat(ws.next(Wire.hasId("e"))).isEqualTo(Wire.obj("{'event':'echo','data':1,'id':'e'}"));
 * }
 * }</pre>
 */
public final class RawWebSocket implements AutoCloseable {

    /** Default bound of every wait. */
    public static final Duration WAIT = Duration.ofSeconds(5);
    /** The close code recorded when the connection ends without a close frame. */
    public static final int ABNORMAL = 1006;

    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final AtomicInteger SYNC_IDS = new AtomicInteger();

    private final Socket socket;
    private final OutputStream out;
    private final URI uri;
    private final boolean answerPings;
    private final boolean answerClose;
    private final long openedNanos;
    private final Thread reader;
    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    private final List<String> texts = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger binaryFrames = new AtomicInteger();
    private final AtomicInteger pings = new AtomicInteger();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile String closeReason;
    private volatile long closedNanos;
    private boolean closeSent; // guarded by out

    private RawWebSocket(Socket socket, Builder options) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.uri = options.uri;
        this.answerPings = options.answerPings;
        this.answerClose = options.answerClose;
        this.openedNanos = System.nanoTime();
        this.reader = new Thread(this::read, "raw-websocket " + uri.getRawPath());
        reader.setDaemon(true);
        if (!options.paused) {
            reader.start();
        }
    }

    // ------------------------------------------------------------------ opening

    /** Opens a connection to {@code uri} ({@code ws://127.0.0.1:PORT/path?query}); see {@link Builder#connect()}. */
    public static RawWebSocket connect(URI uri) {
        return to(uri).connect();
    }

    /** Opens a connection with extra handshake headers (for example {@code Origin}); see {@link Builder#connect()}. */
    public static RawWebSocket connect(URI uri, Map<String, String> headers) {
        return to(uri).headers(headers).connect();
    }

    /** A connection to {@code uri} to set up before it opens: headers, a paused reader, pings left unanswered. */
    public static Builder to(URI uri) {
        return new Builder(uri);
    }

    /** How a connection opens and behaves; {@link #connect()} opens it. */
    public static final class Builder {
        private final URI uri;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private int receiveBuffer;
        private boolean paused;
        private boolean answerPings = true;
        private boolean answerClose = true;

        private Builder(URI uri) {
            this.uri = uri;
        }

        /** Adds handshake headers; one named as a default one ({@code Host}, {@code Origin}...) replaces it. */
        public Builder headers(Map<String, String> headers) {
            this.headers.putAll(headers);
            return this;
        }

        /** Sets the socket's receive buffer, in bytes, before it connects: a small one fills up soon. */
        public Builder receiveBuffer(int bytes) {
            this.receiveBuffer = bytes;
            return this;
        }

        /** Reads nothing after the handshake until {@link RawWebSocket#resume()}: the server's frames pile up. */
        public Builder paused() {
            this.paused = true;
            return this;
        }

        /** Never answers the server's pings (they are still counted). */
        public Builder ignoringPings() {
            this.answerPings = false;
            return this;
        }

        /** Leaves the answer to the server's close frame to {@link RawWebSocket#sendClose}: the client may go on sending. */
        public Builder notAnsweringClose() {
            this.answerClose = false;
            return this;
        }

        /**
         * Connects to 127.0.0.1 at the address's port and completes the upgrade.
         *
         * @throws UncheckedIOException if the connection or the handshake fails
         * @throws AssertionError if the server does not answer 101
         */
        public RawWebSocket connect() {
            Socket socket = new Socket();
            try {
                if (receiveBuffer > 0) {
                    socket.setReceiveBufferSize(receiveBuffer);
                }
                String status = upgrade(socket, uri, headers);
                if (!status.startsWith("HTTP/1.1 101")) {
                    throw new AssertionError("the upgrade to " + uri + " was refused: " + status);
                }
                socket.setSoTimeout(0);
                return new RawWebSocket(socket, this);
            } catch (IOException e) {
                closeQuietly(socket);
                throw new UncheckedIOException("could not connect to " + uri + ": " + e, e);
            } catch (RuntimeException | Error e) {
                closeQuietly(socket);
                throw e;
            }
        }

        /** {@link #connect()} on a thread of its own, so that many handshakes can be under way at once. */
        public CompletableFuture<RawWebSocket> connectAsync() {
            return CompletableFuture.supplyAsync(this::connect, task -> {
                Thread t = new Thread(task, "raw-websocket-connect");
                t.setDaemon(true);
                t.start();
            });
        }
    }

    /**
     * Sends an upgrade request to {@code uri} with extra headers and returns the first line of the answer, for
     * example {@code HTTP/1.1 404 Not Found}: the statuses that WebSocket clients hide.
     */
    public static String handshakeStatusLine(URI uri, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket()) {
            return upgrade(socket, uri, headers);
        }
    }

    /** The HTTP status of the answer to an upgrade request to {@code uri} with extra headers (101 when upgraded). */
    public static int handshakeStatus(URI uri, Map<String, String> headers) throws IOException {
        return Integer.parseInt(handshakeStatusLine(uri, headers).split(" ")[1]);
    }

    /** The HTTP status of the answer to an upgrade request to {@code uri} (101 when upgraded). */
    public static int handshakeStatus(URI uri) throws IOException {
        return handshakeStatus(uri, Map.of());
    }

    /** Connects {@code socket} to 127.0.0.1, sends the upgrade request, reads the answer's head; its status line. */
    private static String upgrade(Socket socket, URI uri, Map<String, String> extraHeaders) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", uri.getPort()), (int) WAIT.toMillis());
        socket.setSoTimeout((int) WAIT.toMillis());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", uri.getHost() + ":" + uri.getPort());
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        headers.put("Sec-WebSocket-Version", "13");
        headers.putAll(extraHeaders);
        StringBuilder request = new StringBuilder("GET ").append(uri.getRawPath())
                .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        OutputStream out = socket.getOutputStream();
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        // byte by byte: what follows the head is the first frame, for the reader
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended in the handshake response: '" + head + "'");
            }
            head.append((char) b);
        }
        String status = head.substring(0, head.indexOf("\r\n"));
        if (!status.startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: '" + status + "'");
        }
        return status;
    }

    /** Starts reading a connection opened {@link Builder#paused()}. */
    public void resume() {
        if (reader.getState() == Thread.State.NEW) {
            reader.start();
        }
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends a text frame exactly as given, JSON or not.
     *
     * @throws IllegalStateException once this client sent its close frame, as the JDK's client refuses to
     * @throws UncheckedIOException if the socket refuses the bytes
     */
    public RawWebSocket sendRaw(String text) {
        return sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a text frame written with single quotes ({@code {'event':'echo','id':'e1'}}); see {@link #sendRaw}. */
    public RawWebSocket send(String singleQuotedJson) {
        return sendRaw(Wire.json(singleQuotedJson));
    }

    /** Sends an envelope; {@code data} and {@code id} (a string or a number) may be null, then absent. */
    public RawWebSocket send(String event, JsonValue data, Object id) {
        var envelope = Json.createObjectBuilder().add("event", event);
        if (data != null) {
            envelope.add("data", data);
        }
        if (id instanceof String s) {
            envelope.add("id", s);
        } else if (id instanceof Number n) {
            envelope.add("id", n.longValue());
        }
        return sendRaw(envelope.build().toString());
    }

    /**
     * Sends {@code authenticate} with the credentials (written with single quotes, {@code {'token':'t'}}) and the id
     * {@code auth}, and waits for {@code connected}.
     *
     * @return the {@code connected} frame
     */
    public JsonObject authenticate(String singleQuotedCredentials) {
        send("authenticate", Wire.parse(Wire.json(singleQuotedCredentials)), "auth");
        return next(Wire.isEvent("connected"));
    }

    /** Sends a binary frame; see {@link #sendRaw}. */
    public RawWebSocket sendBinary(byte[] bytes) {
        return sendFrame(BINARY, bytes);
    }

    /** Sends a ping; see {@link #sendRaw}. */
    public RawWebSocket ping() {
        return sendFrame(PING, new byte[] {1});
    }

    /** Sends an unsolicited pong; see {@link #sendRaw}. */
    public RawWebSocket pong() {
        return sendFrame(PONG, new byte[] {2});
    }

    /**
     * Sends a close frame with {@code code} (and no reason); after it, nothing but {@link #sendBytes}.
     *
     * @throws UncheckedIOException if the socket refuses the bytes
     */
    public RawWebSocket sendClose(int code) {
        synchronized (out) {
            closeSent = true;
            write(frame(CLOSE, new byte[] {(byte) (code >> 8), (byte) code}));
        }
        return this;
    }

    /**
     * Writes {@code bytes} as they are, whatever they are (a frame header without its payload, a frame of an unknown
     * opcode), even after a close; never in the middle of another frame.
     *
     * @throws UncheckedIOException if the socket refuses them
     */
    public RawWebSocket sendBytes(byte[] bytes) {
        synchronized (out) {
            write(bytes);
        }
        return this;
    }

    private RawWebSocket sendFrame(int opcode, byte[] payload) {
        synchronized (out) {
            if (closeSent) {
                throw new IllegalStateException("this client sent its close frame already");
            }
            write(frame(opcode, payload));
        }
        return this;
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not send: " + e, e);
        }
    }

    /** A final text frame as a client sends it (masked). */
    public static byte[] maskedText(String text) {
        return frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A final frame of {@code opcode} as a client sends it: masked with a random key. */
    private static byte[] frame(int opcode, byte[] payload) {
        int lengthBytes = payload.length < 126 ? 0 : payload.length <= 0xFFFF ? 2 : 8;
        byte[] frame = new byte[2 + lengthBytes + 4 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | (lengthBytes == 0 ? payload.length : lengthBytes == 2 ? 126 : 127));
        for (int i = 0; i < lengthBytes; i++) {
            frame[2 + i] = (byte) ((long) payload.length >>> (8 * (lengthBytes - 1 - i)));
        }
        int maskAt = 2 + lengthBytes;
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        System.arraycopy(mask, 0, frame, maskAt, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[maskAt + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    /**
     * The header of a final, masked text frame of {@code length} payload bytes, in the 64-bit length form, with the
     * mask key 0: the payload goes after it as it is.
     */
    public static byte[] textFrameHeader(long length) {
        byte[] header = new byte[14];
        header[0] = (byte) (0x80 | TEXT);
        header[1] = (byte) (0x80 | 127);
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (length >>> (56 - 8 * i));
        }
        return header;
    }

    // ------------------------------------------------------------------ receiving

    /** The next text frame, whatever it is, within {@link #WAIT}; see {@link #next(Predicate, Duration)}. */
    public JsonObject next() {
        return next(WAIT);
    }

    /** The next text frame, whatever it is, within {@code timeout}; see {@link #next(Predicate, Duration)}. */
    public JsonObject next(Duration timeout) {
        return next(f -> true, timeout);
    }

    /** The next text frame matching {@code predicate} within {@link #WAIT}; see {@link #next(Predicate, Duration)}. */
    public JsonObject next(Predicate<JsonObject> predicate) {
        return next(predicate, WAIT);
    }

    /**
     * The next text frame matching {@code predicate}, as JSON (a text that is not a JSON object comes as
     * {@code {"event":"<not a JSON object>","text":...}}); frames before it are taken off the queue (they stay in
     * {@link #received()}).
     *
     * @throws AssertionError if none arrives within {@code timeout}
     */
    public JsonObject next(Predicate<JsonObject> predicate, Duration timeout) {
        return take(predicate, timeout, new ArrayList<>(), "no matching frame");
    }

    /**
     * The exact text of the next text frame, within {@link #WAIT}.
     *
     * @throws AssertionError if none arrives in time
     */
    public String nextText() {
        String text = poll(System.nanoTime() + WAIT.toNanos());
        if (text == null) {
            throw new AssertionError("no text frame within " + WAIT + ending());
        }
        return text;
    }

    /**
     * Sends a probe frame with a fresh id and waits for its answer (an {@code error} carrying that id: the probe's
     * event has no handler, and before authentication it is refused as {@code unauthorized}). Since a connection's
     * frames are handled and answered in order, every frame the server queued for this client before it handled the
     * probe has arrived by then.
     *
     * @return the frames that arrived before the probe's answer and were not yet taken by {@link #next}
     */
    public List<JsonObject> sync() {
        String id = "sync-" + SYNC_IDS.incrementAndGet();
        send("wg-test-sync-probe", null, id);
        List<JsonObject> before = new ArrayList<>();
        take(Wire.hasId(id), WAIT, before, "no answer to the sync probe");
        return before;
    }

    /** Takes frames off the queue until one matches, adding the others to {@code skipped}; fails with {@code none}. */
    private JsonObject take(Predicate<JsonObject> predicate, Duration timeout, List<JsonObject> skipped, String none) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = poll(deadline);
            if (text == null) {
                throw new AssertionError(none + " within " + timeout + "; skipped " + skipped + ending());
            }
            JsonObject frame = json(text);
            if (predicate.test(frame)) {
                return frame;
            }
            skipped.add(frame);
        }
    }

    /** Every text frame received so far, in arrival order, as JSON (see {@link #next(Predicate, Duration)}). */
    public List<JsonObject> received() {
        return receivedText().stream().map(RawWebSocket::json).toList();
    }

    /** Every text frame received so far, as the exact text the server sent. */
    public List<String> receivedText() {
        synchronized (texts) {
            return List.copyOf(texts);
        }
    }

    /** How many binary messages arrived. */
    public int binaryFramesReceived() {
        return binaryFrames.get();
    }

    /** How many pings arrived. */
    public int pingsReceived() {
        return pings.get();
    }

    private String poll(long deadline) {
        try {
            long left = deadline - System.nanoTime();
            return left <= 0 ? inbox.poll() : inbox.poll(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static JsonObject json(String text) {
        try {
            return Wire.parse(text).asJsonObject();
        } catch (RuntimeException e) { // not a JSON object: a protocol violation the tests will see
            return Json.createObjectBuilder().add("event", "<not a JSON object>").add("text", text).build();
        }
    }

    private String ending() {
        return isClosed() ? "; the connection closed with " + closeCode() : "";
    }

    // ------------------------------------------------------------------ closing

    /**
     * Waits for the server's close frame, or the end of the connection without one.
     *
     * @return the close code the server sent (1005 when its close frame had none), or {@link #ABNORMAL}
     * @throws AssertionError if neither comes within {@code timeout}
     */
    public int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("connection still open after " + timeout + "; received " + receivedText());
        }
    }

    /** Waits for the server's close, at most {@link #WAIT}; see {@link #awaitClose(Duration)}. */
    public int awaitClose() {
        return awaitClose(WAIT);
    }

    /** Whether the server's close frame arrived, or the connection ended without one. */
    public boolean isClosed() {
        return closed.isDone();
    }

    /** The close code, or null while open; see {@link #awaitClose(Duration)}. */
    public Integer closeCode() {
        return closed.getNow(null);
    }

    /** The reason phrase of the server's close frame, or null. */
    public String closeReason() {
        return closeReason;
    }

    /**
     * Whether the server ended its side of the TCP connection (end of stream, or a reset) within {@code timeout}. This
     * side then ends too, unless it was opened {@link Builder#notAnsweringClose()} and has not sent its close frame.
     */
    public boolean awaitEnd(Duration timeout) {
        try {
            ended.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Milliseconds since the handshake completed. */
    public long millisSinceOpen() {
        return (System.nanoTime() - openedNanos) / 1_000_000;
    }

    /** Milliseconds between the handshake and the close, or -1 while open. */
    public long closedMillisAfterOpen() {
        return closedNanos == 0 ? -1 : (closedNanos - openedNanos) / 1_000_000;
    }

    /** Closes with 1000 unless a close was exchanged, waits (at most 1 s) for the server's close, and drops the connection. */
    @Override
    public void close() {
        boolean sent = false;
        synchronized (out) {
            if (!closeSent && !isClosed()) {
                try {
                    sendClose(1000);
                    sent = true;
                } catch (UncheckedIOException gone) {
                    // dropped below
                }
            }
        }
        if (sent && reader.isAlive()) {
            try {
                closed.get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // dropped below
            }
        }
        abort();
    }

    /**
     * Ends this side's stream (a TCP half-close, FIN) without a close frame, as a client whose process ends may; it
     * keeps reading.
     */
    public RawWebSocket endStream() {
        synchronized (out) {
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return this;
    }

    /** Drops the TCP connection without a close frame. */
    public void abort() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed either way
        }
    }

    @Override
    public String toString() {
        return "RawWebSocket[" + uri + ",, received=" + receivedText() + ", close=" + closeCode() + "]";
    }

    // ------------------------------------------------------------------ the reader

    /** Reads frames until the connection ends; a message's fragments are joined, control frames answered. */
    private void read() {
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            int messageOpcode = 0;
            for (int first; (first = in.read()) >= 0; ) {
                int opcode = first & 0x0F;
                boolean fin = (first & 0x80) != 0;
                byte[] payload = readPayload(in);
                if (opcode >= CLOSE) {
                    control(opcode, payload);
                    continue;
                }
                if (opcode != 0) {
                    messageOpcode = opcode;
                }
                message.writeBytes(payload);
                if (fin) {
                    deliver(messageOpcode, message.toByteArray());
                    message.reset();
                }
            }
        } catch (IOException e) {
            // reset, or dropped by this side
        } finally {
            if (closedNanos == 0) {
                closedNanos = System.nanoTime();
            }
            closed.complete(ABNORMAL);
            ended.complete(null);
            synchronized (out) {
                if (answerClose || closeSent) { // as browsers do; else the server may still be reading
                    closeQuietly(socket);
                }
            }
        }
    }

    private static byte[] readPayload(DataInputStream in) throws IOException {
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : null; // servers do not mask; tolerated
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
        }
        return payload;
    }

    private void deliver(int opcode, byte[] payload) {
        if (opcode == TEXT) {
            String text = new String(payload, StandardCharsets.UTF_8);
            texts.add(text);
            inbox.add(text);
        } else if (opcode == BINARY) {
            binaryFrames.incrementAndGet();
        }
    }

    private void control(int opcode, byte[] payload) {
        if (opcode == PING) {
            pings.incrementAndGet();
            if (answerPings) {
                reply(PONG, payload);
            }
        } else if (opcode == CLOSE && !closed.isDone()) {
            int code = payload.length < 2 ? 1005 : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
            closeReason = payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
            closedNanos = System.nanoTime();
            closed.complete(code);
            if (answerClose) {
                reply(CLOSE, payload.length < 2 ? payload : new byte[] {payload[0], payload[1]}); // the code, echoed
            }
        }
    }

    /** A pong or the close frame answering the server's, unless this client sent its close frame already. */
    private void reply(int opcode, byte[] payload) {
        synchronized (out) {
            if (closeSent) {
                return;
            }
            closeSent = opcode == CLOSE;
            try {
                write(frame(opcode, payload));
            } catch (UncheckedIOException e) {
                // the reader sees the end
            }
        }
    }
}
