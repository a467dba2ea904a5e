package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.errorCode;
import static io.wiregate.testing.Wire.event;
import static io.wiregate.testing.Wire.hasId;
import static io.wiregate.testing.Wire.isEvent;
import static io.wiregate.testing.Wire.obj;
import static io.wiregate.testing.Wire.violationPaths;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Broadcast;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;
import io.wiregate.testing.RawWebSocket;
import io.wiregate.testing.Wire;

/**
 * docs/protocol.md sections 3 and 7: handler results broadcast to the namespace or to a room named by the payload;
 * the sender's answer is the {@code ack}, copies never carry an {@code id}, and deliveries keep their order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BroadcastProtocolTest {

    /** Broadcasts to everyone, to everyone else, and to a room. */
    @Gateway(value = "/shout", heartbeatTimeoutMs = 0)
    public static class ShoutGateway {

        @OnEvent("shout")
        @Broadcast("shout")
        JsonValue shout(JsonValue data) {
            return data;
        }

        @OnEvent("shoutOthers")
        @Broadcast(value = "shout", includeSender = false)
        JsonValue shoutOthers(JsonValue data) {
            return data;
        }

        @OnEvent("room")
        @Broadcast(value = "room", roomFrom = "room")
        JsonValue room(JsonObject payload) {
            return payload.getOrDefault("data", JsonValue.NULL);
        }

        @OnEvent("roomOthers")
        @Broadcast(value = "room", roomFrom = "room", includeSender = false)
        JsonValue roomOthers(JsonObject payload) {
            return payload.getOrDefault("data", JsonValue.NULL);
        }

        @OnEvent("nothingToSay")
        @Broadcast("shout")
        JsonValue nothingToSay() {
            return null;
        }
    }

    /** Another namespace: broadcasts of {@code /shout} never reach it. */
    @Gateway(value = "/elsewhere", heartbeatTimeoutMs = 0)
    public static class ElsewhereGateway {

        @OnEvent("shout")
        @Broadcast("shout")
        JsonValue shout(JsonValue data) {
            return data;
        }
    }

    @RegisterExtension
    static final TestServer server = new TestServer(ShoutGateway.class, ElsewhereGateway.class);

    @Test
    void broadcastReachesEveryClientOfTheNamespaceAndAnswersTheSenderWithAnAck() {
        RawWebSocket sender = server.connected("/shout");
        RawWebSocket b = server.connected("/shout");
        RawWebSocket c = server.connected("/shout");
        RawWebSocket elsewhere = server.connected("/elsewhere");

        sender.send("{'event':'shout','data':{'m':1},'id':'s1'}");

        List<JsonObject> senderFrames = List.of(sender.next(), sender.next());
        assertThat(senderFrames).as("the ack with the id, and the sender's own copy without it").containsExactlyInAnyOrder(
                obj("{'event':'ack','id':'s1'}"), obj("{'event':'shout','data':{'m':1}}"));
        assertThat(b.next(isEvent("shout"))).isEqualTo(obj("{'event':'shout','data':{'m':1}}"));
        assertThat(c.next(isEvent("shout"))).isEqualTo(obj("{'event':'shout','data':{'m':1}}"));
        assertThat(elsewhere.sync()).as("another namespace").isEmpty();
        assertThat(sender.sync()).isEmpty();
        assertThat(b.sync()).isEmpty();
    }

    @Test
    void broadcastWithoutIdIsDeliveredWithoutAnyAck() {
        RawWebSocket sender = server.connected("/shout");
        RawWebSocket other = server.connected("/shout");
        sender.send("{'event':'shout','data':'hello'}");
        assertThat(sender.next()).isEqualTo(obj("{'event':'shout','data':'hello'}"));
        assertThat(other.next(isEvent("shout"))).isEqualTo(obj("{'event':'shout','data':'hello'}"));
        assertThat(sender.sync()).as("no ack for a frame without id").isEmpty();
    }

    @Test
    void broadcastToOthersSkipsTheSenderWhoGetsOnlyTheAck() {
        RawWebSocket sender = server.connected("/shout");
        RawWebSocket other = server.connected("/shout");
        sender.send("{'event':'shoutOthers','data':7,'id':9}");
        assertThat(sender.next()).isEqualTo(obj("{'event':'ack','id':9}"));
        assertThat(other.next(isEvent("shout"))).isEqualTo(obj("{'event':'shout','data':7}"));
        assertThat(sender.sync()).isEmpty();
    }

    @Test
    void broadcastHandlerReturningNullDeliversNothingButStillAcks() {
        RawWebSocket sender = server.connected("/shout");
        RawWebSocket other = server.connected("/shout");
        sender.send("{'event':'nothingToSay','id':'q'}");
        assertThat(sender.next()).isEqualTo(obj("{'event':'ack','id':'q'}"));
        assertThat(other.sync()).isEmpty();
        assertThat(sender.sync()).isEmpty();
    }

    @Test
    void roomDeliveryReachesOnlyMembersOfTheRoomNamedByThePayload() {
        RawWebSocket sender = server.connected("/shout");
        RawWebSocket member = server.connected("/shout");
        RawWebSocket outsider = server.connected("/shout");
        join(sender, "r1");
        join(member, "r1");
        join(outsider, "r2");

        sender.send("{'event':'room','data':{'room':'r1','data':{'x':5}},'id':'r'}");

        assertThat(List.of(sender.next(), sender.next())).containsExactlyInAnyOrder(
                obj("{'event':'ack','id':'r'}"), obj("{'event':'room','data':{'x':5}}"));
        assertThat(member.next(isEvent("room"))).isEqualTo(obj("{'event':'room','data':{'x':5}}"));
        assertThat(outsider.sync()).isEmpty();
    }

    @Test
    void roomDeliveryToOthersSkipsTheSenderEvenWhenItIsAMember() {
        RawWebSocket sender = server.connected("/shout");
        RawWebSocket member = server.connected("/shout");
        join(sender, "r3");
        join(member, "r3");
        sender.send("{'event':'roomOthers','data':{'room':'r3','data':1},'id':'o'}");
        assertThat(sender.next()).isEqualTo(obj("{'event':'ack','id':'o'}"));
        assertThat(member.next(isEvent("room"))).isEqualTo(obj("{'event':'room','data':1}"));
        assertThat(sender.sync()).isEmpty();
    }

    @Test
    void roomDeliveryReachesASenderThatIsNotAMemberOnlyAsAnAck() {
        RawWebSocket sender = server.connected("/shout");
        RawWebSocket member = server.connected("/shout");
        join(member, "r4");
        sender.send("{'event':'room','data':{'room':'r4','data':2},'id':'n'}");
        assertThat(sender.next()).isEqualTo(obj("{'event':'ack','id':'n'}"));
        assertThat(member.next(isEvent("room"))).isEqualTo(obj("{'event':'room','data':2}"));
        assertThat(sender.sync()).isEmpty();
    }

    @Test
    void payloadWithoutTheRoomPropertyIsAValidationErrorNamingIt() {
        RawWebSocket sender = server.connected("/shout");
        RawWebSocket other = server.connected("/shout");
        for (String data : List.of("{'data':1}", "{'room':5}", "{'room':''}", "{'room':null}")) {
            sender.send("{'event':'room','data':" + data + ",'id':'v'}");
            JsonObject error = sender.next(hasId("v"));
            assertThat(errorCode(error)).as(data).isEqualTo("validation");
            assertThat(violationPaths(error)).as(data).containsExactly("room");
        }
        assertThat(other.sync()).as("nothing was delivered").isEmpty();
    }

    @Test
    void twoHundredDeliveriesArriveInTheOrderTheyWereEmitted() {
        RawWebSocket sender = server.connected("/shout");
        RawWebSocket receiver = server.connected("/shout");
        for (int i = 0; i < 200; i++) {
            sender.send("{'event':'shoutOthers','data':" + i + "}");
        }
        for (int i = 0; i < 200; i++) {
            assertThat(receiver.next(isEvent("shout"))).isEqualTo(obj("{'event':'shout','data':" + i + "}"));
        }
    }

    @Test
    void deliveriesOfEachSenderKeepTheirOrderWhenSendersInterleave() {
        RawWebSocket a = server.connected("/shout");
        RawWebSocket b = server.connected("/shout");
        RawWebSocket receiver = server.connected("/shout");
        CompletableFuture<Void> fromA = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 200; i++) {
                a.send("{'event':'shoutOthers','data':{'from':'a','n':" + i + "}}");
            }
        });
        CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 200; i++) {
                b.send("{'event':'shoutOthers','data':{'from':'b','n':" + i + "}}");
            }
        });
        fromA.orTimeout(20, TimeUnit.SECONDS).join();
        fromB.orTimeout(20, TimeUnit.SECONDS).join();
        int nextA = 0;
        int nextB = 0;
        while (nextA + nextB < 400) {
            JsonObject data = Wire.data(receiver.next(isEvent("shout"))).asJsonObject();
            int n = ((JsonNumber) data.get("n")).intValue();
            if (data.getString("from").equals("a")) {
                assertThat(n).isEqualTo(nextA++);
            } else {
                assertThat(n).isEqualTo(nextB++);
            }
        }
    }

    private static void join(RawWebSocket client, String room) {
        client.send("{'event':'join','data':{'rooms':['" + room + "']},'id':'join-" + room + "'}");
        JsonObject joined = client.next(hasId("join-" + room));
        assertThat(event(joined)).isEqualTo("joined");
    }
}
