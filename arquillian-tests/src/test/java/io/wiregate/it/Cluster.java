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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import org.jboss.shrinkwrap.api.spec.WebArchive;

import io.wiregate.client.Disconnected;
import io.wiregate.client.WiregateClient;
import io.wiregate.it.cluster.ClusterGateway;
import io.wiregate.test.Gateways;
import io.wiregate.it.cluster.ClusterStatusServlet;
import io.wiregate.testing.RedisServer;

/** What the cluster tests share: the WAR, docs/protocol.md section 8 messages, clients of {@link ClusterGateway}, the status. */
final class Cluster {

    static final String NAMESPACE = "/cluster";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Clients.WAIT).build();

    /**
     * Every event a {@link Member} records: what {@link ClusterGateway} delivers, and every event the tests publish into
     * Redis (those that must reach no one included), so that a stray delivery shows up in the order of arrival.
     */
    private static final List<String> EVENTS = List.of("toAll", "toBlue", "toBob", "toAliceHere", "toEveryGateway", "notBob",
            "elsewhere", "ownEcho", "fence", "ping", "hello", "shouted", "announced", "told");

    private Cluster() {
    }

    /** An event a member received: its name and its data. */
    record Received(String event, JsonValue data) {
    }

    /**
     * A connected, authenticated client, its client id, the events of {@link #EVENTS} it received in the order of
     * arrival, and the end of its connection.
     */
    record Member(WiregateClient client, String id, BlockingQueue<Received> received,
                  CompletableFuture<Disconnected> disconnected) implements AutoCloseable {

        /** The next event received, waiting at most {@link Clients#WAIT}. */
        Received next() throws InterruptedException {
            Received next = received.poll(Clients.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                throw new AssertionError("no event within " + Clients.WAIT + " for " + client);
            }
            return next;
        }

        /** The close code of the connection's end, waiting at most {@link Clients#WAIT}. */
        int closeCode() {
            return Gateways.await(disconnected).code();
        }

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
    static Member member(String context, String user, String... rooms) {
        WiregateClient client = Clients.connect(uri(context, user));
        try {
            assertThat(client.userId()).isEqualTo(user);
            BlockingQueue<Received> received = new LinkedBlockingQueue<>();
            for (String event : EVENTS) {
                client.on(event, JsonValue.class, data -> received.add(new Received(event, data)));
            }
            CompletableFuture<Disconnected> disconnected = Clients.disconnected(client);
            if (rooms.length > 0) {
                assertThat(Gateways.await(client.join(rooms))).containsExactly(rooms);
            }
            return new Member(client, client.id(), received, disconnected);
        } catch (RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /** The WebSocket address of {@link ClusterGateway} in the application {@code context}, for {@code user}. */
    static URI uri(String context, String user) {
        return URI.create("ws://127.0.0.1:" + System.getProperty("it.http.port") + "/" + context + NAMESPACE + "?user=" + user);
    }

    /** The events a member receives up to and including the first {@code fence} event, in order. */
    static List<Received> framesUntilFence(Member member) throws InterruptedException {
        List<Received> frames = new ArrayList<>();
        Received frame;
        do {
            frame = member.next();
            frames.add(frame);
        } while (!"fence".equals(frame.event()));
        return frames;
    }

    static List<String> events(List<Received> frames) {
        return frames.stream().map(Received::event).toList();
    }

    /** The names of the Redis connections of Wiregate nodes ({@code wiregate-SERVERID}). */
    static Set<String> wiregateClientNames() throws Exception {
        return redis().clientNames().stream().filter(n -> n.startsWith("wiregate-")).collect(Collectors.toSet());
    }

    /** {@link ClusterStatusServlet}'s answer in the application {@code context}. */
    static JsonObject status(String context) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty("it.http.port") + "/" + context + "/status")).timeout(Clients.WAIT).build(),
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
