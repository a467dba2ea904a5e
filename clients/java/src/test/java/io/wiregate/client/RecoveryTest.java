package io.wiregate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wiregate.client.TestGateways.Credentials;
import io.wiregate.client.TestGateways.Push;
import io.wiregate.testing.TcpProxy;

/**
 * Connection state recovery (docs/protocol.md section 9) as the client does it by itself: a connection cut in the
 * middle of a burst (a TCP reset through a proxy, no close frame) is followed by a reconnect that presents the
 * session, and the application sees the same client id, {@code recovered}, and every event exactly once, in order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final TestServer server = new TestServer();

    /** An event's payload. */
    public record Item(int seq) {
    }

    @Test
    void aConnectionCutMidBurstIsResumedWithEveryEventExactlyOnceAndInOrder() throws Exception {
        int total = 40;
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<Connected> connected = new CopyOnWriteArrayList<>();
        try (TcpProxy proxy = new TcpProxy(server.uri("/").getPort())) {
            WiregateClient member = server.track(WiregateClient.builder(URI.create("ws://127.0.0.1:" + proxy.port() + "/recovery"))
                    .reconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                    .auth(() -> new Credentials("good-rita")).connect());
            member.onConnected(connected::add); // the first connect may come before this: it is not counted on
            member.on("item", Item.class, item -> seen.add(item.seq()));
            await().atMost(WAIT).until(() -> member.state() == WiregateClient.State.CONNECTED);
            String firstId = member.id();
            assertThat(member.join("news").get(10, TimeUnit.SECONDS)).containsExactly("news");
            WiregateClient sender = server.track(server.builder("/recovery").auth(() -> new Credentials("good-sam")).connect());

            List<java.util.concurrent.CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                sent.add(sender.request("toRoom", new Push("news", i), Void.class));
                if (i == 10) {
                    await().atMost(WAIT).until(() -> !seen.isEmpty());
                    proxy.cut(); // mid-burst: part of it reached the member, the rest goes nowhere
                }
            }
            java.util.concurrent.CompletableFuture.allOf(sent.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(10, TimeUnit.SECONDS);

            await().atMost(WAIT).until(() -> seen.size() >= total && connected.stream().anyMatch(Connected::recovered));
            Connected resumed = connected.get(connected.size() - 1);
            assertThat(resumed.recovered()).isTrue();
            assertThat(resumed.id()).isEqualTo(firstId);
            assertThat(resumed.rooms()).containsExactly("news");
            assertThat(member.id()).isEqualTo(firstId);
            sender.request("toRoom", new Push("news", total), Void.class).get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> seen.size() == total + 1);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i <= total; i++) {
                expected.add(i);
            }
            assertThat(seen).containsExactlyElementsOf(expected);
            assertThat(proxy.connections()).isEqualTo(2);
        }
    }

    @Test
    void aClientWhoseServerRestartedIsToldItsSessionWasNotRecovered() {
        List<Connected> connected = new CopyOnWriteArrayList<>();
        WiregateClient member = server.track(server.builder("/recovery")
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                .auth(() -> new Credentials("good-rita")).connect());
        member.onConnected(connected::add); // the first connect may come before this: it is not counted on
        await().atMost(WAIT).until(() -> member.state() == WiregateClient.State.CONNECTED);
        String firstId = member.id();

        server.stop(); // the history of the first run is gone with it
        server.start();

        await().atMost(WAIT).until(() -> connected.stream().anyMatch(c -> !c.id().equals(firstId)));
        Connected again = connected.get(connected.size() - 1);
        assertThat(again.recovered()).isFalse();
        assertThat(again.id()).isNotEqualTo(firstId);
    }
}
