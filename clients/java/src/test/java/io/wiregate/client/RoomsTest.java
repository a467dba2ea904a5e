package io.wiregate.client;

import static io.wiregate.client.RequestTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wiregate.client.TestGateways.Note;

/** join and leave (docs/protocol.md section 4), the remembered rooms, a room guard's refusal. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoomsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void joinedRoomsReceiveDeliveriesUntilLeft() throws Exception {
        WiregateClient member = server.connect("/echo");
        WiregateClient speaker = server.connect("/echo");
        List<String> said = new CopyOnWriteArrayList<>();
        member.on("said", Note.class, note -> said.add(note.text()));

        assertThat(member.join("topic", "other").get(10, TimeUnit.SECONDS)).containsExactly("topic", "other");
        assertThat(member.rooms()).containsExactly("topic", "other");
        assertThat(member.request("rooms", null, String[].class).get(10, TimeUnit.SECONDS)).containsExactly("other", "topic");

        speaker.request("say", new Note("topic", "one"), Void.class).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> said.contains("one"));

        assertThat(member.leave("topic").get(10, TimeUnit.SECONDS)).containsExactly("topic");
        assertThat(member.rooms()).containsExactly("other");
        speaker.request("say", new Note("topic", "two"), Void.class).get(10, TimeUnit.SECONDS);
        speaker.request("say", new Note("other", "three"), Void.class).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> said.contains("three"));
        assertThat(said).containsExactly("one", "three");
    }

    @Test
    void refusedRoomsFailTheJoinWithForbiddenAndTheAcceptedOnesAreRemembered() {
        WiregateClient client = server.connect("/echo");
        WiregateException e = failure(client.join("open-1", "private-1"));
        assertThat(e.code()).isEqualTo("forbidden");
        assertThat(e.getMessage()).contains("private-1");
        await().atMost(WAIT).until(() -> client.rooms().contains("open-1"));
        assertThat(client.rooms()).containsExactly("open-1");
    }

    @Test
    void invalidRoomNamesAreRefusedAtOnce() {
        WiregateClient client = server.connect("/echo");
        assertThatThrownBy(() -> client.join("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.join("bad\nroom")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(client::join).isInstanceOf(IllegalArgumentException.class);
        assertThat(client.rooms()).isEmpty();
    }
}
