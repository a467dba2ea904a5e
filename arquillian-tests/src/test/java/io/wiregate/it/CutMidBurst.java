package io.wiregate.it;

import static io.wiregate.test.Gateways.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.wiregate.client.Connected;
import io.wiregate.client.WiregateClient;
import io.wiregate.it.app.FeedGateway;
import io.wiregate.testing.TcpProxy;

/**
 * docs/protocol.md section 9 against a deployed {@link FeedGateway}: a client whose connection is cut (a TCP reset
 * through a proxy) in the middle of a burst reconnects by itself, resumes its session, and has every event once, in
 * order. Shared by the test of a WAR alone and that of a WAR on Redis (its history on a Redis Stream).
 */
final class CutMidBurst {

    /** An {@code item}'s payload. */
    public record Item(int seq) {
    }

    private CutMidBurst() {
    }

    /** Runs the scenario against the gateway at {@code feed} ({@code ws://127.0.0.1:PORT/context/feed}). */
    static void resumesWithEveryEventOnceInOrder(URI feed) throws Exception {
        try (TcpProxy proxy = new TcpProxy(feed.getPort())) {
            URI viaProxy = URI.create(feed.toString().replaceFirst(":" + feed.getPort() + "/", ":" + proxy.port() + "/"));
            List<Connected> connected = new CopyOnWriteArrayList<>();
            List<Integer> seen = new CopyOnWriteArrayList<>();
            try (WiregateClient member = WiregateClient.builder(viaProxy).requestTimeout(Clients.WAIT)
                    .reconnect(Duration.ofMillis(50), Duration.ofMillis(200)).connect();
                 WiregateClient sender = Clients.connect(feed)) {
                member.onConnected(connected::add); // the first connect may come before this: it is not counted on
                member.on("item", Item.class, item -> seen.add(item.seq()));
                String firstId = io.wiregate.test.Gateways.awaitConnected(member).id();
                assertThat(await(member.join("feed-room"))).containsExactly("feed-room");
                int total = 40;
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    sent.add(sender.request("push", new FeedGateway.Push("feed-room", i), Void.class));
                    if (i == 10) {
                        Awaitility.await().atMost(Clients.WAIT).until(() -> !seen.isEmpty());
                        proxy.cut();
                    }
                }
                await(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)));
                try {
                    Awaitility.await().atMost(Clients.WAIT)
                            .until(() -> seen.size() >= total && connected.stream().anyMatch(c -> !c.id().equals(firstId) || c.recovered()));
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("connected " + connected + ", seen " + seen, e);
                }
                Connected resumed = connected.get(connected.size() - 1);
                assertThat(resumed.recovered()).isTrue();
                assertThat(resumed.id()).isEqualTo(firstId);
                assertThat(seen).containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
            }
        }
    }
}
