package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.errorCode;
import static io.wiregate.testing.Wire.errorMessage;
import static io.wiregate.testing.Wire.event;
import static io.wiregate.testing.Wire.hasId;
import static io.wiregate.testing.Wire.isEvent;
import static io.wiregate.testing.Wire.obj;
import static io.wiregate.testing.Wire.rooms;
import static io.wiregate.testing.Wire.violationPaths;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.wiregate.Broadcast;
import io.wiregate.Gateway;
import io.wiregate.GatewayBinding;
import io.wiregate.OnEvent;
import io.wiregate.Peer;
import io.wiregate.RoomGuard;
import io.wiregate.testing.RawWebSocket;
import io.wiregate.testing.Wire;

/**
 * docs/protocol.md section 4, {@code join} and {@code leave}: answers, room guards (with and without a binding),
 * the own-id and default rooms, and malformed room lists that must leave the connection usable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoomsProtocolTest {

    /** Binds {@link VipRoomGuard} to the gateways carrying it. */
    @GatewayBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Vip {
    }

    /** Refuses every room starting with {@code private-}, on {@link Vip} gateways only. */
    @Vip
    @ApplicationScoped
    public static class VipRoomGuard implements RoomGuard {
        @Override
        public boolean mayJoin(Peer peer, String room) {
            return !room.startsWith("private-");
        }
    }

    /** Applies to every gateway: throws on the room {@code explode} (which refuses it), allows the rest. */
    @ApplicationScoped
    public static class ThrowingRoomGuard implements RoomGuard {
        @Override
        public boolean mayJoin(Peer peer, String room) {
            if (room.equals("explode")) {
                throw new IllegalStateException("SECRET-GUARD-DETAIL");
            }
            return true;
        }
    }

    /** A guarded gateway whose clients all join {@code everyone}. */
    @Vip
    @Gateway(value = "/guarded-rooms", heartbeatTimeoutMs = 0, defaultRooms = {"everyone", "news"})
    public static class GuardedRoomsGateway {
        @OnEvent("say")
        @Broadcast(value = "said", roomFrom = "room", includeSender = false)
        JsonValue say(JsonObject payload) {
            return payload.getOrDefault("text", JsonValue.NULL);
        }
    }

    /** A gateway without the {@link Vip} binding. */
    @Gateway(value = "/open-rooms", heartbeatTimeoutMs = 0, maxMessageBytes = 1 << 20)
    public static class OpenRoomsGateway {
        @OnEvent("say")
        @Broadcast(value = "said", roomFrom = "room", includeSender = false)
        JsonValue say(JsonObject payload) {
            return payload.getOrDefault("text", JsonValue.NULL);
        }
    }

    @RegisterExtension
    static final TestServer server = new TestServer(GuardedRoomsGateway.class, OpenRoomsGateway.class, VipRoomGuard.class, ThrowingRoomGuard.class);

    @Test
    void joinIsAnsweredWithJoinedListingTheRoomsAndCarryingTheId() {
        RawWebSocket client = server.connected("/open-rooms");
        client.send("{'event':'join','data':{'rooms':['a','b']},'id':'j'}");
        assertThat(client.next(hasId("j"))).isEqualTo(obj("{'event':'joined','data':{'rooms':['a','b']},'id':'j'}"));
    }

    @Test
    void joinWithoutIdIsAnsweredWithJoinedWithoutId() {
        RawWebSocket client = server.connected("/open-rooms");
        client.send("{'event':'join','data':{'rooms':['c']}}");
        assertThat(client.next(isEvent("joined"))).isEqualTo(obj("{'event':'joined','data':{'rooms':['c']}}"));
    }

    @Test
    void leaveIsAnsweredWithLeftListingTheRoomsAndCarryingTheId() {
        RawWebSocket client = server.connected("/open-rooms");
        join(client, "a");
        client.send("{'event':'leave','data':{'rooms':['a']},'id':'l'}");
        assertThat(client.next(hasId("l"))).isEqualTo(obj("{'event':'left','data':{'rooms':['a']},'id':'l'}"));
    }

    @Test
    void leavingARoomThatWasNeverJoinedIsHarmless() {
        RawWebSocket client = server.connected("/open-rooms");
        client.send("{'event':'leave','data':{'rooms':['never']},'id':'l'}");
        JsonObject left = client.next(hasId("l"));
        assertThat(event(left)).isEqualTo("left");
    }

    @Test
    void membersOfAJoinedRoomReceiveItsDeliveriesUntilTheyLeave() {
        RawWebSocket member = server.connected("/open-rooms");
        RawWebSocket speaker = server.connected("/open-rooms");
        join(member, "topic");

        speaker.send("{'event':'say','data':{'room':'topic','text':'one'},'id':1}");
        speaker.next(hasId(1));
        assertThat(member.next(isEvent("said"))).isEqualTo(obj("{'event':'said','data':'one'}"));

        member.send("{'event':'leave','data':{'rooms':['topic']},'id':'bye'}");
        member.next(hasId("bye"));
        speaker.send("{'event':'say','data':{'room':'topic','text':'two'},'id':2}");
        speaker.next(hasId(2));
        assertThat(member.sync()).as("left the room").isEmpty();
    }

    @Test
    void joiningARoomTwiceIsHarmlessAndDeliversOnce() {
        RawWebSocket member = server.connected("/open-rooms");
        RawWebSocket speaker = server.connected("/open-rooms");
        join(member, "twice");
        member.send("{'event':'join','data':{'rooms':['twice','twice']},'id':'again'}");
        assertThat(rooms(member.next(hasId("again")))).containsOnly("twice");

        speaker.send("{'event':'say','data':{'room':'twice','text':'once'},'id':1}");
        speaker.next(hasId(1));
        assertThat(member.sync()).containsExactly(obj("{'event':'said','data':'once'}"));
    }

    @Test
    void everyClientIsAMemberOfTheRoomNamedByItsOwnClientId() {
        RawWebSocket target = server.open("/open-rooms");
        String targetId = Wire.data(target.next(isEvent("connected"))).asJsonObject().getString("id");
        RawWebSocket speaker = server.connected("/open-rooms");
        RawWebSocket bystander = server.connected("/open-rooms");
        speaker.send("{'event':'say','data':{'room':'" + targetId + "','text':'direct'},'id':1}");
        speaker.next(hasId(1));
        assertThat(target.next(isEvent("said"))).isEqualTo(obj("{'event':'said','data':'direct'}"));
        assertThat(bystander.sync()).isEmpty();
    }

    @Test
    void connectedListsTheDefaultRoomsAndTheirDeliveriesReachEveryClient() {
        RawWebSocket a = server.open("/guarded-rooms");
        assertThat(rooms(a.next(isEvent("connected")))).contains("everyone", "news");
        RawWebSocket b = server.connected("/guarded-rooms");
        b.send("{'event':'say','data':{'room':'everyone','text':'hi all'},'id':1}");
        b.next(hasId(1));
        assertThat(a.next(isEvent("said"))).isEqualTo(obj("{'event':'said','data':'hi all'}"));
    }

    @Test
    void roomGuardRefusalIsOneForbiddenErrorNamingEveryRefusedRoomThenJoinedWithoutId() {
        RawWebSocket client = server.connected("/guarded-rooms");
        client.send("{'event':'join','data':{'rooms':['public','private-1','lobby','private-2']},'id':'g'}");

        JsonObject answer = client.next(hasId("g"));
        assertThat(event(answer)).isEqualTo("error");
        assertThat(errorCode(answer)).isEqualTo("forbidden");
        assertThat(errorMessage(answer)).contains("private-1", "private-2");

        JsonObject joined = client.next();
        assertThat(joined).as("the accepted rooms, confirmed after the error and without id")
                .isEqualTo(obj("{'event':'joined','data':{'rooms':['public','lobby']}}"));
        assertThat(client.sync()).isEmpty();
        assertThat(client.received().stream().filter(hasId("g"))).as("one answer carries the id").hasSize(1);
    }

    @Test
    void refusedRoomsAreNotJoined() {
        RawWebSocket client = server.connected("/guarded-rooms");
        RawWebSocket speaker = server.connected("/guarded-rooms");
        client.send("{'event':'join','data':{'rooms':['private-x']},'id':'g'}");
        assertThat(errorCode(client.next(hasId("g")))).isEqualTo("forbidden");
        speaker.send("{'event':'say','data':{'room':'private-x','text':'psst'},'id':1}");
        speaker.next(hasId(1));
        assertThat(client.sync()).isEmpty();
    }

    @Test
    void joinWhoseRoomsAreAllRefusedGetsOnlyTheForbiddenError() {
        RawWebSocket client = server.connected("/guarded-rooms");
        client.send("{'event':'join','data':{'rooms':['private-a','private-b']},'id':'all'}");
        JsonObject error = client.next(hasId("all"));
        assertThat(errorCode(error)).isEqualTo("forbidden");
        assertThat(errorMessage(error)).contains("private-a", "private-b");
        assertThat(client.sync()).as("no joined when nothing was accepted").isEmpty();
    }

    @Test
    void roomGuardWithABindingAppliesOnlyToGatewaysCarryingIt() {
        RawWebSocket client = server.connected("/open-rooms");
        client.send("{'event':'join','data':{'rooms':['private-1']},'id':'p'}");
        assertThat(client.next(hasId("p"))).isEqualTo(obj("{'event':'joined','data':{'rooms':['private-1']},'id':'p'}"));
    }

    @Test
    void roomGuardThatThrowsRefusesTheRoomWithoutLeakingTheException() {
        RawWebSocket client = server.connected("/open-rooms");
        client.send("{'event':'join','data':{'rooms':['fine','explode']},'id':'x'}");
        JsonObject error = client.next(hasId("x"));
        assertThat(errorCode(error)).isEqualTo("forbidden");
        assertThat(errorMessage(error)).contains("explode");
        assertThat(client.receivedText()).noneMatch(t -> t.contains("SECRET") || t.contains("Exception"));
        assertThat(client.next()).isEqualTo(obj("{'event':'joined','data':{'rooms':['fine']}}"));
    }

    static Stream<String> malformedJoinPayloads() {
        return Stream.of(
                "{'event':'join','id':'m'}",
                "{'event':'join','data':null,'id':'m'}",
                "{'event':'join','data':['a'],'id':'m'}",
                "{'event':'join','data':'a','id':'m'}",
                "{'event':'join','data':{},'id':'m'}",
                "{'event':'join','data':{'rooms':'a'},'id':'m'}",
                "{'event':'join','data':{'rooms':{'0':'a'}},'id':'m'}",
                "{'event':'join','data':{'rooms':[1]},'id':'m'}",
                "{'event':'join','data':{'rooms':[null]},'id':'m'}",
                "{'event':'join','data':{'rooms':[['a']]},'id':'m'}",
                "{'event':'join','data':{'rooms':['']},'id':'m'}",
                "{'event':'join','data':{'rooms':['" + "r".repeat(129) + "']},'id':'m'}",
                "{'event':'leave','data':{'rooms':'a'},'id':'m'}",
                "{'event':'leave','data':{'rooms':[7]},'id':'m'}");
    }

    @ParameterizedTest
    @MethodSource("malformedJoinPayloads")
    void malformedRoomListIsAValidationErrorAndTheConnectionStaysUsable(String frame) {
        RawWebSocket client = server.connected("/open-rooms");
        client.send(frame);
        JsonObject error = client.next(hasId("m"));
        assertThat(event(error)).isEqualTo("error");
        assertThat(errorCode(error)).isEqualTo("validation");
        assertThat(violationPaths(error)).isNotEmpty().allMatch(p -> p.startsWith("rooms"));
        assertJoinWorks(client);
    }

    @Test
    void joinOfTenThousandRoomsIsAValidationErrorAndJoinsNothing() {
        RawWebSocket client = server.connected("/open-rooms");
        RawWebSocket speaker = server.connected("/open-rooms");
        JsonArrayBuilder rooms = Json.createArrayBuilder();
        IntStream.range(0, 10_000).forEach(i -> rooms.add("room-" + i));
        client.send("join", Json.createObjectBuilder().add("rooms", rooms).build(), "many");
        JsonObject error = client.next(hasId("many"));
        assertThat(errorCode(error)).isEqualTo("validation");
        assertThat(violationPaths(error)).isNotEmpty();

        speaker.send("{'event':'say','data':{'room':'room-0','text':'x'},'id':1}");
        speaker.next(hasId(1));
        assertThat(client.sync()).isEmpty();
        assertJoinWorks(client);
    }

    @Test
    void roomNamesWithControlCharactersAreAValidationError() {
        RawWebSocket client = server.connected("/open-rooms");
        for (String room : List.of("a\u0000b", "tab\there", "new\nline", "bell\u0007", "del\u007f", "c1\u0085")) {
            client.send("join", Json.createObjectBuilder().add("rooms", Json.createArrayBuilder().add(room)).build(), "cc");
            JsonObject error = client.next(hasId("cc"));
            assertThat(errorCode(error)).as("room %s", room.codePoints().boxed().toList()).isEqualTo("validation");
        }
        assertJoinWorks(client);
    }

    @Test
    void roomNameOf128CharactersIsAccepted() {
        RawWebSocket client = server.connected("/open-rooms");
        String room = "r".repeat(128);
        client.send("{'event':'join','data':{'rooms':['" + room + "']},'id':'long'}");
        assertThat(rooms(client.next(hasId("long")))).containsExactly(room);
    }

    private static void join(RawWebSocket client, String room) {
        client.send("{'event':'join','data':{'rooms':['" + room + "']},'id':'join-" + room + "'}");
        assertThat(event(client.next(hasId("join-" + room)))).isEqualTo("joined");
    }

    private static void assertJoinWorks(RawWebSocket client) {
        client.send("{'event':'join','data':{'rooms':['ok']},'id':'ok'}");
        assertThat(client.next(hasId("ok"))).isEqualTo(obj("{'event':'joined','data':{'rooms':['ok']},'id':'ok'}"));
    }
}
