package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.event;
import static io.wiregate.testing.Wire.hasId;
import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.Peer;
import io.wiregate.testing.RawWebSocket;

/**
 * docs/protocol.md section 1: a gateway guarding its handshake answers HTTP 401 (no or bad credentials) or 403 (a
 * foreign {@code Origin}, checked first) before any upgrade; an accepted client is connected with its user id
 * without sending {@code authenticate}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeAuthProtocolTest {

    private static final String ALLOWED_ORIGIN = "https://app.example.com";
    private static final String FOREIGN_ORIGIN = "https://evil.example.net";

    /** Credentials from {@code ?token=good-USER} or {@code Authorization: Bearer good-USER}. */
    @Gateway(value = "/handshake", auth = Auth.HANDSHAKE, heartbeatTimeoutMs = 0,
            allowedOrigins = {ALLOWED_ORIGIN, "http://localhost"})
    public static class HandshakeGateway {

        @Authenticate
        Identity authenticate(HandshakeRequest request) {
            String token = request.queryParameter("token");
            String authorization = request.header("authorization");
            if (token == null && authorization != null && authorization.startsWith("Bearer ")) {
                token = authorization.substring("Bearer ".length());
            }
            if ("throw".equals(token)) {
                throw new IllegalStateException("SECRET-HANDSHAKE-DETAIL");
            }
            if (token != null && token.startsWith("expiring-")) { // expiring-USER: for 300 ms
                return Identity.of(token.substring(9)).expiringAt(java.time.Instant.now().plusMillis(300));
            }
            return token != null && token.startsWith("good-") && token.length() > 5 ? Identity.of(token.substring(5)) : null;
        }

        @OnEvent("whoami")
        @Emit("whoami")
        Map<String, String> whoami(Peer peer) {
            return Map.of("userId", peer.userId(), "clientId", peer.id());
        }
    }

    /** No authentication, but an Origin allow-list. */
    @Gateway(value = "/origin-only", heartbeatTimeoutMs = 0, allowedOrigins = ALLOWED_ORIGIN)
    public static class OriginOnlyGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    @RegisterExtension
    static final TestServer server = new TestServer(HandshakeGateway.class, OriginOnlyGateway.class);

    @Test
    void anIdentityFromTheHandshakeThatExpiresClosesTheConnectionWith4001() {
        RawWebSocket client = server.open("/handshake?token=expiring-gil");
        client.next(isEvent("connected"));

        assertThat(client.awaitClose()).isEqualTo(4001); // its client reconnects with fresh credentials
        assertThat(client.closeReason()).isEqualTo("authentication expired");
    }

    @Test
    void handshakeWithoutCredentialsIsRefusedWith401() throws IOException {
        assertThat(server.handshakeStatus("/handshake")).isEqualTo(401);
    }

    @Test
    void handshakeWithBadCredentialsIsRefusedWith401() throws IOException {
        assertThat(server.handshakeStatus("/handshake?token=bad")).isEqualTo(401);
        assertThat(server.handshakeStatus("/handshake?token=good-")).isEqualTo(401);
        assertThat(server.handshakeStatus("/handshake", Map.of("Authorization", "Bearer nope"))).isEqualTo(401);
    }

    @Test
    void handshakeWhoseAuthenticatorThrowsIsRefusedWith401() throws IOException {
        assertThat(RawWebSocket.handshakeStatusLine(server.uri("/handshake?token=throw"), Map.of()))
                .startsWith("HTTP/1.1 401").doesNotContain("SECRET");
    }

    @Test
    void foreignOriginIsRefusedWith403EvenWithGoodCredentials() throws IOException {
        assertThat(server.handshakeStatus("/handshake?token=good-alice", Map.of("Origin", FOREIGN_ORIGIN)))
                .isEqualTo(403);
    }

    @Test
    void originIsCheckedBeforeCredentials() throws IOException {
        assertThat(server.handshakeStatus("/handshake", Map.of("Origin", FOREIGN_ORIGIN))).isEqualTo(403);
        assertThat(server.handshakeStatus("/handshake?token=bad", Map.of("Origin", FOREIGN_ORIGIN))).isEqualTo(403);
        assertThat(server.handshakeStatus("/handshake?token=throw", Map.of("Origin", FOREIGN_ORIGIN))).isEqualTo(403);
    }

    @Test
    void allowedOriginWithGoodCredentialsIsUpgraded() throws IOException {
        assertThat(server.handshakeStatus("/handshake?token=good-alice", Map.of("Origin", ALLOWED_ORIGIN)))
                .isEqualTo(101);
        assertThat(server.handshakeStatus("/handshake?token=good-alice")).as("no Origin: not a browser")
                .isEqualTo(101);
    }

    @Test
    void acceptedClientIsConnectedFirstWithItsUserIdWithoutAuthenticating() {
        RawWebSocket client = server.open("/handshake?token=good-alice", Map.of("Origin", ALLOWED_ORIGIN));
        JsonObject connected = client.next();
        assertThat(event(connected)).isEqualTo("connected");
        assertThat(data(connected).asJsonObject().getString("userId")).isEqualTo("alice");
        client.send("{'event':'whoami','id':'w'}");
        JsonObject whoami = data(client.next(hasId("w"))).asJsonObject();
        assertThat(whoami.getString("userId")).isEqualTo("alice");
        assertThat(whoami.getString("clientId")).isEqualTo(data(connected).asJsonObject().getString("id"));
    }

    @Test
    void credentialsInAHeaderAreSeenByTheAuthenticator() {
        RawWebSocket client = server.open("/handshake", Map.of("Authorization", "Bearer good-bob"));
        assertThat(data(client.next(isEvent("connected"))).asJsonObject().getString("userId")).isEqualTo("bob");
    }

    @Test
    void concurrentHandshakesEachGetTheirOwnIdentity() {
        List<CompletableFuture<RawWebSocket>> pending = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pending.add(RawWebSocket.to(server.uri("/handshake?token=good-user" + i)).connectAsync());
        }
        for (int i = 0; i < pending.size(); i++) {
            RawWebSocket client = server.track(pending.get(i).orTimeout(10, TimeUnit.SECONDS).join());
            JsonObject connected = client.next(isEvent("connected"));
            assertThat(data(connected).asJsonObject().getString("userId")).as("client %d", i).isEqualTo("user" + i);
        }
    }

    @Test
    void originAllowListAppliesToGatewaysWithoutAuthentication() throws IOException {
        assertThat(server.handshakeStatus("/origin-only", Map.of("Origin", FOREIGN_ORIGIN))).isEqualTo(403);
        assertThat(server.handshakeStatus("/origin-only", Map.of("Origin", ALLOWED_ORIGIN))).isEqualTo(101);
        assertThat(server.handshakeStatus("/origin-only")).isEqualTo(101);
        RawWebSocket client = server.open("/origin-only", Map.of("Origin", ALLOWED_ORIGIN));
        assertThat(data(client.next(isEvent("connected"))).asJsonObject().get("userId")).isEqualTo(JsonValue.NULL);
    }

    @Test
    void refusedHandshakesLeaveLaterHandshakesUnaffected() throws IOException {
        for (int i = 0; i < 5; i++) {
            assertThat(server.handshakeStatus("/handshake?token=bad")).isEqualTo(401);
            assertThat(server.handshakeStatus("/handshake?token=good-x", Map.of("Origin", FOREIGN_ORIGIN)))
                    .isEqualTo(403);
        }
        RawWebSocket client = server.open("/handshake?token=good-carol");
        assertThat(data(client.next(isEvent("connected"))).asJsonObject().getString("userId")).isEqualTo("carol");
    }
}
