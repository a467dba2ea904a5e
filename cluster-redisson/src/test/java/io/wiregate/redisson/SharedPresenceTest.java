package io.wiregate.redisson;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.hasId;
import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcaster;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.Presence;
import io.wiregate.spi.PresenceStore;
import io.wiregate.testing.RawWebSocket;
import io.wiregate.testing.RedisServer;
import io.wiregate.tyrus.WiregateServer;

/**
 * Presence across two nodes joined by a real Redis (docs/protocol.md section 11, on several nodes): who is in a room
 * is the same answer on either node, a join or a leave on one node is announced to the members on the other, a user
 * with tabs on both nodes is online once, and the members of a node that stops renewing its lease leave within the
 * bound. The lease is 900 ms here ({@code wiregate.redis.presence-lease-ms}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedPresenceTest {

    static final long LEASE_MS = 900;

    /** {@code /people}: handshake authentication ({@code ?user=NAME}), presence with client events. */
    @Gateway(value = "/people", auth = Auth.HANDSHAKE, heartbeatTimeoutMs = 0, presence = Presence.CLIENTS)
    public static class PeopleGateway {

        @Inject
        Broadcaster<PeopleGateway> gateway;

        @Authenticate
        Identity authenticate(HandshakeRequest request) {
            String user = request.queryParameter("user");
            return user == null ? null : Identity.of(user);
        }

        /** The members of a room as this node's {@code Broadcaster} answers: {@code ["client=user", ...]}. */
        @OnEvent("who")
        List<String> who(String room) throws Exception {
            return gateway.presence(room).toCompletableFuture().get(5, TimeUnit.SECONDS).stream()
                    .map(m -> m.clientId() + "=" + m.userId()).sorted().toList();
        }
    }

    /** {@code /users}: the same with user events. */
    @Gateway(value = "/users", auth = Auth.HANDSHAKE, heartbeatTimeoutMs = 0, presence = Presence.USERS)
    public static class UsersGateway {

        @Authenticate
        Identity authenticate(HandshakeRequest request) {
            String user = request.queryParameter("user");
            return user == null ? null : Identity.of(user);
        }
    }

    static RedisServer redis;
    static WiregateServer nodeA;
    static WiregateServer nodeB;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        System.setProperty("wiregate.redis.address", redis.address());
        System.setProperty(RedissonClusterBus.PRESENCE_LEASE, String.valueOf(LEASE_MS));
        nodeA = WiregateServer.builder().port(0).beanClasses(RedissonClusterBus.class, PeopleGateway.class, UsersGateway.class).start();
        nodeB = WiregateServer.builder().port(0).beanClasses(RedissonClusterBus.class, PeopleGateway.class, UsersGateway.class).start();
    }

    @AfterAll
    static void stop() {
        System.clearProperty("wiregate.redis.address");
        System.clearProperty(RedissonClusterBus.PRESENCE_LEASE);
        for (AutoCloseable c : new AutoCloseable[] {nodeA, nodeB, redis}) {
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
    void aRoomHasTheSameMembersOnEitherNodeAndEveryChangeIsAnnouncedAcrossThem() {
        String room = "r-" + System.nanoTime();
        try (RawWebSocket ann = connect(nodeA, "/people", "ann"); RawWebSocket bob = connect(nodeB, "/people", "bob")) {
            String annId = id(ann);
            String bobId = id(bob);
            join(ann, room);
            join(bob, room);
            JsonObject joined = data(ann.next(isEvent("presence.join"))).asJsonObject();
            assertThat(joined).isEqualTo(Json.createObjectBuilder().add("room", room).add("id", bobId).add("userId", "bob").build());

            for (RawWebSocket asker : List.of(ann, bob)) {
                JsonObject answer = ask(asker, room);
                assertThat(answer.getInt("count")).isEqualTo(2);
                assertThat(answer.getJsonArray("members").getValuesAs(JsonObject.class))
                        .extracting(m -> m.getString("id") + "=" + m.getString("userId"))
                        .containsExactlyInAnyOrder(annId + "=ann", bobId + "=bob");
                asker.send("who", Json.createValue(room), "w");
                assertThat(data(asker.next(hasId("w"))).asJsonArray().getValuesAs(jakarta.json.JsonString::getString))
                        .as("Broadcaster.presence on the node of %s", asker == ann ? "ann" : "bob")
                        .containsExactlyInAnyOrder(annId + "=ann", bobId + "=bob");
            }
            bob.close();
            JsonObject left = data(ann.next(isEvent("presence.leave"))).asJsonObject();
            assertThat(left.getString("id")).isEqualTo(bobId);
            assertThat(left.getString("userId")).isEqualTo("bob");
            assertThat(ask(ann, room).getInt("count")).isEqualTo(1);
            assertThat(ann.sync()).as("no presence event about ann herself").noneMatch(f -> f.toString().contains(annId));
        }
    }

    @Test
    void aUserWithTabsOnBothNodesIsOnlineOnceAndOfflineWhenItsLastTabLeaves() {
        String room = "r-" + System.nanoTime();
        try (RawWebSocket watcher = connect(nodeA, "/users", "wat")) {
            join(watcher, room);
            RawWebSocket tab1 = connect(nodeA, "/users", "uma");
            RawWebSocket tab2 = connect(nodeB, "/users", "uma");
            join(tab1, room);
            join(tab2, room);
            assertThat(data(watcher.next(isEvent("presence.online"))).asJsonObject())
                    .isEqualTo(Json.createObjectBuilder().add("room", room).add("userId", "uma").build());
            tab1.close();
            assertThat(ask(watcher, room).getInt("count")).isEqualTo(2);
            tab2.close();
            assertThat(data(watcher.next(isEvent("presence.offline"))).asJsonObject().getString("userId")).isEqualTo("uma");
            assertThat(watcher.sync()).as("online and offline once each").noneMatch(isEvent("presence.online").or(isEvent("presence.offline")));
        }
    }

    @Test
    void theMembersOfANodeThatStopsRenewingItsLeaveWithinTheBoundAndAreAnnounced() throws Exception {
        String room = "r-" + System.nanoTime();
        ScheduledExecutorService deadNodeTimers = Executors.newSingleThreadScheduledExecutor();
        RedissonClient client = Redisson.create(RedisSettings.of(redis.address(), null, null, false).toRedissonConfig("dying-node"));
        try (RawWebSocket watcher = connect(nodeB, "/people", "wat")) {
            join(watcher, room);
            // A third node, as the gateway's presence sees it: it registers two members, then dies (no renewals, no leaves).
            RedisPresenceStore dying = new RedisPresenceStore(client, deadNodeTimers, "ws", "/people", "dying-node", LEASE_MS);
            dying.start(List::of, o -> { });
            List<PresenceStore.Outcome> outcomes = new ArrayList<>();
            dying.apply(new PresenceStore.Change(room, "ghost-1", "gus", true), outcomes::add);
            dying.apply(new PresenceStore.Change(room, "ghost-2", null, true), outcomes::add);
            java.util.concurrent.CompletableFuture<Void> flushed = new java.util.concurrent.CompletableFuture<>();
            dying.flush(() -> flushed.complete(null));
            flushed.get(5, TimeUnit.SECONDS);
            assertThat(outcomes).extracting(PresenceStore.Outcome::member).containsExactly(true, true);
            deadNodeTimers.shutdownNow();
            long died = System.nanoTime();
            assertThat(ask(watcher, room).getInt("count")).isEqualTo(3);

            List<String> gone = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                gone.add(data(watcher.next(isEvent("presence.leave"), Duration.ofSeconds(10))).asJsonObject().getString("id"));
            }
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - died);
            assertThat(gone).containsExactlyInAnyOrder("ghost-1", "ghost-2");
            // The documented bound is 4/3 of the lease after the last renewal; the slack covers scheduling on CI.
            assertThat(tookMs).as("left within the bound").isLessThan(LEASE_MS * 4 / 3 + 3000);
            JsonObject answer = ask(watcher, room);
            assertThat(answer.getInt("count")).isEqualTo(1);
            assertThat(answer.getJsonArray("members").getJsonObject(0).getString("id")).isEqualTo(id(watcher));
        } finally {
            deadNodeTimers.shutdownNow();
            client.shutdown();
        }
    }

    @Test
    void afterRedisRestartsEmptyEveryNodeRegistersItsMembersAgain() throws Exception {
        String room = "r-" + System.nanoTime();
        try (RawWebSocket ann = connect(nodeA, "/people", "ann"); RawWebSocket bob = connect(nodeB, "/people", "bob")) {
            join(ann, room);
            join(bob, room);
            ann.next(isEvent("presence.join"));
            redis.kill();
            redis.restart();
            // Within a lease each node finds its lease gone and registers its members again under a new name.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ask(ann, room).getInt("count") == 2);
            assertThat(ask(bob, room).getInt("count")).isEqualTo(2);
        }
    }

    // ------------------------------------------------------------------------------------------------------ helpers

    private static int asked;

    /** The answer to a {@code presence} request for {@code room}. */
    private static synchronized JsonObject ask(RawWebSocket c, String room) {
        String id = "p" + asked++;
        c.send("presence", Json.createObjectBuilder().add("room", room).build(), id);
        JsonObject answer = c.next(hasId(id));
        assertThat(answer.getString("event")).as("answer %s", answer).isEqualTo("presence");
        return data(answer).asJsonObject();
    }

    private static RawWebSocket connect(WiregateServer node, String path, String user) {
        RawWebSocket c = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + node.port() + path + "?user=" + user));
        c.next(isEvent("connected"));
        return c;
    }

    private static String id(RawWebSocket c) {
        return data(c.received().stream().filter(isEvent("connected")).findFirst().orElseThrow()).asJsonObject().getString("id");
    }

    private static void join(RawWebSocket c, String room) {
        c.send("join", Json.createObjectBuilder().add("rooms", Json.createArrayBuilder().add(room)).build(), "j-" + room);
        assertThat(c.next(hasId("j-" + room)).getString("event")).isEqualTo("joined");
    }
}
