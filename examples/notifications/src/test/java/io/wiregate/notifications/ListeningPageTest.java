package io.wiregate.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.util.TypeLiteral;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Broadcaster;
import io.wiregate.tyrus.WiregateServer;

/**
 * The notifications page only listens: it never sends a frame after connecting. The server's pings keep it
 * connected past the heartbeat timeout (its browser, like this client, answers them with pongs), so it is not
 * closed with 4002 and reconnected every heartbeat period as it was before pings.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListeningPageTest {

    private static final long HEARTBEAT_MS = 800;
    private static WiregateServer server;

    @BeforeAll
    static void start() {
        // The example's own gateway, with its timings shortened so that a test can outlast them.
        System.setProperty("wiregate.notifications.heartbeat-timeout-ms", String.valueOf(HEARTBEAT_MS));
        System.setProperty("wiregate.notifications.ping-interval-ms", "200");
        server = WiregateServer.builder().port(0).beanClasses(NotificationsGateway.class).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        System.clearProperty("wiregate.notifications.heartbeat-timeout-ms");
        System.clearProperty("wiregate.notifications.ping-interval-ms");
    }

    @Test
    void aPageThatOnlyListensStaysConnectedPastTheHeartbeatTimeoutAndGetsNotifications() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket page = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(server.uri() + "/notifications?user=alice"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        received.add(data.toString());
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                        closed.complete(code);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            assertThat(received.poll(10, TimeUnit.SECONDS)).startsWith("{\"event\":\"connected\"");

            Duration listening = Duration.ofMillis(3 * HEARTBEAT_MS);
            await().during(listening).atMost(listening.plusSeconds(2)).until(() -> !closed.isDone());

            server.cdi().select(new TypeLiteral<Broadcaster<NotificationsGateway>>() { }).get()
                    .toUser("alice").emit("notification", "still listening");
            assertThat(received.poll(10, TimeUnit.SECONDS)).contains("still listening");
        } finally {
            page.abort();
        }
    }
}
