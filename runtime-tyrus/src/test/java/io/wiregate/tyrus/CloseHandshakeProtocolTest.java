package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wiregate.cdi.spi.StandaloneRuntime;
import io.wiregate.testing.RawWebSocket;
import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnEvent;

/**
 * PROTOCOL.md section 6: every close the server decides reaches the client as a close frame with its code, also
 * when the client is still sending, and the server completes the close handshake: it goes on reading (and
 * discarding) after its close frame until the client's close frame, then ends the TCP connection. A server that
 * ended the connection with the client's frames unread would reset it, and the client would see 1006 instead.
 * Frames the client sent before the close are answered first.
 *
 * <p>Each reason is repeated many times: the failure this guards against showed up in about 1 of 30 closes.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CloseHandshakeProtocolTest {

    private static final int REPEAT = 30;
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(10);
    private static final Duration END_WITHIN = Duration.ofSeconds(5);
    private static final String ECHO = "{\"event\":\"echo\",\"data\":\"storm\",\"id\":1}";

    /**
     * Echoes; a 1 KiB message limit. Its queue holds far more replies than a storm makes before its client reads:
     * a runtime that answers faster than the client reads must not close it as a slow consumer (4005) first.
     */
    @Gateway(value = "/storm", heartbeatTimeoutMs = 0, maxMessageBytes = 1024, outboundQueue = 1 << 20)
    public static class StormGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    /** 200 frames per second with a burst of 20: a storm is refused, then closed with 1008. */
    @Gateway(value = "/storm-limited", heartbeatTimeoutMs = 0, inboundRate = 200, inboundBurst = 20)
    public static class LimitedGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    /** In-band authentication: {@code {"token":"good"}} passes, anything else is refused (4003). */
    @Gateway(value = "/storm-auth", auth = Auth.MESSAGE, heartbeatTimeoutMs = 0, authTimeoutMs = 30_000)
    public static class AuthGateway {
        @Authenticate
        Identity authenticate(JsonValue credentials) {
            return credentials.toString().contains("\"good\"") ? Identity.of("someone") : null;
        }
    }

    /**
     * A 300 ms authentication timeout (4001). The storm's {@code unauthorized} answers wait unread meanwhile: a queue
     * they cannot fill within the timeout, else a fast runtime closes the client as a slow consumer (4005) first.
     */
    @Gateway(value = "/storm-hurry", auth = Auth.MESSAGE, heartbeatTimeoutMs = 0, authTimeoutMs = 300,
            outboundQueue = 1 << 20)
    public static class HurryGateway {
        @Authenticate
        Identity authenticate(JsonValue credentials) {
            return null;
        }
    }

    /** A 300 ms heartbeat timeout (4002). */
    @Gateway(value = "/storm-pulse", heartbeatTimeoutMs = 300)
    public static class PulseGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    /** A queue of 32 messages: a client that sends and does not read overflows it with the replies (4005). */
    @Gateway(value = "/storm-slow", heartbeatTimeoutMs = 0, outboundQueue = 32)
    public static class SlowGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    @RegisterExtension
    static final TestServer server = new TestServer(StormGateway.class, LimitedGateway.class, AuthGateway.class,
            HurryGateway.class, PulseGateway.class, SlowGateway.class);

    @Test
    void disconnectFromAStormingClientIsAnsweredWith1000AfterEveryEarlierFrame() throws Exception {
        stormUntilClosed(REPEAT, "/storm", ECHO, "{\"event\":\"disconnect\"}", 1000, 200);
    }

    @Test
    void aFrameOverTheLimitAmidAStormIsAnsweredWith1009AfterEveryEarlierFrame() throws Exception {
        String tooBig = "{\"event\":\"echo\",\"data\":\"" + "x".repeat(2000) + "\"}";
        stormUntilClosed(REPEAT, "/storm", ECHO, tooBig, 1009, 200);
    }

    @Test
    void sustainedRateAbuseIsClosedWith1008() throws Exception {
        stormUntilClosed(REPEAT, "/storm-limited", ECHO, null, 1008, -1);
    }

    @Test
    void refusedCredentialsAmidAStormAreAnsweredWith4003() throws Exception {
        stormUntilClosed(REPEAT, "/storm-auth", ECHO, "{\"event\":\"authenticate\",\"data\":{\"token\":\"bad\"}}", 4003, -1);
    }

    @Test
    void aStormWithoutAuthenticationIsClosedWith4001() throws Exception {
        stormUntilClosed(REPEAT / 3, "/storm-hurry", ECHO, null, 4001, -1);
    }

    @Test
    void aClientThatStormsRightAfterA4002GetsTheCloseFrameAndTheHandshakeCompletes() throws Exception {
        // Any frame restarts the heartbeat timer, so the client is silent until the timeout fires; its storm then
        // meets the server's close, as a client that wakes up and sends at that moment does.
        for (int i = 0; i < REPEAT / 3; i++) {
            try (StormingClient client = StormingClient.quiet(server.uri("/storm-pulse"), ECHO)) {
                StormingClient.Closed closed = client.readUntilClose(CLOSE_WITHIN);
                client.startStorm();
                assertThat(closed.code()).as("close code, repetition %d", i).isEqualTo(4002);
                assertHandshakeCompletes(client, closed, i);
            }
        }
    }

    @Test
    void aStormingClientThatStopsReadingIsClosedWith4005() throws Exception {
        // 20,000 replies of 1 KiB are far more than the socket buffers and a queue of 32 hold: the queue overflows
        // while the client does not read. Once it reads again, the close frame follows what was in flight.
        String large = "{\"event\":\"echo\",\"data\":\"" + "s".repeat(1000) + "\",\"id\":1}";
        for (int i = 0; i < REPEAT / 3; i++) {
            try (StormingClient client = StormingClient.start(server.uri("/storm-slow"), large, null, 0)) {
                awaitWritten(client, 20_000);
                StormingClient.Closed closed = client.readUntilClose(CLOSE_WITHIN);
                assertThat(closed.code()).as("close code, repetition %d", i).isEqualTo(4005);
                assertHandshakeCompletes(client, closed, i);
            }
        }
    }

    @Test
    void aClientThatEndsItsStreamWithoutACloseFrameIsDroppedAtOnce() {
        // no heartbeat on /storm: only the end of the client's stream can end the connection here
        try (RawWebSocket client = RawWebSocket.connect(server.uri("/storm"))) {
            client.next(isEvent("connected"));
            client.endStream();
            assertThat(client.awaitEnd(END_WITHIN)).as("the server ends the connection after the client's end of stream")
                    .isTrue();
        }
    }

    @Test
    void shutdownClosesEveryStormingClientWith1001() throws Exception {
        for (int round = 0; round < 3; round++) {
            StandaloneRuntime.Server own = Servers.start(StormGateway.class);
            List<StormingClient> clients = new ArrayList<>();
            try {
                for (int c = 0; c < 10; c++) {
                    clients.add(StormingClient.quiet(URI.create(own.uri() + "/storm"), ECHO));
                }
                // every client reads from the moment it storms, as real clients do: the server cannot flush a close
                // frame to a client that does not read, and shutdown waits for no one for long
                List<java.util.concurrent.Future<Integer>> codes = new ArrayList<>();
                java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newCachedThreadPool();
                try {
                    for (StormingClient client : clients) {
                        client.startStorm();
                        codes.add(readers.submit(() -> {
                            StormingClient.Closed closed = client.readUntilClose(CLOSE_WITHIN);
                            client.answerCloseAndAwaitEnd(closed.code(), END_WITHIN);
                            return closed.code();
                        }));
                    }
                    // every client is storming once its frames are being answered
                    for (StormingClient client : clients) {
                        awaitWritten(client, 100);
                    }
                    Thread closer = new Thread(own::close, "shutdown");
                    closer.start();
                    for (int c = 0; c < codes.size(); c++) {
                        assertThat(codes.get(c).get(20, TimeUnit.SECONDS))
                                .as("close code of client %d, round %d", c, round).isEqualTo(1001);
                    }
                    closer.join(TimeUnit.SECONDS.toMillis(10));
                    assertThat(closer.isAlive()).as("shutdown finished").isFalse();
                } finally {
                    readers.shutdownNow();
                }
            } finally {
                for (StormingClient client : clients) {
                    client.close();
                }
                own.close();
            }
        }
    }

    /**
     * {@code repetitions} times: a client storms {@code path} with {@code storm} frames, with {@code trigger}
     * (if any) after 200 of them, and must read a close frame with {@code code}, after exactly
     * {@code echoesBefore} answers to its echoes when that is not negative, then complete the handshake.
     */
    private static void stormUntilClosed(int repetitions, String path, String storm, String trigger, int code,
                                         int echoesBefore) throws Exception {
        for (int i = 0; i < repetitions; i++) {
            try (StormingClient client = StormingClient.start(server.uri(path), storm, trigger, 200)) {
                StormingClient.Closed closed = client.readUntilClose(CLOSE_WITHIN);
                assertThat(closed.code()).as("close code, repetition %d", i).isEqualTo(code);
                if (echoesBefore >= 0) {
                    assertThat(closed.echoes()).as("answers to the frames before the trigger, repetition %d", i)
                            .isEqualTo(echoesBefore);
                }
                assertHandshakeCompletes(client, closed, i);
            }
        }
    }

    private static void awaitWritten(StormingClient client, int frames) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> client.framesWritten() >= frames);
    }

    private static void assertHandshakeCompletes(StormingClient client, StormingClient.Closed closed, int repetition)
            throws Exception {
        assertThat(client.answerCloseAndAwaitEnd(closed.code(), END_WITHIN))
                .as("the server ends the connection once the client's close frame arrives, repetition %d", repetition)
                .isTrue();
    }
}
