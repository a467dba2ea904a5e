package io.wiregate.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.wiregate.spi.ClusterBus;
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
    static TestClient a1; // uma on A
    static TestClient a2; // carol on A
    static TestClient b1; // carol on B
    static TestClient b2; // dave on B
    static TestClient openA;
    static TestClient openB;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        System.setProperty("wiregate.redis.address", redis.address());
        nodeA = WiregateServer.builder().port(0).beanClasses(RedissonClusterBus.class, NodeGateway.class, OpenGateway.class).start();
        nodeB = WiregateServer.builder().port(0).beanClasses(RedissonClusterBus.class, NodeGateway.class, OpenGateway.class).start();
        a1 = TestClient.connect(nodeA.uri() + "/node", "uma");
        a2 = TestClient.connect(nodeA.uri() + "/node", "carol");
        b1 = TestClient.connect(nodeB.uri() + "/node", "carol");
        b2 = TestClient.connect(nodeB.uri() + "/node", "dave");
        openA = TestClient.connect(nodeA.uri() + "/open", null);
        openB = TestClient.connect(nodeB.uri() + "/open", null);
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

    static List<TestClient> secure() {
        return List.of(a1, a2, b1, b2);
    }

    /** Every client gets {@code marker} exactly {@code expected} times, and keeps that count for a while. */
    static void assertCounts(String marker, Map<TestClient, Integer> expected) {
        await("deliveries of " + marker).atMost(Duration.ofSeconds(10)).until(() -> expected.entrySet().stream()
                .allMatch(e -> e.getKey().count(marker) >= e.getValue()));
        await("no duplicate of " + marker).during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> expected.entrySet().stream().allMatch(e -> e.getKey().count(marker) == e.getValue()));
    }

    static String send(String kind, String target, String marker, String... exclude) {
        StringBuilder ex = new StringBuilder("[");
        for (String id : exclude) {
            ex.append(ex.length() > 1 ? "," : "").append('"').append(id).append('"');
        }
        return "{\"kind\":\"" + kind + "\",\"target\":" + (target == null ? "null" : '"' + target + '"')
                + ",\"event\":\"t\",\"data\":{\"m\":\"" + marker + "\"},\"exclude\":" + ex.append(']') + "}";
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
        assertThat(a1.request("send", send("all", null, m)).getString("event")).isEqualTo("ack");
        assertCounts(m, Map.of(a1, 1, a2, 1, b1, 1, b2, 1, openA, 0, openB, 0));
    }

    @Test
    void aBroadcastHonoursExcludeOnTheOtherNode() {
        String m = marker();
        a1.request("send", send("all", null, m, b2.id, a2.id));
        assertCounts(m, Map.of(a1, 1, a2, 0, b1, 1, b2, 0));
    }

    @Test
    void aRoomDeliveryReachesItsMembersOnBothNodesExactlyOnce() {
        String room = "room-" + marker();
        for (TestClient c : List.of(a2, b1, b2)) {
            assertThat(c.request("join", "{\"rooms\":[\"" + room + "\"]}").getString("event")).isEqualTo("joined");
        }
        String m = marker();
        a1.request("send", send("room", room, m, b2.id));
        assertCounts(m, Map.of(a1, 0, a2, 1, b1, 1, b2, 0));
    }

    @Test
    void aUserDeliveryReachesEverySessionOfTheUserOnBothNodesExactlyOnce() {
        String m = marker();
        a1.request("send", send("user", "carol", m));
        assertCounts(m, Map.of(a1, 0, a2, 1, b1, 1, b2, 0));
    }

    @Test
    void aClientDeliveryReachesAClientOnTheOtherNodeExactlyOnce() {
        String m = marker();
        a1.request("send", send("client", b2.id, m));
        assertCounts(m, Map.of(a1, 0, a2, 0, b1, 0, b2, 1));
        String local = marker();
        b1.request("send", send("client", b2.id, local)); // found locally: not published
        assertCounts(local, Map.of(a1, 0, a2, 0, b1, 0, b2, 1));
    }

    @Test
    void anEmitterReachesBothNodesWithAndWithoutNamespace() throws Exception {
        String room = "em-" + marker();
        for (TestClient c : List.of(a2, b2)) {
            c.request("join", "{\"rooms\":[\"" + room + "\"]}");
        }
        String all = marker();
        String inRoom = marker();
        String user = marker();
        String client = marker();
        String everywhere = marker();
        try (Emitter emitter = Emitter.create(redis.address())) {
            Emitter node = emitter.forNamespace("/node");
            node.toAll().emit("fromEmitter", Map.of("m", all));
            node.toRoom(room).except(a2.id).emit("fromEmitter", Map.of("m", inRoom));
            node.toUser("carol").emit("fromEmitter", Map.of("m", user));
            node.toClient(b1.id).emit("fromEmitter", Map.of("m", client));
            emitter.toAll().emit("fromEmitter", Map.of("m", everywhere)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        assertCounts(all, Map.of(a1, 1, a2, 1, b1, 1, b2, 1, openA, 0, openB, 0));
        assertCounts(inRoom, Map.of(a1, 0, a2, 0, b1, 0, b2, 1));
        assertCounts(user, Map.of(a1, 0, a2, 1, b1, 1, b2, 0));
        assertCounts(client, Map.of(a1, 0, a2, 0, b1, 1, b2, 0));
        assertCounts(everywhere, Map.of(a1, 1, a2, 1, b1, 1, b2, 1, openA, 1, openB, 1));
        assertThat(a1.frames.stream().filter(f -> "fromEmitter".equals(f.getString("event", null))).findFirst().orElseThrow())
                .isEqualTo(jakarta.json.Json.createObjectBuilder().add("event", "fromEmitter")
                        .add("data", jakarta.json.Json.createObjectBuilder().add("m", all)).build());
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
            redis.publish("ws:room:" + b1.id, bad);
        }
        String fine = marker();
        redis.publish("ws:broadcast", "{\"serverId\":\"emitter\",\"type\":\"broadcast\",\"namespace\":\"/node\",\"event\":\"fine\",\"data\":{\"m\":\"" + fine + "\"}}");
        assertCounts(fine, Map.of(a1, 1, a2, 1, b1, 1, b2, 1));
        for (TestClient c : List.of(a1, a2, b1, b2, openA, openB)) {
            assertThat(c.count(m)).as("malformed delivered to %s", c).isZero();
        }
        assertThat(nodeA.cdi().select(RedissonClusterBus.class).get().metrics().malformed()).isGreaterThanOrEqualTo(20);
        String after = marker();
        b1.request("send", send("all", null, after));
        assertCounts(after, Map.of(a1, 1, a2, 1, b1, 1, b2, 1));
    }
}
