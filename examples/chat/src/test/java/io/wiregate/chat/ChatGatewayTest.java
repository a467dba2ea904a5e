package io.wiregate.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.wiregate.tyrus.WiregateServer;

/** The chat over real sockets: an in-process server on a free port, two java.net.http clients. */
class ChatGatewayTest {

    private static final long TIMEOUT_S = 5;

    private WiregateServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = WiregateServer.builder().port(0).beanClasses(ChatGateway.class, StaffRoomGuard.class,
                ConnectionLog.class, ShoutingFilter.class).start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void membersOfARoomReceiveMessagesAndTyping() throws Exception {
        Client alice = login("alice");
        Client bob = login("bob");
        alice.send("{\"event\":\"join\",\"data\":{\"rooms\":[\"lobby\"]}}");
        bob.send("{\"event\":\"join\",\"data\":{\"rooms\":[\"lobby\"]}}");
        assertThat(alice.next("joined").getJsonObject("data").getJsonArray("rooms").getString(0)).isEqualTo("lobby");
        assertThat(bob.next("joined").getJsonObject("data").getJsonArray("rooms").getString(0)).isEqualTo("lobby");

        alice.send("{\"event\":\"message\",\"data\":{\"room\":\"lobby\",\"text\":\"hello bob\"}}");
        for (Client c : new Client[] {alice, bob}) {
            JsonObject message = c.next("message").getJsonObject("data");
            assertThat(message.getString("room")).isEqualTo("lobby");
            assertThat(message.getString("from")).isEqualTo("alice");
            assertThat(message.getString("text")).isEqualTo("hello bob");
            assertThat(message.getJsonNumber("time").longValue()).isPositive();
        }

        bob.send("{\"event\":\"typing\",\"data\":{\"room\":\"lobby\"}}");
        JsonObject typing = alice.next("typing").getJsonObject("data");
        assertThat(typing.getString("from")).isEqualTo("bob");
        assertThat(typing.getString("room")).isEqualTo("lobby");

        alice.send("{\"event\":\"message\",\"data\":{\"room\":\"lobby\",\"text\":\"  \"},\"id\":7}");
        JsonObject error = alice.next("error");
        assertThat(error.getJsonObject("data").getString("code")).isEqualTo("validation");
        assertThat(error.getInt("id")).isEqualTo(7);
    }

    @Test
    void privateRoomsAreForStaffOnly() throws Exception {
        Client guest = login("guest");
        guest.send("{\"event\":\"join\",\"data\":{\"rooms\":[\"private-ops\",\"lobby\"]},\"id\":\"j1\"}");
        JsonObject refused = guest.next("error");
        assertThat(refused.getString("id")).isEqualTo("j1");
        assertThat(refused.getJsonObject("data").getString("code")).isEqualTo("forbidden");
        assertThat(refused.getJsonObject("data").getString("message")).contains("private-ops");
        assertThat(guest.next("joined").getJsonObject("data").getJsonArray("rooms").getString(0)).isEqualTo("lobby");

        Client staff = login("staff-ann");
        staff.send("{\"event\":\"join\",\"data\":{\"rooms\":[\"private-ops\"]},\"id\":\"j2\"}");
        assertThat(staff.next("joined").getString("id")).isEqualTo("j2");
    }

    @Test
    void shoutedMessagesAreRefusedByThePacketInterceptor() throws Exception {
        Client alice = login("alice");
        alice.send("{\"event\":\"join\",\"data\":{\"rooms\":[\"lobby\"]}}");
        alice.next("joined");
        alice.send("{\"event\":\"message\",\"data\":{\"room\":\"lobby\",\"text\":\"HELLO EVERYONE\"},\"id\":\"m1\"}");
        JsonObject refused = alice.next("error");
        assertThat(refused.getString("id")).isEqualTo("m1");
        assertThat(refused.getJsonObject("data").getString("code")).isEqualTo("forbidden");
        alice.send("{\"event\":\"message\",\"data\":{\"room\":\"lobby\",\"text\":\"hello everyone\"}}");
        assertThat(alice.next("message").getJsonObject("data").getString("text")).isEqualTo("hello everyone");
    }

    @Test
    void anInvalidNameIsClosedWith4003() throws Exception {
        Client mallory = connect();
        mallory.send("{\"event\":\"authenticate\",\"data\":{\"name\":\"not a valid name!\"}}");
        assertThat(mallory.closed.get(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo(4003);
    }

    private Client login(String name) throws Exception {
        Client c = connect();
        c.send("{\"event\":\"authenticate\",\"data\":{\"name\":\"" + name + "\"}}");
        assertThat(c.next("connected").getJsonObject("data").getString("userId")).isEqualTo(name);
        return c;
    }

    private Client connect() throws Exception {
        Client c = new Client();
        c.socket = http.newWebSocketBuilder().buildAsync(URI.create(server.uri() + "/chat"), c)
                .get(TIMEOUT_S, TimeUnit.SECONDS);
        return c;
    }

    /** Collects the frames of one connection; every wait is bounded. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        void send(String frame) throws Exception {
            socket.sendText(frame, true).get(TIMEOUT_S, TimeUnit.SECONDS);
        }

        /** The next frame of this event, skipping others (presence announcements and the like). */
        JsonObject next(String event) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (true) {
                JsonObject frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertThat(frame).as("a '%s' frame within %d s", event, TIMEOUT_S).isNotNull();
                if (frame.getString("event").equals(event)) {
                    return frame;
                }
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(Json.createReader(new StringReader(partial.toString())).readObject());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
