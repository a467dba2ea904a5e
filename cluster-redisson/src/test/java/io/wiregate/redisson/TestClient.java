package io.wiregate.redisson;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.awaitility.Awaitility;

/** A WebSocket client of the protocol for tests: records every frame, waits for frames with a bound. */
final class TestClient implements WebSocket.Listener, AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger IDS = new AtomicInteger();

    final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final String name;
    private WebSocket socket;
    String id;

    private TestClient(String name) {
        this.name = name;
    }

    /** Connects, authenticates as {@code user} when not null, and waits for {@code connected}. */
    static TestClient connect(String uri, String user) throws Exception {
        TestClient c = new TestClient(uri + (user == null ? "" : " as " + user));
        c.socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(uri), c).get(10, TimeUnit.SECONDS);
        if (user != null) {
            c.send("{\"event\":\"authenticate\",\"data\":{\"user\":\"" + user + "\"}}");
        }
        JsonObject connected = c.await(f -> "connected".equals(f.getString("event", null)), "connected");
        c.id = connected.getJsonObject("data").getString("id");
        return c;
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    /** Sends an event with an id and waits for its answer. */
    JsonObject request(String event, String dataJson) {
        String id = "r" + IDS.incrementAndGet();
        send("{\"event\":\"" + event + "\",\"data\":" + dataJson + ",\"id\":\"" + id + "\"}");
        return await(f -> id.equals(f.getString("id", null)), "answer to " + event);
    }

    JsonObject await(Predicate<JsonObject> match, String what) {
        return Awaitility.await(name + ": " + what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> frames.stream().filter(match).findFirst().orElse(null), f -> f != null);
    }

    /** Frames carrying {@code data.m == marker}. */
    long count(String marker) {
        return frames.stream().filter(f -> f.get("data") instanceof JsonObject d && marker.equals(d.getString("m", null))).count();
    }

    /** Waits until a frame with {@code data.m == marker} arrived. */
    void awaitMarker(String marker) {
        await(f -> f.get("data") instanceof JsonObject d && marker.equals(d.getString("m", null)), "marker " + marker);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            JsonValue v = Json.createReader(new StringReader(partial.toString())).readValue();
            partial.setLength(0);
            if (v instanceof JsonObject o) {
                frames.add(o);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
