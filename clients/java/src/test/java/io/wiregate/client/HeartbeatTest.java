package io.wiregate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Heartbeats against a gateway with a 1 s heartbeat timeout and no server pings (docs/protocol.md section 6, 4002):
 * the client's heartbeats keep an idle connection open; without them it is closed with 4002.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeartbeatTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void heartbeatsKeepAnIdleConnectionOpenPastTheHeartbeatTimeout() throws Exception {
        List<Disconnected> disconnected = new CopyOnWriteArrayList<>();
        List<Connected> connected = new CopyOnWriteArrayList<>();
        WiregateClient client = server.track(server.builder("/pulse").heartbeat(Duration.ofMillis(400)).connect());
        client.onDisconnected(disconnected::add);
        client.onConnected(connected::add);
        String id = client.request("echo", "x", String.class).thenApply(x -> client.id()).get(10, TimeUnit.SECONDS);

        await().during(Duration.ofMillis(2500)).atMost(WAIT)
                .until(() -> disconnected.isEmpty() && client.state() == WiregateClient.State.CONNECTED);
        assertThat(client.id()).as("the same connection").isEqualTo(id);
        assertThat(client.request("echo", "y", String.class).get(10, TimeUnit.SECONDS)).isEqualTo("y");
    }

    @Test
    void withoutHeartbeatsAnIdleConnectionIsClosedWith4002AndTheClientReconnects() {
        List<Disconnected> disconnected = new CopyOnWriteArrayList<>();
        List<Connected> connected = new CopyOnWriteArrayList<>();
        WiregateClient client = server.track(server.builder("/pulse").heartbeat(Duration.ZERO)
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(100)).connect());
        client.onDisconnected(disconnected::add);
        client.onConnected(connected::add);

        await().atMost(WAIT).until(() -> !disconnected.isEmpty());
        assertThat(disconnected.get(0).code()).isEqualTo(4002);
        assertThat(disconnected.get(0).willReconnect()).isTrue();
        await().atMost(WAIT).until(() -> connected.size() >= 2);
    }

    @Test
    void withoutReconnectAClosedConnectionLeavesTheClientClosed() {
        List<Disconnected> disconnected = new CopyOnWriteArrayList<>();
        WiregateClient client = server.track(server.builder("/pulse").heartbeat(Duration.ZERO).noReconnect().connect());
        client.onDisconnected(disconnected::add);
        await().atMost(WAIT).until(() -> client.state() == WiregateClient.State.CLOSED);
        await().atMost(WAIT).until(() -> disconnected.size() == 1);
        assertThat(disconnected.get(0)).isEqualTo(new Disconnected(4002, disconnected.get(0).reason(), false));
    }
}
