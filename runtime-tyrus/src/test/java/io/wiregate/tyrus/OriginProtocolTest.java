package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.testing.RawWebSocket;

/**
 * PROTOCOL.md section 1, the {@code Origin} check, over real sockets: without {@code allowed-origins} a gateway
 * accepts browsers from its own host and port only (cross-site WebSocket hijacking), and clients that send no
 * {@code Origin}; {@code allowed-origins} (annotation or configuration) replaces that rule with its list, and
 * {@code *} allows any origin. A refused origin gets HTTP 403 before any upgrade.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OriginProtocolTest {

    private static final String FOREIGN = "http://evil.example";
    private static final String CONFIGURED_KEY = "wiregate.configured.allowed-origins";

    static {
        System.setProperty(CONFIGURED_KEY, "https://configured.example"); // read when the server below deploys
    }

    @Gateway(value = "/plain", heartbeatTimeoutMs = 0)
    public static class PlainGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    /** The conformance application's {@code /guarded} rule, with handshake authentication after it. */
    @Gateway(value = "/localhost-only", auth = Auth.HANDSHAKE, heartbeatTimeoutMs = 0,
            allowedOrigins = {"http://localhost", "http://127.0.0.1"})
    public static class LocalhostOnlyGateway {
        @Authenticate
        Identity authenticate(HandshakeRequest request) {
            String token = request.queryParameter("token");
            return token != null && token.startsWith("good-") ? Identity.of(token.substring(5)) : null;
        }
    }

    @Gateway(value = "/anyone", heartbeatTimeoutMs = 0, allowedOrigins = "*")
    public static class AnyOriginGateway {
    }

    /** Allowed origins from {@code wiregate.configured.allowed-origins}. */
    @Gateway(value = "/configured", heartbeatTimeoutMs = 0)
    public static class ConfiguredGateway {
    }

    @RegisterExtension
    static final TestServer server = new TestServer(PlainGateway.class, LocalhostOnlyGateway.class,
            AnyOriginGateway.class, ConfiguredGateway.class);

    @AfterAll
    static void clearConfiguration() {
        System.clearProperty(CONFIGURED_KEY);
    }

    private static Map<String, String> origin(String origin) {
        return Map.of("Origin", origin);
    }

    private static String ownOrigin() {
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void foreignOriginIsRefusedWith403ByAGatewayWithoutAllowedOrigins() throws IOException {
        assertThat(server.handshakeStatus("/plain", origin(FOREIGN))).isEqualTo(403);
        assertThat(server.handshakeStatus("/plain", origin("http://127.0.0.1:" + (server.port() ^ 1))))
                .as("another port").isEqualTo(403);
        assertThat(server.handshakeStatus("/plain", origin("null"))).as("an opaque origin").isEqualTo(403);
    }

    @Test
    void originOfTheRequestsOwnHostAndPortIsUpgraded() throws IOException {
        assertThat(server.handshakeStatus("/plain", origin(ownOrigin()))).isEqualTo(101);
        assertThat(server.handshakeStatus("/plain",
                Map.of("Host", "localhost:" + server.port(), "Origin", "http://localhost:" + server.port()))).isEqualTo(101);
        RawWebSocket client = server.open("/plain", origin(ownOrigin()));
        assertThat(data(client.next(isEvent("connected"))).asJsonObject().get("userId")).isEqualTo(JsonValue.NULL);
    }

    @Test
    void handshakeWithoutOriginIsUpgraded() throws IOException {
        assertThat(server.handshakeStatus("/plain")).isEqualTo(101);
        server.connected("/plain");
    }

    @Test
    void allowedOriginsAdmitExactlyTheListedOrigins() throws IOException {
        assertThat(server.handshakeStatus("/localhost-only?token=good-ann", origin("http://localhost"))).isEqualTo(101);
        assertThat(server.handshakeStatus("/localhost-only?token=good-ann", origin("http://127.0.0.1"))).isEqualTo(101);
        assertThat(server.handshakeStatus("/localhost-only?token=good-ann")).isEqualTo(101);
        assertThat(server.handshakeStatus("/localhost-only?token=good-ann", origin(FOREIGN))).isEqualTo(403);
        assertThat(server.handshakeStatus("/localhost-only?token=good-ann", origin("http://localhost.evil.example")))
                .isEqualTo(403);
        assertThat(server.handshakeStatus("/localhost-only", origin(FOREIGN))).as("origin before credentials")
                .isEqualTo(403);
        assertThat(server.handshakeStatus("/localhost-only", origin("http://localhost"))).isEqualTo(401);
    }

    @Test
    void starInAllowedOriginsAdmitsAnyOrigin() throws IOException {
        assertThat(server.handshakeStatus("/anyone", origin(FOREIGN))).isEqualTo(101);
        assertThat(server.handshakeStatus("/anyone", origin(ownOrigin()))).isEqualTo(101);
        assertThat(server.handshakeStatus("/anyone")).isEqualTo(101);
    }

    @Test
    void allowedOriginsFromConfigurationReplaceTheSameOriginRule() throws IOException {
        assertThat(server.handshakeStatus("/configured", origin("https://configured.example"))).isEqualTo(101);
        assertThat(server.handshakeStatus("/configured", origin(FOREIGN))).isEqualTo(403);
        assertThat(server.handshakeStatus("/configured", origin(ownOrigin()))).isEqualTo(403);
    }

    @Test
    void refusedOriginLeavesLaterHandshakesUnaffected() throws IOException {
        for (int i = 0; i < 5; i++) {
            assertThat(server.handshakeStatus("/plain", origin(FOREIGN))).isEqualTo(403);
        }
        assertThat(data(server.open("/plain", origin(ownOrigin())).next(isEvent("connected"))).asJsonObject().get("userId"))
                .isEqualTo(JsonValue.NULL);
    }
}
