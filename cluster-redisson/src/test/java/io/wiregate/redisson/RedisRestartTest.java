package io.wiregate.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.wiregate.testing.RedisServer;
import io.wiregate.tyrus.WiregateServer;

/** Redis killed under two running nodes, then restarted on the same port. */
class RedisRestartTest {

    static RedisServer redis;
    static WiregateServer nodeA;
    static WiregateServer nodeB;
    static Member a1;
    static Member a2;
    static Member b1;
    static Member b2;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        System.setProperty("wiregate.redis.address", redis.address());
        nodeA = WiregateServer.builder().port(0).beanClasses(RedissonClusterBus.class, NodeGateway.class).start();
        nodeB = WiregateServer.builder().port(0).beanClasses(RedissonClusterBus.class, NodeGateway.class).start();
        a1 = Member.connect(nodeA, "/node", "uma");
        a2 = Member.connect(nodeA, "/node", "carol");
        b1 = Member.connect(nodeB, "/node", "carol");
        b2 = Member.connect(nodeB, "/node", "dave");
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("wiregate.redis.address");
        for (AutoCloseable c : new AutoCloseable[] {a1, a2, b1, b2, nodeA, nodeB, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
    }

    static RedissonClusterBus bus(WiregateServer node) {
        return node.cdi().select(RedissonClusterBus.class).get();
    }

    @Test
    void localDeliveryGoesOnWhileRedisIsDownAndCrossNodeDeliveryResumesExactlyOnceAfterARestart() throws Exception {
        String before = TwoNodesTest.marker();
        a1.send(TwoNodesTest.send("all", null, before));
        TwoNodesTest.assertCounts(before, Map.of(a1, 1, a2, 1, b1, 1, b2, 1));

        redis.kill();

        // Local delivery on each node, and the sender's answer, do not wait for Redis.
        String downA = TwoNodesTest.marker();
        String downB = TwoNodesTest.marker();
        long t0 = System.nanoTime();
        a1.send(TwoNodesTest.send("all", null, downA));
        b2.send(TwoNodesTest.send("all", null, downB));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        for (Member c : List.of(a1, a2)) {
            c.awaitMarker(downA);
        }
        for (Member c : List.of(b1, b2)) {
            c.awaitMarker(downB);
        }
        // The failed publishes become visible (a counter and a log line), without blocking anyone.
        await("publish failures counted").atMost(Duration.ofSeconds(20))
                .until(() -> bus(nodeA).metrics().publishFailures() > 0 && bus(nodeB).metrics().publishFailures() > 0);
        long t1 = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            bus(nodeA).publish(new io.wiregate.spi.Delivery(io.wiregate.spi.Delivery.TargetKind.BROADCAST, "/none", null,
                    "e", "null", null, false));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofMillis(500));

        redis.restart();

        // Both directions: each node publishes again and each node has resubscribed (they recover independently).
        List<String> probes = new ArrayList<>();
        List<String> fromA = new ArrayList<>();
        List<String> fromB = new ArrayList<>();
        long restarted = System.nanoTime();
        await("cross-node delivery resumes both ways").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String probeA = "probe-a-" + fromA.size();
                    String probeB = "probe-b-" + fromB.size();
                    fromA.add(probeA);
                    fromB.add(probeB);
                    probes.add(probeA);
                    probes.add(probeB);
                    a1.client.emit("send", TwoNodesTest.send("all", null, probeA));
                    b1.client.emit("send", TwoNodesTest.send("all", null, probeB));
                    return fromA.stream().anyMatch(p -> b1.count(p) > 0) && fromB.stream().anyMatch(p -> a1.count(p) > 0);
                });
        System.out.println("cross-node delivery resumed " + Duration.ofNanos(System.nanoTime() - restarted).toMillis()
                + " ms after the restart");

        String after = TwoNodesTest.marker();
        b1.send(TwoNodesTest.send("all", null, after));
        TwoNodesTest.assertCounts(after, Map.of(a1, 1, a2, 1, b1, 1, b2, 1));
        String afterUser = TwoNodesTest.marker();
        a1.send(TwoNodesTest.send("user", "carol", afterUser));
        TwoNodesTest.assertCounts(afterUser, Map.of(a1, 0, a2, 1, b1, 1, b2, 0));
        for (String probe : probes) {
            for (Member c : List.of(a1, a2, b1, b2)) {
                assertThat(c.count(probe)).as("%s on %s", probe, c).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void anEmitterReportsAFailedEmitWhenRedisIsDown() throws Exception {
        RedisServer own = RedisServer.start();
        try (Emitter emitter = Emitter.create(own.address())) {
            own.kill();
            long t0 = System.nanoTime();
            var stage = emitter.toAll().emit("e", 1).toCompletableFuture();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(200));
            assertThatThrownBy(() -> stage.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        } finally {
            own.close();
        }
    }
}
