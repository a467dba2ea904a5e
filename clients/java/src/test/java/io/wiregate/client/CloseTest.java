package io.wiregate.client;

import static io.wiregate.client.RequestTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** close(): 1000 for good, rejecting what waits, and everything after it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CloseTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void closeRejectsPendingRequestsAndEverythingAfter() throws Exception {
        TestGateways.slowRelease = new CountDownLatch(1);
        List<Disconnected> disconnected = new CopyOnWriteArrayList<>();
        WiregateClient client = server.connect("/echo");
        client.onDisconnected(disconnected::add);
        client.request("noop", null, Void.class).get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> pending = client.request("slow", null, Void.class, Duration.ofSeconds(30));

        client.close();
        client.close(); // idempotent

        assertThat(failure(pending).code()).isEqualTo(WiregateException.CLOSED);
        assertThat(client.state()).isEqualTo(WiregateClient.State.CLOSED);
        assertThat(client.id()).isNull();
        assertThatThrownBy(() -> client.emit("echo", 1)).isInstanceOfSatisfying(WiregateException.class,
                e -> assertThat(e.code()).isEqualTo(WiregateException.CLOSED));
        assertThat(failure(client.request("echo", 1, Integer.class)).code()).isEqualTo(WiregateException.CLOSED);
        assertThat(failure(client.join("room")).code()).isEqualTo(WiregateException.CLOSED);
        await().atMost(WAIT).until(() -> disconnected.size() == 1);
        assertThat(disconnected.get(0)).isEqualTo(new Disconnected(1000, "closed by the client", false));
    }

    @Test
    void closeWhileReconnectingRejectsBufferedFramesAndStopsReconnecting() throws Exception {
        List<Reconnecting> reconnecting = new CopyOnWriteArrayList<>();
        List<Disconnected> disconnected = new CopyOnWriteArrayList<>();
        WiregateClient client = server.track(WiregateClient.builder(URI.create("ws://127.0.0.1:" + freePort() + "/echo"))
                .reconnect(Duration.ofMillis(20), Duration.ofMillis(50)).connect());
        client.onReconnecting(reconnecting::add);
        client.onDisconnected(disconnected::add);
        await().atMost(WAIT).until(() -> reconnecting.size() >= 2);
        assertThat(disconnected).as("attempts that never opened are not disconnections").isEmpty();
        CompletableFuture<String> buffered = client.request("echo", "x", String.class);

        client.close();

        assertThat(failure(buffered).code()).isEqualTo(WiregateException.CLOSED);
        assertThat(client.state()).isEqualTo(WiregateClient.State.CLOSED);
        await().atMost(WAIT).until(() -> disconnected.size() == 1);
        assertThat(disconnected.get(0)).isEqualTo(new Disconnected(1000, "closed by the client", false));
        int attempts = reconnecting.size();
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> reconnecting.size() == attempts);
    }

    @Test
    void withoutReconnectAFailedFirstAttemptClosesTheClient() throws Exception {
        List<Disconnected> disconnected = new CopyOnWriteArrayList<>();
        WiregateClient client = server.track(WiregateClient.builder(URI.create("ws://127.0.0.1:" + freePort() + "/echo"))
                .noReconnect().connect());
        client.onDisconnected(disconnected::add);
        CompletableFuture<String> buffered = client.request("echo", "x", String.class);
        assertThat(failure(buffered).code()).isEqualTo(WiregateException.CLOSED);
        await().atMost(WAIT).until(() -> disconnected.size() == 1);
        assertThat(disconnected.get(0).code()).isEqualTo(1006);
        assertThat(disconnected.get(0).willReconnect()).isFalse();
        assertThat(client.state()).isEqualTo(WiregateClient.State.CLOSED);
    }

    /** A port nothing listens on (bound a moment ago, then released). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
