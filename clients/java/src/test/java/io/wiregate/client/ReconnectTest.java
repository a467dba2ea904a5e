package io.wiregate.client;

import static io.wiregate.client.RequestTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wiregate.client.TestGateways.Credentials;
import io.wiregate.client.TestGateways.Note;

/**
 * Reconnecting after the server restarts on the same port: backoff, re-authentication, re-join before the buffered
 * frames, the bounded buffer, and requests lost with the connection.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReconnectTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration MIN = Duration.ofMillis(50);
    private static final Duration MAX = Duration.ofMillis(400);

    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void afterARestartTheClientAuthenticatesAgainRejoinsItsRoomsThenSendsWhatWaited() throws Exception {
        AtomicInteger authentications = new AtomicInteger();
        List<Connected> connected = new CopyOnWriteArrayList<>();
        List<Disconnected> disconnected = new CopyOnWriteArrayList<>();
        List<Reconnecting> reconnecting = new CopyOnWriteArrayList<>();
        List<String> said = new CopyOnWriteArrayList<>();
        WiregateClient member = server.track(server.builder("/secure").reconnect(MIN, MAX)
                .auth(() -> new Credentials("good-alice" + authentications.incrementAndGet()))
                .connect());
        member.onConnected(connected::add);
        member.onDisconnected(disconnected::add);
        member.onReconnecting(reconnecting::add);
        member.on("said", Note.class, note -> said.add(note.text()));
        assertThat(member.join("lobby").get(10, TimeUnit.SECONDS)).containsExactly("lobby");
        String firstId = member.id();
        assertThat(member.userId()).isEqualTo("alice1");

        server.stop();
        await().atMost(WAIT).until(() -> !disconnected.isEmpty());
        assertThat(disconnected.get(0)).isEqualTo(new Disconnected(1001, disconnected.get(0).reason(), true));
        await().atMost(WAIT).until(() -> reconnecting.size() >= 2); // attempts fail while the server is down
        assertThat(member.state()).isIn(WiregateClient.State.RECONNECTING, WiregateClient.State.CONNECTING);
        CompletableFuture<String[]> roomsAfterReconnect = member.request("rooms", null, String[].class, WAIT);

        server.start();
        await().atMost(WAIT).until(() -> connected.size() == 2);
        assertThat(authentications).as("the supplier is called again").hasValue(2);
        assertThat(member.userId()).isEqualTo("alice2");
        assertThat(member.id()).isNotEqualTo(firstId);
        assertThat(member.rooms()).containsExactly("lobby");
        assertThat(roomsAfterReconnect.get(10, TimeUnit.SECONDS)).as("the re-join went before the buffered request")
                .containsExactly("lobby");

        WiregateClient speaker = server.track(server.builder("/secure").auth(new Credentials("good-bob")).connect());
        speaker.request("say", new Note("lobby", "after the restart"), Void.class).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> said.contains("after the restart"));

        for (Reconnecting r : reconnecting) { // jittered: between half and all of min(max, min * 2^(attempt - 1))
            long ceiling = Math.min(MAX.toMillis(), MIN.toMillis() << Math.min(r.attempt() - 1, 20));
            assertThat(r.delay().toMillis()).as("attempt " + r.attempt()).isBetween(ceiling / 2, ceiling);
        }
        assertThat(reconnecting).extracting(Reconnecting::attempt)
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, reconnecting.size()).boxed().toList());
    }

    @Test
    void framesWaitWhileDisconnectedUpToTheBufferSize() throws Exception {
        List<Integer> echoes = new CopyOnWriteArrayList<>();
        WiregateClient client = server.track(server.builder("/echo").reconnect(MIN, MAX).bufferSize(3).connect());
        client.on("echo", Integer.class, echoes::add);
        client.request("noop", null, Void.class).get(10, TimeUnit.SECONDS);

        server.stop();
        await().atMost(WAIT).until(() -> client.state() != WiregateClient.State.CONNECTED);
        client.emit("echo", 1);
        client.emit("echo", 2);
        CompletableFuture<Integer> request = client.request("echo", 3, Integer.class, WAIT);
        assertThatThrownBy(() -> client.emit("echo", 4)).isInstanceOfSatisfying(WiregateException.class,
                e -> assertThat(e.code()).isEqualTo(WiregateException.BUFFER_FULL));
        assertThat(failure(client.request("echo", 5, Integer.class)).code()).isEqualTo(WiregateException.BUFFER_FULL);

        server.start();
        assertThat(request.get(20, TimeUnit.SECONDS)).isEqualTo(3);
        await().atMost(WAIT).until(() -> echoes.size() == 2);
        assertThat(echoes).containsExactly(1, 2);
    }

    @Test
    void requestsSentBeforeADropFailWithDisconnected() throws Exception {
        TestGateways.slowRelease = new CountDownLatch(1);
        WiregateClient client = server.connect("/echo");
        client.onDisconnected(d -> TestGateways.slowRelease.countDown());
        client.request("noop", null, Void.class).get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> sent = client.request("slow", null, Void.class, WAIT);

        server.stop();
        assertThat(failure(sent).code()).isEqualTo(WiregateException.DISCONNECTED);
        server.start();
        assertThat(client.request("echo", "back", String.class, WAIT).get(20, TimeUnit.SECONDS)).isEqualTo("back");
    }
}
