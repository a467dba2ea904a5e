package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.hasId;
import static io.wiregate.testing.Wire.isEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcaster;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.OnClose;
import io.wiregate.OnEvent;
import io.wiregate.Peer;
import io.wiregate.testing.RawWebSocket;

/**
 * docs/protocol.md section 9, connection state recovery, over real sockets: a client cut off mid-burst (its TCP
 * connection dropped, no close frame) comes back with its token and last offset and gets its client id, user and
 * rooms, and every event it missed exactly once and in order, before any new one; anything that cannot be served
 * exactly (another user, a used token, an expired window, a trimmed history, malformed parameters) gets a fresh
 * session with {@code recovered: false}. Runs on both standalone runtimes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecoveryProtocolTest {

    static final long WINDOW_MS = 1500;
    static final int MAX_EVENTS = 60;

    /** A room delivery: {@code item} with {@code {"seq": seq}} to {@code room}. */
    public record Push(String room, int seq) {
    }

    /** Handshake authentication ({@code ?token=good-USER}), recovery with a short window and a small history. */
    @Gateway(value = "/resume", auth = Auth.HANDSHAKE, heartbeatTimeoutMs = 0, recovery = true,
            recoveryWindowMs = WINDOW_MS, recoveryMaxEvents = MAX_EVENTS)
    public static class ResumeGateway {

        /** The client ids whose connections closed, as {@code @OnClose} saw them. */
        static final Set<String> CLOSED = ConcurrentHashMap.newKeySet();

        @Inject
        Broadcaster<ResumeGateway> push;

        @OnClose
        void closed(Peer peer) {
            CLOSED.add(peer.id());
        }

        @Authenticate
        Identity authenticate(HandshakeRequest request) {
            String token = request.queryParameter("token");
            return token != null && token.startsWith("good-") ? Identity.of(token.substring(5)) : null;
        }

        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }

        @OnEvent("toRoom")
        void toRoom(Push p) {
            push.toRoom(p.room()).emit("item", Map.of("seq", p.seq()));
        }

        @OnEvent("toClient")
        void toClient(JsonObject p) {
            push.toClient(p.getString("clientId")).emit("direct", Map.of("seq", p.getInt("seq")));
        }

        @OnEvent("toUser")
        void toUser(JsonObject p) {
            push.toUser(p.getString("userId")).emit("personal", Map.of("seq", p.getInt("seq")));
        }

        @OnEvent("volatileToRoom")
        void volatileToRoom(Push p) {
            push.toRoom(p.room()).emitVolatile("typing", Map.of("seq", p.seq()));
        }
    }

    /** In-band authentication ({@code {"token": "good-USER"}}) with recovery. */
    @Gateway(value = "/resume-inband", auth = Auth.MESSAGE, heartbeatTimeoutMs = 0, recovery = true)
    public static class InBandResumeGateway {

        @Inject
        Broadcaster<InBandResumeGateway> push;

        @Authenticate
        Identity authenticate(JsonObject credentials) {
            String token = credentials.getString("token", "");
            return token.startsWith("good-") ? Identity.of(token.substring(5)) : null;
        }

        @OnEvent("toRoom")
        void toRoom(Push p) {
            push.toRoom(p.room()).emit("item", Map.of("seq", p.seq()));
        }
    }

    @RegisterExtension
    static final TestServer server = new TestServer(ResumeGateway.class, InBandResumeGateway.class);

    /** A connected client of {@code /resume} and what {@code connected} told it. */
    private record Client(RawWebSocket ws, JsonObject connected) {
        String id() {
            return connected.getString("id");
        }

        String session() {
            return connected.getString("session");
        }

        String offset() {
            return connected.getString("offset");
        }

        boolean recovered() {
            return connected.getBoolean("recovered");
        }
    }

    @Test
    void aFreshConnectionGetsASessionTokenAnOffsetAndRecoveredFalse() {
        Client a = connect("good-" + user(), "");

        assertThat(a.recovered()).isFalse();
        assertThat(a.session()).matches("[A-Za-z0-9_-]{22,128}");
        assertThat(a.offset()).matches("[A-Za-z0-9_.:-]{1,128}");
        assertThat(a.connected().getJsonArray("rooms")).isEmpty();
    }

    @Test
    void recoverableEventsCarryAnOffsetWhileRepliesAcksJoinedErrorsAndVolatileEventsDoNot() {
        Client a = connect("good-" + user(), "");
        String room = room();
        a.ws().send("join", Json.createObjectBuilder().add("rooms", Json.createArrayBuilder().add(room)).build(), "j");

        assertThat(a.ws().next(hasId("j")).containsKey("offset")).isFalse();
        a.ws().send("echo", Json.createValue(1), "e");
        assertThat(a.ws().next(hasId("e")).containsKey("offset")).as("a reply").isFalse();
        a.ws().send("volatileToRoom", push(room, 1), "v");
        JsonObject typing = a.ws().next(isEvent("typing"));
        assertThat(typing.containsKey("offset")).as("a volatile event").isFalse();
        assertThat(a.ws().next(hasId("v")).containsKey("offset")).as("an ack").isFalse();
        a.ws().send("noSuchEvent", JsonValue.NULL, "x");
        assertThat(a.ws().next(hasId("x")).containsKey("offset")).as("an error").isFalse();
        a.ws().send("toRoom", push(room, 2), "r");
        assertThat(a.ws().next(isEvent("item")).getString("offset")).matches("[A-Za-z0-9_.:-]{1,128}");
    }

    @Test
    void aClientCutOffMidBurstResumesWithEveryMissedEventExactlyOnceAndInOrderBeforeNewOnes() {
        String user = user();
        String room = room();
        Client a = connect("good-" + user, "");
        join(a, room);
        Client b = connect("good-" + user(), "");

        int total = 30;
        for (int i = 0; i < total; i++) {
            b.ws().send("toRoom", push(room, i), "p" + i);
        }
        List<Integer> seen = new ArrayList<>();
        String last = a.offset();
        for (int i = 0; i < 5; i++) {
            JsonObject item = a.ws().next(isEvent("item"));
            seen.add(seq(item));
            last = item.getString("offset");
        }
        a.ws().abort(); // TCP gone, no close frame: the server learns of it by itself
        b.ws().next(hasId("p" + (total - 1))); // the whole burst is delivered (or recorded) by now

        Client resumed = connect("good-" + user, resume(a.session(), last));
        b.ws().send("toRoom", push(room, total), "after");

        assertThat(resumed.recovered()).isTrue();
        assertThat(resumed.id()).isEqualTo(a.id());
        assertThat(resumed.connected().getString("userId")).isEqualTo(user);
        assertThat(resumed.connected().getJsonArray("rooms").getValuesAs(jakarta.json.JsonString::getString))
                .containsExactly(room);
        assertThat(resumed.session()).isNotEqualTo(a.session());
        assertThat(resumed.offset()).isEqualTo(last);
        String previous = last;
        while (seen.size() < total + 1) {
            JsonObject item = resumed.ws().next(isEvent("item"));
            assertThat(item.getString("offset")).isNotEqualTo(previous);
            previous = item.getString("offset");
            seen.add(seq(item));
        }
        assertThat(seen).as("every event once, in order, the one sent after the resume last")
                .containsExactlyElementsOf(range(total + 1));
        assertThat(resumed.ws().sync()).noneMatch(isEvent("item"));
    }

    @Test
    void eventsSentWhileTheSessionResumesReachItExactlyOnceWhetherReplayedOrLive() {
        for (int round = 0; round < 20; round++) {
            Away away = awayFromARoom(); // its only member: the room is gone from the registry while the session is away
            String user = away.user();
            String room = away.room();
            Client a = away.a();
            Client b = away.b();

            int total = MAX_EVENTS - 10; // all within the history
            for (int i = 0; i < total; i++) {
                b.ws().send("toRoom", push(room, i), i == total - 1 ? "last" : null);
            }
            Client resumed = connect("good-" + user, resume(a.session(), a.offset())); // while the burst is handled
            b.ws().next(hasId("last"));

            assertThat(resumed.recovered()).isTrue();
            List<Integer> seen = new ArrayList<>();
            while (seen.size() < total) {
                seen.add(seq(resumed.ws().next(isEvent("item"))));
            }
            assertThat(seen).as("round %d", round).containsExactlyElementsOf(range(total));
            assertThat(resumed.ws().sync()).noneMatch(isEvent("item"));
        }
    }

    @Test
    void directAndUserEventsAreReplayedButVolatileOnesAreNot() {
        Away away = awayFromARoom();
        String user = away.user();
        String room = away.room();
        Client a = away.a();
        Client b = away.b();

        b.ws().send("volatileToRoom", push(room, 1), "v");
        b.ws().send("toClient", Json.createObjectBuilder().add("clientId", a.id()).add("seq", 2).build(), "c");
        b.ws().send("toUser", Json.createObjectBuilder().add("userId", user).add("seq", 3).build(), "u");
        b.ws().send("toRoom", push(room, 4), "r");
        b.ws().next(hasId("r"));
        Client resumed = connect("good-" + user, resume(a.session(), a.offset()));

        assertThat(resumed.recovered()).isTrue();
        List<JsonObject> replayed = List.of(resumed.ws().next(), resumed.ws().next(), resumed.ws().next());
        assertThat(replayed).extracting(f -> f.getString("event") + ":" + seq(f))
                .containsExactly("direct:2", "personal:3", "item:4");
        assertThat(resumed.ws().sync()).as("nothing else, no volatile event").isEmpty();
    }

    @Test
    void aTokenPresentedByAnotherUserIsNotRecovered() {
        Client a = connect("good-" + user(), "");
        a.ws().abort();

        Client thief = connect("good-" + user(), resume(a.session(), a.offset()));

        assertThat(thief.recovered()).isFalse();
        assertThat(thief.id()).isNotEqualTo(a.id());
    }

    @Test
    void aTokenThatWasUsedToResumeStopsWorking() {
        String user = user();
        Client a = connect("good-" + user, "");
        a.ws().abort();
        Client resumed = connect("good-" + user, resume(a.session(), a.offset()));
        assertThat(resumed.recovered()).isTrue();
        resumed.ws().abort();

        Client again = connect("good-" + user, resume(a.session(), a.offset()));

        assertThat(again.recovered()).isFalse();
        assertThat(again.id()).isNotEqualTo(a.id());
    }

    @Test
    void aSessionClosedForLongerThanTheWindowIsNotRecovered() throws InterruptedException {
        String user = user();
        Client a = connect("good-" + user, "");
        a.ws().abort();
        awaitGone(a.id());

        Thread.sleep(WINDOW_MS + 300); // the window is time itself: nothing to wait for but its end

        Client late = connect("good-" + user, resume(a.session(), a.offset()));
        assertThat(late.recovered()).isFalse();
        assertThat(late.id()).isNotEqualTo(a.id());
    }

    @Test
    void aSessionWhoseMissedEventsLeftTheHistoryIsNotRecovered() {
        Away away = awayFromARoom();
        String user = away.user();
        String room = away.room();
        Client a = away.a();
        Client b = away.b();
        for (int i = 0; i < MAX_EVENTS + 10; i++) {
            b.ws().send("toRoom", push(room, i), "p" + i);
        }
        b.ws().next(hasId("p" + (MAX_EVENTS + 9)));

        Client resumed = connect("good-" + user, resume(a.session(), a.offset()));

        assertThat(resumed.recovered()).isFalse();
        assertThat(resumed.ws().sync()).noneMatch(isEvent("item"));
    }

    @Test
    void malformedOrUnknownResumeParametersGiveAFreshSessionAndAWorkingConnection() {
        String user = user();
        Client a = connect("good-" + user, "");
        String token = a.session();
        for (String query : List.of(
                "&wiregate-session=" + token,                                           // no offset
                "&wiregate-offset=" + enc(a.offset()),                                  // no session
                resume(token, "x".repeat(129)),                                         // offset too long
                resume(token, "bad offset!"),                                           // outside the alphabet
                resume("unknown-" + UUID.randomUUID().toString().replace("-", ""), a.offset()),
                resume(token, a.offset().substring(0, a.offset().indexOf(':')) + ":99999999999"), // never issued
                resume(token, "otherrun:1"),                                            // another run's offset
                resume(token, a.offset()) + "&wiregate-session=" + token)) {            // repeated
            Client c = connect("good-" + user, query);
            assertThat(c.recovered()).as(query).isFalse();
            assertThat(c.id()).as(query).isNotEqualTo(a.id());
            c.ws().send("echo", Json.createValue(7), "e");
            assertThat(data(c.ws().next(hasId("e")))).as(query).isEqualTo(Json.createValue(7));
        }
    }

    @Test
    void resumingASessionWhoseConnectionIsStillOpenClosesThatConnectionWith1000() {
        String user = user();
        String room = room();
        Client a = connect("good-" + user, "");
        join(a, room);

        Client second = connect("good-" + user, resume(a.session(), a.offset()));

        assertThat(second.recovered()).isTrue();
        assertThat(second.id()).isEqualTo(a.id());
        assertThat(a.ws().awaitClose(Duration.ofSeconds(5))).isEqualTo(1000);
        assertThat(a.ws().closeReason()).isEqualTo("session resumed");
        Client b = connect("good-" + user(), "");
        b.ws().send("toRoom", push(room, 9), "r");
        assertThat(seq(second.ws().next(isEvent("item")))).isEqualTo(9);
    }

    @Test
    void aSessionAuthenticatedInBandResumesAfterItsClientAuthenticatesAgain() {
        String room = room();
        RawWebSocket a = server.open("/resume-inband");
        JsonObject first = data(a.authenticate("{'token':'good-ines'}")).asJsonObject();
        a.send("join", Json.createObjectBuilder().add("rooms", Json.createArrayBuilder().add(room)).build(), "j");
        a.next(hasId("j"));
        a.abort();
        RawWebSocket b = server.open("/resume-inband");
        b.authenticate("{'token':'good-other'}");
        b.send("toRoom", push(room, 5), "r");
        b.next(hasId("r"));

        RawWebSocket again = server.open("/resume-inband" + "?" + resume(first.getString("session"), first.getString("offset")).substring(1));
        JsonObject connected = data(again.authenticate("{'token':'good-ines'}")).asJsonObject();

        assertThat(connected.getBoolean("recovered")).isTrue();
        assertThat(connected.getString("id")).isEqualTo(first.getString("id"));
        assertThat(seq(again.next(isEvent("item")))).isEqualTo(5);
    }

    // ---- helpers

    /** A client {@code a} of {@code user}, the only member of a fresh {@code room}, gone (TCP dropped, its close seen); {@code b}, another user's client. */
    private record Away(String user, String room, Client a, Client b) {
    }

    private static Away awayFromARoom() {
        String user = user();
        String room = room();
        Client a = connect("good-" + user, "");
        join(a, room);
        Client b = connect("good-" + user(), "");
        a.ws().abort();
        awaitGone(a.id());
        return new Away(user, room, a, b);
    }

    /** Opens {@code /resume?token=TOKEN} plus {@code query} and waits for {@code connected}. */
    private static Client connect(String token, String query) {
        RawWebSocket ws = server.open("/resume?token=" + token + query);
        JsonObject connected = ws.next(isEvent("connected"));
        return new Client(ws, data(connected).asJsonObject());
    }

    private static String resume(String session, String offset) {
        return "&wiregate-session=" + enc(session) + "&wiregate-offset=" + enc(offset);
    }

    private static void join(Client c, String room) {
        c.ws().send("join", Json.createObjectBuilder().add("rooms", Json.createArrayBuilder().add(room)).build(), "join");
        c.ws().next(hasId("join"));
    }

    /** Waits (bounded) until the server has reported the close of {@code clientId}'s connection (its @OnClose ran). */
    private static void awaitGone(String clientId) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> ResumeGateway.CLOSED.contains(clientId));
    }

    private static JsonObject push(String room, int seq) {
        return Json.createObjectBuilder().add("room", room).add("seq", seq).build();
    }

    private static int seq(JsonObject frame) {
        return data(frame).asJsonObject().getInt("seq");
    }

    private static List<Integer> range(int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }

    private static String user() {
        return "u" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String room() {
        return "room-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
