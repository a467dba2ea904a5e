package io.wiregate.redisson;

import static io.wiregate.testing.Wire.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.wiregate.spi.ClusterBus;
import io.wiregate.test.Gateways;
import io.wiregate.testing.RawWebSocket;
import io.wiregate.testing.RedisServer;
import io.wiregate.tyrus.WiregateServer;

/**
 * Two Wiregate nodes (two servers in this JVM, each with its own CDI container and its own
 * {@link RedissonClusterBus} bean, configured through system properties) on one private redis-server.
 */
class TwoNodesTest {

    static RedisServer redis;
    static WiregateServer nodeA;
    static WiregateServer nodeB;
    static Member a1; // uma on A
    static Member a2; // carol on A
    static Member b1; // carol on B
    static Member b2; // dave on B
    static Member openA;
    static Member openB;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        System.setProperty("wiregate.redis.address", redis.address());
        nodeA = WiregateServer.builder().port(0).beanClasses(RedissonClusterBus.class, NodeGateway.class, OpenGateway.class).start();
        nodeB = WiregateServer.builder().port(0).beanClasses(RedissonClusterBus.class, NodeGateway.class, OpenGateway.class).start();
        a1 = Member.connect(nodeA, "/node", "uma");
        a2 = Member.connect(nodeA, "/node", "carol");
        b1 = Member.connect(nodeB, "/node", "carol");
        b2 = Member.connect(nodeB, "/node", "dave");
        openA = Member.connect(nodeA, "/open", null);
        openB = Member.connect(nodeB, "/open", null);
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("wiregate.redis.address");
        for (AutoCloseable c : new AutoCloseable[] {a1, a2, b1, b2, openA, openB, nodeA, nodeB, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
    }

    static String marker() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Every client gets {@code marker} exactly {@code expected} times, and keeps that count for a while. */
    static void assertCounts(String marker, Map<Member, Integer> expected) {
        await("deliveries of " + marker).atMost(Duration.ofSeconds(10)).until(() -> expected.entrySet().stream()
                .allMatch(e -> e.getKey().count(marker) >= e.getValue()));
        await("no duplicate of " + marker).during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> expected.entrySet().stream().allMatch(e -> e.getKey().count(marker) == e.getValue()));
    }

    /** A {@link NodeGateway.Send} of the event {@code t} with {@code {"m": marker}}. */
    static JsonObject send(String kind, String target, String marker, String... exclude) {
        JsonObjectBuilder send = Json.createObjectBuilder().add("kind", kind);
        if (target == null) {
            send.addNull("target");
        } else {
            send.add("target", target);
        }
        return send.add("event", "t").add("data", Json.createObjectBuilder().add("m", marker))
                .add("exclude", Json.createArrayBuilder(List.of(exclude))).build();
    }

    @Test
    void theBusIsTheCdiBeanOfEachNode() {
        assertThat(nodeA.cdi().select(ClusterBus.class).get().toString()).isNotNull();
        RedissonClusterBus busA = nodeA.cdi().select(RedissonClusterBus.class).get();
        RedissonClusterBus busB = nodeB.cdi().select(RedissonClusterBus.class).get();
        assertThat(busA.metrics().active()).isTrue();
        assertThat(busA.serverId()).isNotEqualTo(busB.serverId());
    }

    @Test
    void aBroadcastOnNodeAReachesEveryClientOfTheNamespaceOnBothNodesExactlyOnce() {
        String m = marker();
        a1.send(send("all", null, m));
        assertCounts(m, Map.of(a1, 1, a2, 1, b1, 1, b2, 1, openA, 0, openB, 0));
    }

    @Test
    void aBroadcastHonoursExcludeOnTheOtherNode() {
        String m = marker();
        a1.send(send("all", null, m, b2.id(), a2.id()));
        assertCounts(m, Map.of(a1, 1, a2, 0, b1, 1, b2, 0));
    }

    @Test
    void aRoomDeliveryReachesItsMembersOnBothNodesExactlyOnce() {
        String room = "room-" + marker();
        for (Member c : List.of(a2, b1, b2)) {
            assertThat(Gateways.await(c.client.join(room))).containsExactly(room);
        }
        String m = marker();
        a1.send(send("room", room, m, b2.id()));
        assertCounts(m, Map.of(a1, 0, a2, 1, b1, 1, b2, 0));
    }

    @Test
    void aUserDeliveryReachesEverySessionOfTheUserOnBothNodesExactlyOnce() {
        String m = marker();
        a1.send(send("user", "carol", m));
        assertCounts(m, Map.of(a1, 0, a2, 1, b1, 1, b2, 0));
    }

    @Test
    void aClientDeliveryReachesAClientOnTheOtherNodeExactlyOnce() {
        String m = marker();
        a1.send(send("client", b2.id(), m));
        assertCounts(m, Map.of(a1, 0, a2, 0, b1, 0, b2, 1));
        String local = marker();
        b1.send(send("client", b2.id(), local)); // found locally: not published
        assertCounts(local, Map.of(a1, 0, a2, 0, b1, 0, b2, 1));
    }

    @Test
    void anEmitterReachesBothNodesWithAndWithoutNamespace() throws Exception {
        String room = "em-" + marker();
        for (Member c : List.of(a2, b2)) {
            Gateways.await(c.client.join(room));
        }
        String all = marker();
        String inRoom = marker();
        String user = marker();
        String client = marker();
        String everywhere = marker();
        // A plain socket on node A as well, to see the frames as they are on the wire.
        try (RawWebSocket raw = RawWebSocket.connect(URI.create(nodeA.uri() + "/node"))) {
            raw.send("{'event':'authenticate','data':{'user':'raw'}}");
            assertThat(event(raw.next(Gateways.TIMEOUT))).isEqualTo("connected");
            try (Emitter emitter = Emitter.create(redis.address())) {
                Emitter node = emitter.forNamespace("/node");
                node.toAll().emit("fromEmitter", Map.of("m", all));
                node.toRoom(room).except(a2.id()).emit("fromEmitter", Map.of("m", inRoom));
                node.toUser("carol").emit("fromEmitter", Map.of("m", user));
                node.toClient(b1.id()).emit("fromEmitter", Map.of("m", client));
                emitter.toAll().emit("fromEmitter", Map.of("m", everywhere)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            assertCounts(all, Map.of(a1, 1, a2, 1, b1, 1, b2, 1, openA, 0, openB, 0));
            assertCounts(inRoom, Map.of(a1, 0, a2, 0, b1, 0, b2, 1));
            assertCounts(user, Map.of(a1, 0, a2, 1, b1, 1, b2, 0));
            assertCounts(client, Map.of(a1, 0, a2, 0, b1, 1, b2, 0));
            assertCounts(everywhere, Map.of(a1, 1, a2, 1, b1, 1, b2, 1, openA, 1, openB, 1));
            // An emitted event reaches a client as the event and its data, nothing else.
            JsonObject expected = Json.createObjectBuilder().add("event", "fromEmitter")
                    .add("data", Json.createObjectBuilder().add("m", all)).build();
            JsonObject frame = raw.next(f -> f.get("data") instanceof JsonObject d && all.equals(d.getString("m", null)),
                    Gateways.TIMEOUT);
            assertThat(frame).isEqualTo(expected);
        }
    }

    @Test
    void malformedMessagesReachNoOneAndTheNodesKeepWorking() throws Exception {
        String m = marker();
        for (String bad : List.of("not json at all", "[1,2,3]", "\"a string\"",
                "{\"serverId\":\"emitter\",\"type\":\"broadcast\",\"namespace\":42,\"event\":\"bad\",\"data\":{\"m\":\"" + m + "\"}}",
                "{\"serverId\":\"emitter\",\"type\":\"galaxy\",\"namespace\":\"/node\",\"event\":\"bad\",\"data\":{\"m\":\"" + m + "\"}}",
                "{\"serverId\":\"emitter\",\"type\":\"broadcast\",\"namespace\":\"/node\",\"data\":{\"m\":\"" + m + "\"}}",
                "{\"serverId\":\"emitter\",\"type\":\"room\",\"namespace\":\"/node\",\"target\":42,\"event\":\"bad\",\"data\":{\"m\":\"" + m + "\"}}",
                "{\"serverId\":\"emitter\",\"type\":\"broadcast\",\"namespace\":\"/node\",\"event\":\"bad\",\"data\":{\"m\":\"" + m + "\"}",
                "{\"serverId\":\"emitter\",\"type\":\"broadcast\",\"namespace\":\"/node\",\"event\":\"bad\",\"exclude\":\"x\",\"data\":{\"m\":\"" + m + "\"}}",
                "z".repeat(1_000_000))) {
            redis.publish("ws:broadcast", bad);
            redis.publish("ws:room:" + b1.id(), bad);
        }
        String fine = marker();
        redis.publish("ws:broadcast", "{\"serverId\":\"emitter\",\"type\":\"broadcast\",\"namespace\":\"/node\",\"event\":\"fine\",\"data\":{\"m\":\"" + fine + "\"}}");
        assertCounts(fine, Map.of(a1, 1, a2, 1, b1, 1, b2, 1));
        for (Member c : List.of(a1, a2, b1, b2, openA, openB)) {
            assertThat(c.count(m)).as("malformed delivered to %s", c).isZero();
        }
        assertThat(nodeA.cdi().select(RedissonClusterBus.class).get().metrics().malformed()).isGreaterThanOrEqualTo(20);
        String after = marker();
        b1.send(send("all", null, after));
        assertCounts(after, Map.of(a1, 1, a2, 1, b1, 1, b2, 1));
    }
}
