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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.OnClose;
import io.wiregate.Peer;
import io.wiregate.testing.RawWebSocket;
import io.wiregate.testing.RedisServer;
import io.wiregate.tyrus.WiregateServer;

/**
 * Connection state recovery (docs/protocol.md section 9) on nodes joined by a real Redis: what a worker's {@link Emitter}
 * emits to a gateway with recovery goes into the gateway's shared history and is recoverable like a {@code Broadcaster}
 * emit (its volatile events are not). {@link SharedRecoveryTest} resumes sessions across nodes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecoveryOnRedisTest {

    /** {@code /feed}: handshake authentication ({@code ?user=NAME}), recovery on. */
    @Gateway(value = "/feed", auth = Auth.HANDSHAKE, heartbeatTimeoutMs = 0, recovery = true)
    public static class FeedGateway {

        static final Set<String> CLOSED = ConcurrentHashMap.newKeySet();

        @Authenticate
        Identity authenticate(HandshakeRequest request) {
            String user = request.queryParameter("user");
            return user == null ? null : Identity.of(user);
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
        nodeA = WiregateServer.builder().port(0).beanClasses(RedissonClusterBus.class, FeedGateway.class).start();
        nodeB = WiregateServer.builder().port(0).beanClasses(RedissonClusterBus.class, FeedGateway.class).start();
        worker = Emitter.builder().address(redis.address()).namespace("/feed").build();
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
    void whatAWorkerEmittedWhileTheClientWasAwayIsReplayedInOrderAndItsVolatileEventsAreNot() throws Exception {
        RawWebSocket a = RawWebSocket.connect(uri(nodeA, "/feed?user=ann"));
        JsonObject first = data(a.next(isEvent("connected"))).asJsonObject();
        a.send("join", Json.createObjectBuilder().add("rooms", Json.createArrayBuilder().add("news")).build(), "j");
        a.next(hasId("j"));
        a.abort();
        await().atMost(Duration.ofSeconds(5)).until(() -> FeedGateway.CLOSED.contains(first.getString("id")));

        for (int i = 0; i < 5; i++) {
            worker.toRoom("news").emit("story", Map.of("seq", i)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            worker.toRoom("news").emitVolatile("ticker", Map.of("seq", i)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        RawWebSocket probe = RawWebSocket.connect(uri(nodeA, "/feed?user=probe"));
        probe.next(isEvent("connected"));
        probe.send("join", Json.createObjectBuilder().add("rooms", Json.createArrayBuilder().add("news")).build(), "j");
        probe.next(hasId("j"));
        worker.toRoom("news").emit("story", Map.of("seq", 5)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        probe.next(isEvent("story")); // the node has handled everything the worker published before it

        try (RawWebSocket resumed = RawWebSocket.connect(uri(nodeA, "/feed?user=ann" + resume(first)))) {
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

    private static String resume(JsonObject connected) {
        return "&wiregate-session=" + URLEncoder.encode(connected.getString("session"), StandardCharsets.UTF_8)
                + "&wiregate-offset=" + URLEncoder.encode(connected.getString("offset"), StandardCharsets.UTF_8);
    }

    private static URI uri(WiregateServer node, String pathAndQuery) {
        return URI.create(node.uri() + pathAndQuery);
    }
}
