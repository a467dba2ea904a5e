package io.wiregate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.jboss.shrinkwrap.api.spec.WebArchive;

import io.wiregate.it.cluster.ClusterGateway;
import io.wiregate.it.cluster.ClusterStatusServlet;
import io.wiregate.testing.RedisServer;

/** What the cluster tests share: the WAR, docs/protocol.md section 8 messages, clients of {@link ClusterGateway}, the status. */
final class Cluster {

    static final String NAMESPACE = "/cluster";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WsClient.WAIT).build();

    private Cluster() {
    }

    /** A connected, authenticated client and its client id. */
    record Member(WsClient client, String id) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    /** A WAR with {@link ClusterGateway} and {@link ClusterStatusServlet} on the test's Redis, channels under {@code prefix}. */
    static WebArchive war(String name, String prefix) {
        return Deployments.clusterWar(name, redis().address(), prefix, ClusterGateway.class, ClusterStatusServlet.class);
    }

    static RedisServer redis() {
        return ClusterRedis.server();
    }

    /** A section 8 message; {@code namespace} and {@code target} are left out when null. */
    static String envelope(String serverId, String type, String namespace, String target, String event, String dataJson,
                           String... exclude) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("serverId", serverId).add("type", type);
        if (namespace != null) {
            b.add("namespace", namespace);
        }
        if (target != null) {
            b.add("target", target);
        }
        b.add("event", event).add("data", parse(dataJson));
        if (exclude.length > 0) {
            b.add("exclude", Json.createArrayBuilder(List.of(exclude)));
        }
        return b.build().toString();
    }

    /** Connects {@code user} to {@link ClusterGateway} in the application {@code context}, in {@code rooms}. */
    static Member member(String context, String user, String... rooms) throws Exception {
        WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + System.getProperty("it.http.port") + "/" + context
                + NAMESPACE + "?user=" + user));
        try {
            JsonObject connected = client.next();
            assertThat(connected.getString("event")).isEqualTo("connected");
            assertThat(connected.getJsonObject("data").getString("userId")).isEqualTo(user);
            if (rooms.length > 0) {
                client.send(Json.createObjectBuilder().add("event", "join").add("id", "join")
                        .add("data", Json.createObjectBuilder().add("rooms", Json.createArrayBuilder(List.of(rooms)))).build().toString());
                JsonObject joined = client.next();
                assertThat(joined.getString("event")).as("%s", joined).isEqualTo("joined");
                assertThat(joined.getJsonObject("data").getJsonArray("rooms").getValuesAs(JsonString::getString)).containsExactly(rooms);
            }
            return new Member(client, connected.getJsonObject("data").getString("id"));
        } catch (Exception | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /** The frames a client receives up to and including the first {@code fence} event, in order. */
    static List<JsonObject> framesUntilFence(Member member) throws InterruptedException {
        List<JsonObject> frames = new ArrayList<>();
        JsonObject frame;
        do {
            frame = member.client().next();
            frames.add(frame);
        } while (!"fence".equals(frame.getString("event", null)));
        return frames;
    }

    static List<String> events(List<JsonObject> frames) {
        return frames.stream().map(f -> f.getString("event", "?")).toList();
    }

    /** The names of the Redis connections of Wiregate nodes ({@code wiregate-SERVERID}). */
    static Set<String> wiregateClientNames() throws Exception {
        return redis().clientNames().stream().filter(n -> n.startsWith("wiregate-")).collect(Collectors.toSet());
    }

    /** {@link ClusterStatusServlet}'s answer in the application {@code context}. */
    static JsonObject status(String context) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty("it.http.port") + "/" + context + "/status")).timeout(WsClient.WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET /%s/status: %s", context, response.body()).isEqualTo(200);
        return parse(response.body()).asJsonObject();
    }

    static long count(JsonObject status, String counter) {
        return status.getJsonNumber(counter).longValue();
    }

    static JsonValue parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }
}
