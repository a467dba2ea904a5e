package io.wiregate.client;

import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wiregate.client.TestGateways.Credentials;
import io.wiregate.client.TestGateways.Push;
import io.wiregate.testing.RawWebSocket;

/**
 * Encryption (docs/protocol.md section 12) against a real server: the client's key rides on {@code authenticate},
 * every frame after {@code connected} is sealed both ways, deliveries reach sealed clients each with their own keys,
 * and a reconnect makes a new handshake. The server closes with 4004 on any frame from the client that is not sealed
 * as it expects, so each answer proves the client sealed its request, and each event read proves it opened one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EncryptionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = new TestServer();

    private WiregateClient sealed(String user) {
        return server.track(server.builder("/sealed").auth(new Credentials("good-" + user)).encryption()
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(200)).connect());
    }

    @Test
    void requestsAndRepliesGoSealedBothWays() throws Exception {
        WiregateClient client = sealed("ann");
        JsonObject data = Json.createObjectBuilder().add("text", "h\u00e9llo \u20ac").build();

        assertThat(client.request("echo", data, JsonObject.class).get(10, TimeUnit.SECONDS)).isEqualTo(data);
        assertThat(client.userId()).isEqualTo("ann");
    }

    @Test
    void aDeliveryToARoomReachesEverySealedMember() throws Exception {
        WiregateClient a = sealed("ann");
        WiregateClient b = sealed("bob");
        List<Object> gotA = new CopyOnWriteArrayList<>();
        List<Object> gotB = new CopyOnWriteArrayList<>();
        a.on("item", JsonObject.class, gotA::add);
        b.on("item", JsonObject.class, gotB::add);
        a.join("r").get(10, TimeUnit.SECONDS);
        b.join("r").get(10, TimeUnit.SECONDS);

        a.request("toRoom", new Push("r", 7), Void.class).get(10, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> gotA.size() == 1 && gotB.size() == 1);
        assertThat(((JsonObject) gotA.get(0)).getInt("seq")).isEqualTo(7);
        assertThat(((JsonObject) gotB.get(0)).getInt("seq")).isEqualTo(7);
    }

    @Test
    void aReconnectMakesANewHandshake() throws Exception {
        WiregateClient client = sealed("cy");
        client.request("echo", "first", String.class).get(10, TimeUnit.SECONDS);
        List<Connected> connected = new CopyOnWriteArrayList<>();
        client.onConnected(connected::add);

        server.stop();
        server.start();

        await().atMost(WAIT).until(() -> connected.size() == 1);
        assertThat(client.request("echo", "again", String.class).get(10, TimeUnit.SECONDS)).isEqualTo("again");
    }

    @Test
    void theGatewayRefusesAClientThatDoesNotSeal() {
        try (RawWebSocket raw = RawWebSocket.connect(server.uri("/sealed"))) {
            raw.send("authenticate", Json.createObjectBuilder().add("token", "good-dan").build(), "a");
            assertThat(raw.awaitClose()).as("an authenticate without publicKey").isEqualTo(4004);
            assertThat(raw.received()).noneMatch(isEvent("connected"));
        }
        assertThatThrownBy(() -> server.builder("/sealed").encryption().connect())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("auth");
    }
}
