package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.event;
import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.testing.RawWebSocket;
import io.wiregate.testing.Wire;

/**
 * docs/protocol.md section 6, close code 4002: nothing received within the heartbeat timeout closes the connection;
 * any frame (text, binary, ping, pong) restarts the timer, which runs from open.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeartbeatProtocolTest {

    private static final Duration KEEP_ALIVE_FOR = Duration.ofMillis(2500);
    private static final Duration EVERY = Duration.ofMillis(100);

    /** A 1 s heartbeat timeout (generous: a loaded 2-core machine must not make it flaky). */
    @Gateway(value = "/pulse", heartbeatTimeoutMs = 1000)
    public static class PulseGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    /** A 1 s heartbeat timeout on a gateway with in-band authentication and a long authentication timeout. */
    @Gateway(value = "/pulse-auth", auth = Auth.MESSAGE, heartbeatTimeoutMs = 1000, authTimeoutMs = 20000)
    public static class PulseAuthGateway {
        @Authenticate
        Identity authenticate(JsonValue credentials) {
            return Identity.of("someone");
        }
    }

    @RegisterExtension
    static final TestServer server = new TestServer(PulseGateway.class, PulseAuthGateway.class);

    @Test
    void silentConnectionIsClosedWith4002AfterTheHeartbeatTimeout() {
        long start = System.nanoTime();
        RawWebSocket client = server.connected("/pulse");
        assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo(4002);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        for (JsonObject f : client.received().stream().filter(isEvent("disconnect")).toList()) {
            assertThat(data(f).asJsonObject().getInt("code")).isEqualTo(4002);
        }
    }

    @Test
    void heartbeatTimerRunsFromOpenEvenBeforeAuthentication() {
        RawWebSocket client = server.open("/pulse-auth");
        assertThat(client.awaitClose(Duration.ofSeconds(5))).as("4002, not the 20 s auth timeout").isEqualTo(4002);
    }

    @Test
    void heartbeatsKeepTheConnectionAlive() {
        RawWebSocket client = server.connected("/pulse");
        assertStaysOpenWhile(client, c -> c.send("{'event':'heartbeat'}"));
        assertThat(client.awaitClose(Duration.ofSeconds(5))).as("once the heartbeats stop").isEqualTo(4002);
    }

    @Test
    void heartbeatsKeepAnUnauthenticatedConnectionAlive() {
        RawWebSocket client = server.open("/pulse-auth");
        assertStaysOpenWhile(client, c -> c.send("{'event':'heartbeat'}"));
        client.authenticate("{'token':'anything'}");
    }

    @Test
    void applicationFramesRestartTheTimer() {
        RawWebSocket client = server.connected("/pulse");
        assertStaysOpenWhile(client, c -> c.send("{'event':'echo','data':1}"));
    }

    @Test
    void binaryFramesRestartTheTimer() {
        RawWebSocket client = server.connected("/pulse");
        assertStaysOpenWhile(client, c -> c.sendBinary(new byte[] {1}));
    }

    @Test
    void pingsRestartTheTimer() {
        RawWebSocket client = server.connected("/pulse");
        assertStaysOpenWhile(client, RawWebSocket::ping);
    }

    @Test
    void pongsRestartTheTimer() {
        RawWebSocket client = server.connected("/pulse");
        assertStaysOpenWhile(client, RawWebSocket::pong);
    }

    @Test
    void connectionKeptAliveStillAnswersFrames() {
        RawWebSocket client = server.connected("/pulse");
        assertStaysOpenWhile(client, c -> c.send("{'event':'heartbeat'}"));
        client.send("{'event':'echo','data':'x','id':'e'}");
        assertThat(event(client.next(Wire.hasId("e")))).isEqualTo("echo");
    }

    /**
     * Runs {@code beat} every 100 ms on its own thread for 2.5 s (two and a half heartbeat timeouts) and checks that the
     * connection stays open all that time.
     */
    private static void assertStaysOpenWhile(RawWebSocket client, Consumer<RawWebSocket> beat) {
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
        List<Long> sentAt = new CopyOnWriteArrayList<>();
        try {
            beats.scheduleAtFixedRate(() -> {
                if (!client.isClosed()) {
                    try {
                        beat.accept(client);
                        sentAt.add(client.millisSinceOpen());
                    } catch (IllegalStateException | UncheckedIOException closedMeanwhile) {
                        // the check below reports it
                    }
                }
            }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
            await().during(KEEP_ALIVE_FOR).atMost(KEEP_ALIVE_FOR.plusSeconds(2)).until(() -> !client.isClosed());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the connection closed with " + client.closeCode() + " " + client.closedMillisAfterOpen()
                    + " ms after it opened, although the client sent a frame every " + EVERY.toMillis()
                    + " ms (sent at " + sentAt + " ms after open)", e);
        } finally {
            beats.shutdownNow();
            try {
                beats.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertThat(client.closeCode()).isNull();
    }
}
