package io.wiregate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wiregate.client.TestGateways.Note;

/** on: typed listeners for server events, called off the WebSocket's I/O thread, in arrival order. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void typedListenerReceivesBroadcastsOffTheIoThread() throws Exception {
        WiregateClient listener = server.connect("/echo");
        WiregateClient speaker = server.connect("/echo");
        List<Note> notes = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        listener.on("shouted", Note.class, note -> {
            notes.add(note);
            threads.add(Thread.currentThread().getName());
        });
        listener.request("noop", null, Void.class).get(10, TimeUnit.SECONDS); // connected before the broadcast

        speaker.request("shout", new Note("all", "hello"), Void.class).get(10, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> notes.size() == 1);
        assertThat(notes).containsExactly(new Note("all", "hello"));
        assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("wiregate-client-events-")
                .doesNotContain("HttpClient").doesNotContain("SelectorManager"));
    }

    @Test
    void connectedListenerAndRequestCompletionsRunOnTheClientsSerialExecutor() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        WiregateClient client = server.track(server.builder("/echo").connect());
        client.onConnected(c -> threads.add(Thread.currentThread().getName()));
        String thread = client.request("echo", "x", String.class)
                .thenApply(x -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
        assertThat(thread).startsWith("wiregate-client-events-");
        await().atMost(WAIT).until(() -> threads.size() == 1);
        assertThat(threads.get(0)).startsWith("wiregate-client-events-");
    }

    @Test
    void listenersAreCalledInArrivalOrder() {
        WiregateClient client = server.connect("/echo");
        List<Integer> received = new CopyOnWriteArrayList<>();
        client.on("echo", Integer.class, received::add);
        for (int i = 0; i < 100; i++) {
            client.emit("echo", i); // no id: the reply is an event
        }
        await().atMost(WAIT).until(() -> received.size() == 100);
        assertThat(received).isEqualTo(IntStream.range(0, 100).boxed().toList());
    }

    @Test
    void closedSubscriptionIsNoLongerCalledAndAThrowingListenerDoesNotStopTheOthers() {
        WiregateClient client = server.connect("/echo");
        List<String> removed = new CopyOnWriteArrayList<>();
        List<String> kept = new CopyOnWriteArrayList<>();
        client.on("echo", String.class, s -> {
            throw new IllegalStateException("a listener's bug");
        });
        Subscription subscription = client.on("echo", String.class, removed::add);
        client.on("echo", String.class, kept::add);

        client.emit("echo", "first");
        await().atMost(WAIT).until(() -> kept.size() == 1);
        subscription.close();
        subscription.close(); // idempotent
        client.emit("echo", "second");
        await().atMost(WAIT).until(() -> kept.size() == 2);
        assertThat(removed).containsExactly("first");
        assertThat(kept).containsExactly("first", "second");
    }

    @Test
    void serverErrorsThatAnswerNoRequestGoToErrorListeners() {
        WiregateClient client = server.connect("/echo");
        List<JsonObject> errors = new CopyOnWriteArrayList<>();
        client.on("error", JsonObject.class, errors::add);
        client.emit("nobodyHandlesThis", Map.of());
        await().atMost(WAIT).until(() -> errors.size() == 1);
        assertThat(errors.get(0).getString("code")).isEqualTo("unknown_event");
    }

    @Test
    void stateEventNamesAreNotServerEvents() {
        WiregateClient client = server.connect("/echo");
        for (String name : List.of("connecting", "connected", "disconnected", "reconnecting")) {
            assertThatThrownBy(() -> client.on(name, Object.class, x -> { })).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
