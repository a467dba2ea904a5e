package io.wiregate.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.util.TypeLiteral;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Broadcaster;
import io.wiregate.client.WiregateClient;
import io.wiregate.test.Events;
import io.wiregate.test.Gateways;
import io.wiregate.test.WiregateTest;

/**
 * The notifications page only listens: it never sends a frame after connecting. The server's pings keep it
 * connected past the heartbeat timeout (its browser, like this client, answers them with pongs), so it is not
 * closed with 4002 and reconnected every heartbeat period as it was before pings. The example's own gateway runs,
 * with its timings shortened so that a test can outlast them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@WiregateTest(beanClasses = NotificationsGateway.class, properties = {
        "wiregate.notifications.heartbeat-timeout-ms=" + ListeningPageTest.HEARTBEAT_MS,
        "wiregate.notifications.ping-interval-ms=200"})
class ListeningPageTest {

    static final long HEARTBEAT_MS = 800;

    @Test
    void aPageThatOnlyListensStaysConnectedPastTheHeartbeatTimeoutAndGetsNotifications(Gateways gateways) {
        // No heartbeats: like the page between notifications, this client sends nothing at all.
        WiregateClient page = gateways.connect("/notifications?user=alice", options -> options.heartbeat(Duration.ZERO));
        Events<String> notifications = Events.of(page, "notification", String.class);

        Duration listening = Duration.ofMillis(3 * HEARTBEAT_MS);
        await().during(listening).atMost(listening.plusSeconds(2))
                .until(() -> page.state() == WiregateClient.State.CONNECTED);

        gateways.bean(new TypeLiteral<Broadcaster<NotificationsGateway>>() { })
                .toUser("alice").emit("notification", "still listening");
        assertThat(notifications.next()).isEqualTo("still listening");
    }
}
