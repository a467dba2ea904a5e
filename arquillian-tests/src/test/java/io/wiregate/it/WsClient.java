package io.wiregate.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * A protocol client for the tests, on {@code java.net.http.WebSocket}: every text frame is queued as a JSON
 * object; {@link #next(String)} waits (bounded) for the next frame of an event; {@link #closeCode()} waits for
 * the server's close.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private WsClient() {
    }

    /** Opens a connection; {@code headers} are extra request headers (for example {@code Origin}). */
    static WsClient connect(URI uri, Map<String, String> headers) throws Exception {
        WsClient client = new WsClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        client.socket = builder.buildAsync(uri, client).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return client;
    }

    static WsClient connect(URI uri) throws Exception {
        return connect(uri, Map.of());
    }

    /** Connects and waits for {@code connected}, which must be the first frame. */
    static WsClient connected(URI uri) throws Exception {
        WsClient client = connect(uri);
        JsonObject first = client.next();
        if (!"connected".equals(first.getString("event"))) {
            throw new AssertionError("first frame is not connected: " + first);
        }
        return client;
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    /** The next frame, whatever it is. */
    JsonObject next() throws InterruptedException {
        JsonObject frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + WAIT + (closed.isDone() ? "; closed with " + closed.join() : ""));
        }
        return frame;
    }

    /** The next frame of {@code event}, skipping others. */
    JsonObject next(String event) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame != null && event.equals(frame.getString("event", null))) {
                return frame;
            }
        }
        throw new AssertionError("no '" + event + "' within " + WAIT);
    }

    /** A frame arriving within {@code wait}, or null. */
    JsonObject poll(Duration wait) throws InterruptedException {
        return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The close code the server sent, waiting for it. */
    int closeCode() throws InterruptedException, ExecutionException, TimeoutException {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Frames received and not taken yet. */
    int pending() {
        return frames.size();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try (JsonReader reader = Json.createReader(new StringReader(partial.toString()))) {
                frames.add(reader.readObject());
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        socket.abort();
    }

    /**
     * Sends a WebSocket upgrade request over a plain socket and returns the HTTP status of the answer (101 when
     * upgraded), to see statuses that WebSocket clients hide.
     */
    static int handshakeStatus(URI uri, String origin) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String request = "GET " + target + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n")
                    + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.append((char) b);
            }
            String[] parts = line.toString().trim().split(" ");
            if (parts.length < 2) {
                throw new IOException("no HTTP status line: '" + line + "'");
            }
            return Integer.parseInt(parts[1]);
        }
    }
}
