package io.wiregate.client;

import static io.wiregate.client.RequestTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wiregate.client.TestGateways.Credentials;

/** In-band authentication (docs/protocol.md section 4) and the final close 4003. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void credentialsAuthenticateTheConnection() throws Exception {
        List<Connected> connected = new CopyOnWriteArrayList<>();
        WiregateClient client = server.track(server.builder("/secure").auth(new Credentials("good-alice")).connect());
        client.onConnected(connected::add);
        @SuppressWarnings("unchecked")
        Map<String, String> whoami = client.request("whoami", null, Map.class).get(10, TimeUnit.SECONDS);

        assertThat(whoami).containsEntry("userId", "alice");
        assertThat(client.userId()).isEqualTo("alice");
        assertThat(whoami.get("clientId")).isEqualTo(client.id());
        await().atMost(WAIT).until(() -> connected.size() == 1);
        assertThat(connected.get(0).userId()).isEqualTo("alice");
        assertThat(connected.get(0).id()).isEqualTo(client.id());
        assertThat(connected.get(0).time()).isPositive();
    }

    @Test
    void freshCredentialsRefreshTheIdentityWithoutReconnecting() throws Exception {
        WiregateClient client = server.track(server.builder("/secure").auth(new Credentials("good-alice")).connect());
        client.request("whoami", null, Object.class).get(10, TimeUnit.SECONDS);
        String id = client.id();

        assertThat(client.request("authenticate", new Credentials("good-alice"), Void.class).get(10, TimeUnit.SECONDS))
                .isNull(); // the ack
        var refused = client.request("authenticate", new Credentials("bad"), Void.class);

        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(WiregateException.class)
                .cause().extracting(e -> ((WiregateException) e).code()).isEqualTo("unauthorized");
        assertThat(client.id()).isEqualTo(id);
        assertThat(client.state()).isEqualTo(WiregateClient.State.CONNECTED);
    }

    @Test
    void credentialsMayComeFromASupplierReturningAFuture() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        WiregateClient client = server.track(server.builder("/secure")
                .auth(() -> CompletableFuture.supplyAsync(() -> Map.of("token", "good-bob" + calls.incrementAndGet())))
                .connect());
        client.request("whoami", null, Object.class).get(10, TimeUnit.SECONDS);
        assertThat(client.userId()).isEqualTo("bob1");
    }

    @Test
    void refusedCredentialsCloseWith4003ForGood() {
        List<Disconnected> disconnected = new CopyOnWriteArrayList<>();
        List<Reconnecting> reconnecting = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        WiregateClient client = server.track(server.builder("/secure")
                .reconnect(Duration.ofMillis(20), Duration.ofMillis(50))
                .auth(() -> {
                    calls.incrementAndGet();
                    return new Credentials("bad");
                })
                .connect());
        client.onDisconnected(disconnected::add);
        client.onReconnecting(reconnecting::add);
        CompletableFuture<Object> waiting = client.request("whoami", null, Object.class);

        WiregateException e = failure(waiting);
        assertThat(e.code()).isEqualTo(WiregateException.CLOSED);
        await().atMost(WAIT).until(() -> disconnected.size() == 1);
        assertThat(disconnected.get(0).code()).isEqualTo(4003);
        assertThat(disconnected.get(0).willReconnect()).isFalse();
        assertThat(client.state()).isEqualTo(WiregateClient.State.CLOSED);

        // No second attempt: the state stays CLOSED and the supplier is not called again.
        await().during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> client.state() == WiregateClient.State.CLOSED && calls.get() == 1 && reconnecting.isEmpty());
        assertThatThrownBy(() -> client.emit("whoami", null)).isInstanceOfSatisfying(WiregateException.class,
                x -> assertThat(x.code()).isEqualTo(WiregateException.CLOSED));
        assertThat(failure(client.request("whoami", null, Object.class)).code()).isEqualTo(WiregateException.CLOSED);
    }

    @Test
    void applicationEventsWaitForConnectedOnAuthenticatingGateways() throws Exception {
        WiregateClient client = server.track(server.builder("/secure").auth(Map.of("token", "good-carol")).connect());
        client.emit("say", Map.of("room", "nowhere", "text", "early")); // buffered until connected: no unauthorized
        List<Object> errors = new CopyOnWriteArrayList<>();
        client.on("error", Object.class, errors::add);
        client.request("whoami", null, Object.class).get(10, TimeUnit.SECONDS);
        assertThat(errors).isEmpty();
    }
}
