package io.wiregate.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.wiregate.spi.Delivery;
import io.wiregate.spi.Delivery.TargetKind;
import io.wiregate.testing.RedisServer;

/** {@code wiregate.redis.cluster=true}: the bus and the emitter on a three-master Redis Cluster. */
class RedisClusterModeTest {

    @Test
    void deliveriesOnChannelsOfEverySlotReachTheOtherNodeOnARedisCluster() throws Exception {
        List<RedisServer> masters = new ArrayList<>();
        List<RedissonClusterBus> buses = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                masters.add(RedisServer.start(List.of("--cluster-enabled", "yes", "--cluster-node-timeout", "2000",
                        "--cluster-config-file", "nodes-" + UUID.randomUUID() + ".conf")));
            }
            List<String> create = new ArrayList<>(List.of(cli(), "--cluster", "create"));
            masters.forEach(m -> create.add("127.0.0.1:" + m.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            assertThat(run(create)).contains("All 16384 slots covered");
            for (RedisServer m : masters) {
                await("cluster_state:ok on " + m.port()).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> run(List.of(cli(), "-p", String.valueOf(m.port()), "cluster", "info")).contains("cluster_state:ok"));
            }
            String addresses = String.join(",", masters.stream().map(RedisServer::address).toList());
            List<Delivery> onA = new CopyOnWriteArrayList<>();
            List<Delivery> onB = new CopyOnWriteArrayList<>();
            RedissonClusterBus a = new RedissonClusterBus(RedisSettings.of(addresses, null, null, true));
            buses.add(a);
            a.start(onA::add);
            RedissonClusterBus b = new RedissonClusterBus(RedisSettings.of(addresses, null, null, true));
            buses.add(b);
            b.start(onB::add);

            List<Delivery> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) { // rooms spread over the three masters' slots
                sent.add(new Delivery(TargetKind.ROOM, "/chat", "room-" + i, "e", "{\"i\":" + i + "}", Set.of(), false));
            }
            sent.add(new Delivery(TargetKind.BROADCAST, "/chat", null, "all", "1", Set.of(), false));
            sent.add(new Delivery(TargetKind.USER, null, "alice", "u", "2", Set.of(), false));
            sent.add(new Delivery(TargetKind.CLIENT, "/chat", "c1", "c", "3", Set.of("c2"), false));
            sent.forEach(a::publish);
            await().atMost(Duration.ofSeconds(10)).until(() -> onB.size() >= sent.size());
            assertThat(onB).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(onA).isEmpty();

            try (Emitter emitter = Emitter.builder().address(addresses).cluster(true).namespace("/chat").build()) {
                emitter.toRoom("lobby").emit("fromEmitter", Map.of("k", 1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            Delivery fromEmitter = new Delivery(TargetKind.ROOM, "/chat", "lobby", "fromEmitter", "{\"k\":1}", Set.of(), false);
            await().atMost(Duration.ofSeconds(10)).until(() -> onA.contains(fromEmitter) && onB.contains(fromEmitter));

            // The shared recovery history of a gateway whose path has braces of its own: its keys share one slot
            // (the scripts would fail with CROSSSLOT otherwise), and both nodes read one order, the emitter's included.
            List<String> readA = new CopyOnWriteArrayList<>();
            List<String> readB = new CopyOnWriteArrayList<>();
            io.wiregate.spi.RecoveryLog logA = a.recoveryLog("/rooms/{roomId}", 120_000, 100);
            io.wiregate.spi.RecoveryLog logB = b.recoveryLog("/rooms/{roomId}", 120_000, 100);
            logA.start(reader(readA));
            logB.start(reader(readB));
            for (int i = 0; i < 5; i++) {
                assertThat(logA.append("{\"record\":\"close\",\"token\":\"t" + i + "\",\"rooms\":[]}")).isTrue();
            }
            try (Emitter emitter = Emitter.builder().address(addresses).cluster(true).namespace("/rooms/{roomId}").build()) {
                assertThat(emitter.toRoom("r").emit("streamed", Map.of("k", 2)).toCompletableFuture().get(10, TimeUnit.SECONDS))
                        .as("appended to the history, not published").isEqualTo(-1L);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> readA.size() == 6 && readB.size() == 6);
            assertThat(readB).isEqualTo(readA);
            assertThat(readA.get(5)).contains("\"event\":\"streamed\"");
            logA.stop();
            logB.stop();

            // Presence of the same gateway: its scripts reach keys named inside them, all in the gateway's one slot;
            // a member joined through one node is listed by the other.
            io.wiregate.spi.PresenceStore presenceA = a.presenceStore("/rooms/{roomId}");
            io.wiregate.spi.PresenceStore presenceB = b.presenceStore("/rooms/{roomId}");
            presenceA.start(List::of, o -> { });
            presenceB.start(List::of, o -> { });
            List<io.wiregate.spi.PresenceStore.Outcome> joined = new CopyOnWriteArrayList<>();
            presenceA.apply(new io.wiregate.spi.PresenceStore.Change("room-{x}", "c1", "ann", true), joined::add);
            java.util.concurrent.CompletableFuture<Void> flushed = new java.util.concurrent.CompletableFuture<>();
            presenceA.flush(() -> flushed.complete(null));
            flushed.get(10, TimeUnit.SECONDS);
            assertThat(joined).singleElement().satisfies(o -> assertThat(o.member() && o.user()).isTrue());
            assertThat(presenceB.members("room-{x}", 10).toCompletableFuture().get(10, TimeUnit.SECONDS).members())
                    .containsExactly(new io.wiregate.Member("c1", "ann"));
            presenceA.stop();
            presenceB.stop();
        } finally {
            buses.forEach(RedissonClusterBus::stop);
            for (RedisServer m : masters) {
                m.close();
            }
        }
    }

    private static io.wiregate.spi.RecoveryLog.Reader reader(List<String> into) {
        return new io.wiregate.spi.RecoveryLog.Reader() {
            @Override
            public void record(String epoch, long position, long millis, String record) {
                into.add(record);
            }

            @Override
            public void gap(String epoch, long position) {
                into.add("gap");
            }
        };
    }

    private static String cli() {
        Path server = Path.of(RedisServer.findBinary());
        Path cli = server.resolveSibling("redis-cli");
        if (!cli.toFile().canExecute()) {
            throw new IllegalStateException("redis-cli is not installed next to " + server + " (Debian package redis-tools)");
        }
        return cli.toString();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(command + " did not finish within 30 s");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }
}
