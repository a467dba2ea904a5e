package io.wiregate.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.wiregate.protocol.ClusterMessage;
import io.wiregate.spi.Delivery;
import io.wiregate.spi.Delivery.TargetKind;
import io.wiregate.testing.RedisServer;

/** Two buses (two nodes without WebSockets) and emitters on one private redis-server. */
class RedissonClusterBusTest {

    static RedisServer redis;

    final List<RedissonClusterBus> buses = new ArrayList<>();
    final List<Delivery> onA = new CopyOnWriteArrayList<>();
    final List<Delivery> onB = new CopyOnWriteArrayList<>();
    RedissonClusterBus a;
    RedissonClusterBus b;
    String prefix;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void twoNodes() {
        prefix = "t" + System.nanoTime(); // each test its own channels
        a = bus(onA::add);
        b = bus(onB::add);
    }

    @AfterEach
    void stopNodes() {
        buses.forEach(RedissonClusterBus::stop);
    }

    RedissonClusterBus bus(java.util.function.Consumer<Delivery> receiver) {
        RedissonClusterBus bus = new RedissonClusterBus(RedisSettings.of(redis.address(), null, prefix, false));
        buses.add(bus);
        bus.start(receiver);
        return bus;
    }

    static Delivery delivery(TargetKind kind, String target, String event) {
        return new Delivery(kind, "/chat", target, event, "{\"n\":1}", Set.of(), false);
    }

    @Test
    void aDeliveryPublishedOnOneNodeReachesTheOtherOnceAndNotItself() {
        for (Delivery d : List.of(delivery(TargetKind.BROADCAST, null, "all"), delivery(TargetKind.ROOM, "r1", "room"),
                delivery(TargetKind.USER, "u1", "user"),
                new Delivery(TargetKind.CLIENT, "/chat", "c1", "client", "[1]", Set.of("c9"), true))) {
            a.publish(d);
            await().atMost(Duration.ofSeconds(5)).until(() -> onB.contains(d));
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> onB.size() == 4 && onA.isEmpty());
        assertThat(a.metrics().published()).isEqualTo(4);
        assertThat(b.metrics().received()).isEqualTo(4);
        assertThat(a.metrics().received()).isZero();
    }

    @Test
    void deliveriesOfOneSenderArriveInOrder() {
        int n = 3000;
        for (int i = 0; i < n; i++) {
            a.publish(delivery(i % 2 == 0 ? TargetKind.BROADCAST : TargetKind.ROOM, i % 2 == 0 ? null : "r", "e" + i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> onB.size() == n);
        for (int i = 0; i < n; i++) {
            assertThat(onB.get(i).event()).isEqualTo("e" + i);
        }
    }

    @Test
    void emitterMessagesReachEveryNodeWithOrWithoutNamespace() throws Exception {
        try (Emitter emitter = Emitter.builder().address(redis.address()).prefix(prefix).build()) {
            Emitter chat = emitter.forNamespace("/chat");
            assertThat(chat.toRoom("lobby").except("c1", "c2").emit("news", Map.of("k", "v")).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS)).isEqualTo(2L); // two nodes subscribed
            emitter.toAll().emit("hello", Json.createObjectBuilder().add("x", 1).build());
            emitter.toUser("alice").emitVolatile("typing", null);
            chat.toClient("c7").emit("direct", "text").toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        List<Delivery> expected = List.of(
                new Delivery(TargetKind.ROOM, "/chat", "lobby", "news", "{\"k\":\"v\"}", Set.of("c1", "c2"), false),
                new Delivery(TargetKind.BROADCAST, null, null, "hello", "{\"x\":1}", Set.of(), false),
                new Delivery(TargetKind.USER, null, "alice", "typing", "null", Set.of(), true),
                new Delivery(TargetKind.CLIENT, "/chat", "c7", "direct", "\"text\"", Set.of(), false));
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.size() == 4 && onB.size() == 4);
        assertThat(onA).containsExactlyElementsOf(expected);
        assertThat(onB).containsExactlyElementsOf(expected);
    }

    @Test
    void emitterRefusesBadInputBeforePublishing() {
        try (Emitter emitter = Emitter.builder().address(redis.address()).prefix(prefix).build()) {
            assertThatThrownBy(() -> emitter.toAll().emit("bad event", 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> emitter.toRoom("")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> emitter.toClient(null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> emitter.forNamespace("chat")).isInstanceOf(IllegalArgumentException.class);
            emitter.close();
            assertThatThrownBy(() -> emitter.toAll().emit("e", 1)).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> Emitter.create("localhost:6379")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedMessagesAreCountedAndIgnoredAndTheSubscriberKeepsWorking() throws Exception {
        List<String> bad = List.of("not json", "[1]", "{\"type\":\"broadcast\",\"namespace\":42,\"event\":\"e\"}",
                "{\"type\":\"galaxy\",\"event\":\"e\"}", "{\"type\":\"room\",\"event\":\"e\"}", "{\"type\":\"broadcast\"}",
                "{\"type\":\"broadcast\",\"event\":\"e\",\"exclude\":[1]}", "{\"type\":\"broadcast\",\"event\":\"e\"",
                "x".repeat(1_000_000), "{\"type\":\"broadcast\",\"event\":\"e\",\"data\":\"" + "y".repeat(1_100_000) + "\"}",
                "[".repeat(100_000));
        for (String m : bad) {
            redis.publish(prefix + ":broadcast", m);
        }
        redis.publish(prefix + ":something-else", "not ours: not counted");
        redis.publish(prefix + ":broadcast", "{\"serverId\":\"emitter\",\"type\":\"broadcast\",\"event\":\"fine\",\"data\":1}");
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.size() == 1 && onB.size() == 1);
        assertThat(onA.get(0).event()).isEqualTo("fine");
        assertThat(a.metrics().malformed()).isEqualTo(bad.size());
        assertThat(b.metrics().malformed()).isEqualTo(bad.size());
        a.publish(delivery(TargetKind.BROADCAST, null, "stillWorks"));
        await().atMost(Duration.ofSeconds(5)).until(() -> onB.size() == 2);
    }

    @Test
    void aDeliveryTooLargeForTheOtherNodesIsCountedAsAFailureNotPublished() {
        a.publish(new Delivery(TargetKind.BROADCAST, "/chat", null, "big",
                "\"" + "b".repeat(ClusterMessage.MAX_SIZE) + "\"", Set.of(), false));
        assertThat(a.metrics().publishFailures()).isEqualTo(1);
        try (Emitter emitter = Emitter.builder().address(redis.address()).prefix(prefix).build()) {
            assertThatThrownBy(() -> emitter.toAll().emit("big", "b".repeat(ClusterMessage.MAX_SIZE)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        a.publish(delivery(TargetKind.BROADCAST, null, "small"));
        await().atMost(Duration.ofSeconds(5)).until(() -> onB.size() == 1 && onB.get(0).event().equals("small"));
    }

    @Test
    void aMessageCarryingTheNodesOwnServerIdIsIgnored() throws Exception {
        redis.publish(prefix + ":broadcast", "{\"serverId\":\"" + a.serverId() + "\",\"type\":\"broadcast\",\"event\":\"e\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> onB.size() == 1);
        assertThat(onA).isEmpty();
    }

    @Test
    void withoutAnAddressTheBusRunsAlone() {
        RedissonClusterBus alone = new RedissonClusterBus(null);
        alone.start(d -> { });
        alone.publish(delivery(TargetKind.BROADCAST, null, "nowhere"));
        assertThat(alone.metrics()).isEqualTo(new BusMetrics(0, 0, 0, 0, false));
        alone.stop();
    }

    @Test
    void startFailsClearlyWhenRedisIsUnreachable() throws Exception {
        int nothing = RedisServer.freePort();
        RedissonClusterBus bus = new RedissonClusterBus(RedisSettings.of("redis://127.0.0.1:" + nothing, null, null, false));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> bus.start(d -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("redis://127.0.0.1:" + nothing);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }
}
