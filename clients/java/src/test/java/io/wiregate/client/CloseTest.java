package io.wiregate.client;

import static io.wiregate.client.RequestTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
    void closeBeforeConnectedRejectsBufferedRequests() {
        WiregateClient client = server.track(server.builder("/echo").connect());
        CompletableFuture<String> buffered = client.request("echo", "x", String.class);
        client.close();
        WiregateException e = failure(buffered);
        // Either it was still buffered (closed) or already answered: the connection may have been that fast.
        assertThat(e.code()).isEqualTo(WiregateException.CLOSED);
        assertThat(client.state()).isEqualTo(WiregateClient.State.CLOSED);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> client.state() == WiregateClient.State.CLOSED);
    }
}
