package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;
import io.wiregate.testing.RawWebSocket;

/**
 * Server pings ({@code ping-interval-ms}): the server pings a connection that has been silent for the interval;
 * the client's pong, like any frame, restarts the heartbeat timer, so a client that only listens stays connected
 * past the heartbeat timeout. A client that does not answer pings is still closed with 4002.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PingProtocolTest {

    private static final long HEARTBEAT_MS = 800;
    private static final Duration LISTEN_FOR = Duration.ofMillis(3 * HEARTBEAT_MS);

    /** Pings every 200 ms of silence, closes after 800 ms of it. */
    @Gateway(value = "/listen", heartbeatTimeoutMs = HEARTBEAT_MS, pingIntervalMs = 200)
    public static class ListenGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    /** The same heartbeat, without pings. */
    @Gateway(value = "/unpinged", heartbeatTimeoutMs = HEARTBEAT_MS, pingIntervalMs = 0)
    public static class UnpingedGateway {
    }

    @RegisterExtension
    static final TestServer server = new TestServer(ListenGateway.class, UnpingedGateway.class);

    @Test
    void aClientThatOnlyListensStaysConnectedPastTheHeartbeatTimeout() {
        RawWebSocket listener = server.connected("/listen"); // its WebSocket answers pings with pongs, and sends nothing

        await().during(LISTEN_FOR).atMost(LISTEN_FOR.plusSeconds(2)).until(() -> !listener.isClosed());

        listener.send("{'event':'echo','data':'still here','id':1}");
        JsonObject reply = listener.next(f -> "echo".equals(event(f)));
        assertThat(reply.getString("data")).isEqualTo("still here");
    }

    @Test
    void aClientThatDoesNotAnswerPingsIsPingedAndStillClosedWith4002() {
        try (RawWebSocket silent = RawWebSocket.to(server.uri("/listen")).ignoringPings().connect()) {
            int code = silent.awaitClose(Duration.ofSeconds(10));

            assertThat(code).isEqualTo(4002);
            assertThat(silent.pingsReceived()).as("pings before the close").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aGatewayWithoutPingsSendsNone() {
        try (RawWebSocket silent = RawWebSocket.to(server.uri("/unpinged")).ignoringPings().connect()) {
            int code = silent.awaitClose(Duration.ofSeconds(10));

            assertThat(code).isEqualTo(4002);
            assertThat(silent.pingsReceived()).isZero();
        }
    }
}
