package io.wiregate.redisson;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.hasId;
import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcaster;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.OnClose;
import io.wiregate.OnEvent;
import io.wiregate.Peer;
import io.wiregate.testing.RawWebSocket;
import io.wiregate.testing.RedisServer;
import io.wiregate.tyrus.WiregateServer;

/**
 * Connection state recovery across two nodes joined by a real Redis (docs/protocol.md section 9, on several nodes):
 * the gateway's history is one Redis Stream that both nodes read, so a session resumes on either node, exactly; a
 * history Redis lost is never taken for a complete one; a Redis outage delays deliveries without losing,
 * duplicating or reordering any; and what a worker's {@link Emitter} emits to the gateway goes into its history,
 * recoverable like a {@code Broadcaster} emit (its volatile events are not).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedRecoveryTest {

    /** {@code /shared}: handshake authentication ({@code ?user=NAME}), recovery on, a 3 s window. */
    @Gateway(value = "/shared", auth = Auth.HANDSHAKE, heartbeatTimeoutMs = 0, recovery = true, recoveryWindowMs = 3000)
    public static class SharedGateway {

        static final Set<String> CLOSED = ConcurrentHashMap.newKeySet();

        /** A delivery to a room, made by the node the sender is on. */
        public record Shout(String room, String event, JsonValue data) {
        }

        @Inject
        Broadcaster<SharedGateway> gateway;

        @Authenticate
        Identity authenticate(HandshakeRequest request) {
            String user = request.queryParameter("user");
            return user == null ? null : Identity.of(user);
        }

        @OnEvent("shout")
        void shout(Shout s) {
            gateway.toRoom(s.room()).emit(s.event(), s.data());
        }

        @OnClose
        void closed(Peer peer) {
            CLOSED.add(peer.id());
        }
    }

    static RedisServer redis;
    static WiregateServer nodeA;
    static WiregateServer nodeB;
    static Emitter worker;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        System.setProperty("wiregate.redis.address", redis.address());
        nodeA = WiregateServer.builder().port(0).beanClasses(RedissonClusterBus.class, SharedGateway.class).start();
        nodeB = WiregateServer.builder().port(0).beanClasses(RedissonClusterBus.class, SharedGateway.class).start();
        worker = Emitter.builder().address(redis.address()).namespace("/shared").build();
    }

    @AfterAll
    static void stop() {
        System.clearProperty("wiregate.redis.address");
        for (AutoCloseable c : new AutoCloseable[] {worker, nodeA, nodeB, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
    }

    @Test
    void aClientCutMidBurstOnOneNodeResumesOnTheOtherWithEveryEventOfTheBurstOnceAndInOrder() {
        String room = "burst-" + System.nanoTime();
        RawWebSocket a = RawWebSocket.connect(uri(nodeA, "/shared?user=ann"));
        JsonObject first = data(a.next(isEvent("connected"))).asJsonObject();
        join(a, room);
        try (RawWebSocket sender = RawWebSocket.connect(uri(nodeB, "/shared?user=sam"))) {
            sender.next(isEvent("connected"));
            int total = 200;
            int cut = 40;
            for (int i = 0; i < total; i++) {
                sender.send("shout", shout(room, "burst", i), null);
            }
            String offset = null;
            for (int i = 0; i < cut; i++) {
                JsonObject f = a.next(isEvent("burst"));
                assertThat(data(f).asJsonObject().getInt("seq")).isEqualTo(i);
                offset = f.getString("offset");
            }
            a.abort(); // the network fails: no close frame, node A has not noticed yet

            try (RawWebSocket resumed = RawWebSocket.connect(uri(nodeB, "/shared?user=ann" + resume(first, offset)))) {
                JsonObject connected = data(resumed.next(isEvent("connected"))).asJsonObject();
                assertThat(connected.getBoolean("recovered")).isTrue();
                assertThat(connected.getString("id")).isEqualTo(first.getString("id"));
                assertThat(connected.getJsonArray("rooms").getValuesAs(jakarta.json.JsonString::getString)).containsExactly(room);
                for (int i = cut; i < total; i++) {
                    JsonObject f = resumed.next(Duration.ofSeconds(10));
                    assertThat(f.getString("event")).isEqualTo("burst");
                    assertThat(data(f).asJsonObject().getInt("seq")).as("event %d of the burst", i).isEqualTo(i);
                }
                assertThat(resumed.sync()).as("nothing twice").isEmpty();
            }
        }
    }

    @Test
    void aResumeAfterTheWindowIsNotRecovered() {
        RawWebSocket a = RawWebSocket.connect(uri(nodeA, "/shared?user=wes"));
        JsonObject first = data(a.next(isEvent("connected"))).asJsonObject();
        a.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> SharedGateway.CLOSED.contains(first.getString("id")));
        long closed = System.nanoTime();
        // The window (3 s) runs from the close: the resume is made well past it, on the other node.
        await().pollDelay(Duration.ofMillis(4000)).atMost(Duration.ofSeconds(6))
                .until(() -> System.nanoTime() - closed > TimeUnit.MILLISECONDS.toNanos(4000));
        try (RawWebSocket late = RawWebSocket.connect(uri(nodeB, "/shared?user=wes" + resume(first, first.getString("offset"))))) {
            JsonObject connected = data(late.next(isEvent("connected"))).asJsonObject();
            assertThat(connected.getBoolean("recovered")).isFalse();
            assertThat(connected.getString("id")).isNotEqualTo(first.getString("id"));
        }
    }

    @Test
    void aTokenPresentedByAnotherUserIsRefusedRecoveryOnEitherNode() {
        RawWebSocket a = RawWebSocket.connect(uri(nodeA, "/shared?user=una"));
        JsonObject first = data(a.next(isEvent("connected"))).asJsonObject();
        a.abort();
        for (WiregateServer node : List.of(nodeB, nodeA)) {
            try (RawWebSocket thief = RawWebSocket.connect(uri(node, "/shared?user=mallory" + resume(first, first.getString("offset"))))) {
                JsonObject connected = data(thief.next(isEvent("connected"))).asJsonObject();
                assertThat(connected.getBoolean("recovered")).isFalse();
                assertThat(connected.getString("id")).isNotEqualTo(first.getString("id"));
            }
        }
        try (RawWebSocket owner = RawWebSocket.connect(uri(nodeB, "/shared?user=una" + resume(first, first.getString("offset"))))) {
            assertThat(data(owner.next(isEvent("connected"))).asJsonObject().getBoolean("recovered"))
                    .as("the failed attempts left the session as it was").isTrue();
        }
    }

    @Test
    void whatAWorkerEmittedWhileTheClientWasAwayIsReplayedInOrderAndItsVolatileEventsAreNot() throws Exception {
        RawWebSocket a = RawWebSocket.connect(uri(nodeA, "/shared?user=ava"));
        JsonObject first = data(a.next(isEvent("connected"))).asJsonObject();
        a.send("join", Json.createObjectBuilder().add("rooms", Json.createArrayBuilder().add("news")).build(), "j");
        a.next(hasId("j"));
        a.abort();
        await().atMost(Duration.ofSeconds(5)).until(() -> SharedGateway.CLOSED.contains(first.getString("id")));

        for (int i = 0; i < 5; i++) {
            worker.toRoom("news").emit("story", Map.of("seq", i)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            worker.toRoom("news").emitVolatile("ticker", Map.of("seq", i)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        RawWebSocket probe = RawWebSocket.connect(uri(nodeA, "/shared?user=probe"));
        probe.next(isEvent("connected"));
        probe.send("join", Json.createObjectBuilder().add("rooms", Json.createArrayBuilder().add("news")).build(), "j");
        probe.next(hasId("j"));
        worker.toRoom("news").emit("story", Map.of("seq", 5)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        probe.next(isEvent("story")); // the node has handled everything the worker published before it

        try (RawWebSocket resumed = RawWebSocket.connect(uri(nodeA, "/shared?user=ava" + resume(first, first.getString("offset"))))) {
            JsonObject connected = data(resumed.next(isEvent("connected"))).asJsonObject();
            assertThat(connected.getBoolean("recovered")).isTrue();
            assertThat(connected.getString("id")).isEqualTo(first.getString("id"));
            for (int i = 0; i <= 5; i++) {
                JsonObject story = resumed.next();
                assertThat(story.getString("event")).isEqualTo("story");
                assertThat(data(story).asJsonObject().getInt("seq")).isEqualTo(i);
                assertThat(story.getString("offset")).isNotBlank();
            }
            assertThat(resumed.sync()).as("no volatile ticker replayed").isEmpty();
        } finally {
            probe.close();
        }
    }

    @Test
    void malformedEntriesInTheSharedHistoryAreSkippedAndBothNodesGoOn() throws Exception {
        String stream = StreamRecoveryLog.streamKey("ws", "/shared");
        String epoch = redis.bulk("GET", StreamRecoveryLog.epochKey("ws", "/shared"));
        String[][] entries = {
                {"junk", "1"},                                                         // none of the fields
                {"e", epoch, "o", "mallory", "s", "abc", "r", "{}"},                    // a sequence that is no number
                {"e", epoch, "o", "mallory", "s", "1", "r", "not json"},
                {"e", epoch, "o", "mallory", "s", "2", "r", "{\"record\":\"connect\",\"token\":\"!!\"}"},
                {"e", epoch, "o", "mallory", "s", "3", "r", "[".repeat(10_000)},
                {"e", epoch, "o", "mallory", "s", "4", "r", "{\"serverId\":\"x\",\"type\":\"galaxy\",\"event\":\"e\"}"},
                {"e", epoch, "o", "mallory", "s", "5"},                                  // neither a record nor a gap
                {"e", "", "o", "mallory", "s", "6", "r", "{}"},                            // no epoch
        };
        for (String[] fields : entries) {
            String[] command = new String[fields.length + 3];
            command[0] = "XADD";
            command[1] = stream;
            command[2] = "*";
            System.arraycopy(fields, 0, command, 3, fields.length);
            assertThat(redis.command(command)).as("XADD %s", List.of(fields)).doesNotStartWith("-");
        }
        String room = "after-junk-" + System.nanoTime();
        try (RawWebSocket onA = RawWebSocket.connect(uri(nodeA, "/shared?user=joe"));
             RawWebSocket onB = RawWebSocket.connect(uri(nodeB, "/shared?user=kim"))) {
            JsonObject first = data(onA.next(isEvent("connected"))).asJsonObject();
            onB.next(isEvent("connected"));
            join(onA, room);
            join(onB, room);
            onB.send("shout", shout(room, "fine", 1), null);
            assertThat(data(onA.next(isEvent("fine"))).asJsonObject().getInt("seq")).isEqualTo(1);
            assertThat(data(onB.next(isEvent("fine"))).asJsonObject().getInt("seq")).isEqualTo(1);
            onA.abort();
            try (RawWebSocket back = RawWebSocket.connect(uri(nodeB, "/shared?user=joe" + resume(first, first.getString("offset"))))) {
                assertThat(data(back.next(isEvent("connected"))).asJsonObject().getBoolean("recovered")).isTrue();
                assertThat(data(back.next(isEvent("fine"))).asJsonObject().getInt("seq")).as("replayed").isEqualTo(1);
            }
        }
    }

    /**
     * Redis is SIGKILLed while both nodes deliver to one room every 20 ms, and restarted empty 3 s later. Every
     * member, on either node, ends with every delivery of both senders exactly once, each sender's in order (the
     * two senders' deliveries may interleave differently on the two nodes around the loss: what a node had read
     * of the lost history, it delivered then); and a session of the lost history resumes with {@code recovered:
     * false}, never with a gap.
     */
    @Test
    void aRedisKilledUnderLoadAndRestartedEmptyLosesNoDeliveryAndRecoversNoSessionAcrossTheLoss() throws Exception {
        String room = "load-" + System.nanoTime();
        RawWebSocket onA = RawWebSocket.connect(uri(nodeA, "/shared?user=amy"));
        RawWebSocket onB = RawWebSocket.connect(uri(nodeB, "/shared?user=bob"));
        RawWebSocket idle = RawWebSocket.connect(uri(nodeA, "/shared?user=ida"));
        JsonObject idleSession = data(idle.next(isEvent("connected"))).asJsonObject();
        onA.next(isEvent("connected"));
        onB.next(isEvent("connected"));
        join(onA, room);
        join(onB, room);
        idle.abort();
        try (RawWebSocket senderA = RawWebSocket.connect(uri(nodeA, "/shared?user=sa"));
             RawWebSocket senderB = RawWebSocket.connect(uri(nodeB, "/shared?user=sb"))) {
            senderA.next(isEvent("connected"));
            senderB.next(isEvent("connected"));
            int perSender = 250; // 5 s at one every 20 ms
            long startNanos = System.nanoTime();
            boolean killed = false;
            boolean restarted = false;
            for (int i = 0; i < perSender; i++) {
                senderA.send("shout", shout(room, "fromA", i), null);
                senderB.send("shout", shout(room, "fromB", i), null);
                long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                if (!killed && elapsedMs >= 1000) {
                    redis.kill();
                    killed = true;
                } else if (killed && !restarted && elapsedMs >= 4000) {
                    redis.restart();
                    restarted = true;
                }
                Thread.sleep(20); // the load's pace, not a synchronization
            }
            assertThat(restarted).as("the outage happened during the load").isTrue();

            List<String> gotA = readAll(onA, 2 * perSender);
            List<String> gotB = readAll(onB, 2 * perSender);
            for (List<String> got : List.of(gotA, gotB)) {
                for (String sender : List.of("fromA", "fromB")) {
                    List<Integer> seqs = got.stream().filter(s -> s.startsWith(sender + ":"))
                            .map(s -> Integer.parseInt(s.substring(sender.length() + 1))).toList();
                    assertThat(seqs).as("%s's deliveries, exactly once and in order", sender)
                            .isEqualTo(java.util.stream.IntStream.range(0, perSender).boxed().toList());
                }
            }
            assertThat(onA.sync()).isEmpty();
            assertThat(onB.sync()).isEmpty();
        }
        try (RawWebSocket back = RawWebSocket.connect(uri(nodeB, "/shared?user=ida"
                + resume(idleSession, idleSession.getString("offset"))))) {
            assertThat(data(back.next(isEvent("connected"))).asJsonObject().getBoolean("recovered"))
                    .as("a session of the history Redis lost").isFalse();
        }
        onA.close();
        onB.close();
    }

    /** The next {@code count} events, as {@code event:seq}, within 30 s. */
    private static List<String> readAll(RawWebSocket c, int count) {
        List<String> got = new ArrayList<>();
        while (got.size() < count) {
            JsonObject f = c.next(Duration.ofSeconds(30));
            got.add(f.getString("event") + ":" + data(f).asJsonObject().getInt("seq"));
        }
        return got;
    }

    private static void join(RawWebSocket c, String room) {
        c.send("join", Json.createObjectBuilder().add("rooms", Json.createArrayBuilder().add(room)).build(), "j");
        c.next(hasId("j"));
    }

    private static JsonObject shout(String room, String event, int seq) {
        return Json.createObjectBuilder().add("room", room).add("event", event)
                .add("data", Json.createObjectBuilder().add("seq", seq)).build();
    }

    private static String resume(JsonObject connected, String offset) {
        return "&wiregate-session=" + URLEncoder.encode(connected.getString("session"), StandardCharsets.UTF_8)
                + "&wiregate-offset=" + URLEncoder.encode(offset, StandardCharsets.UTF_8);
    }

    private static URI uri(WiregateServer node, String pathAndQuery) {
        return URI.create(node.uri() + pathAndQuery);
    }
}
