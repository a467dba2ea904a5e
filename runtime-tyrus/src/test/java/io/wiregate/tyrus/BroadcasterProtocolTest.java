package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.hasId;
import static io.wiregate.testing.Wire.isEvent;
import static io.wiregate.testing.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcaster;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.testing.RawWebSocket;

/**
 * docs/protocol.md section 7, server pushes through {@code Broadcaster<G>}: one client, every session of a user, a
 * room minus excluded clients, the whole namespace; only authenticated clients receive user, room and broadcast
 * deliveries, and deliveries never carry an {@code id}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BroadcasterProtocolTest {

    /** In-band authentication: {@code {"token": "good-USER"}}. */
    @Gateway(value = "/push", auth = Auth.MESSAGE, heartbeatTimeoutMs = 0, authTimeoutMs = 30000)
    public static class PushGateway {

        @Authenticate
        Identity authenticate(InBandAuthProtocolTest.Credentials credentials) {
            return InBandAuthProtocolTest.identityOf(credentials);
        }

        @OnEvent("noop")
        void noop() {
        }
    }

    /** Another namespace, without authentication. */
    @Gateway(value = "/bystander", heartbeatTimeoutMs = 0)
    public static class BystanderGateway {
        @OnEvent("noop")
        void noop() {
        }
    }

    /** Application code that pushes: the way an application uses a Broadcaster. */
    @ApplicationScoped
    public static class Pusher {
        @Inject
        Broadcaster<PushGateway> push;

        Broadcaster<PushGateway> broadcaster() {
            return push;
        }
    }

    @RegisterExtension
    static final TestServer server = new TestServer(PushGateway.class, BystanderGateway.class, Pusher.class);

    private static Broadcaster<PushGateway> push;

    @BeforeAll
    static void lookUpPusher() {
        push = server.cdi().select(Pusher.class).get().broadcaster();
    }

    @Test
    void toUserReachesEverySessionOfTheUserAndNobodyElse() {
        RawWebSocket alice1 = authenticated("alice");
        RawWebSocket alice2 = authenticated("alice");
        RawWebSocket bob = authenticated("bob");
        RawWebSocket anonymous = server.open("/push");
        RawWebSocket bystander = server.connected("/bystander");

        push.toUser("alice").emit("note", Map.of("n", 1));

        assertThat(alice1.next(isEvent("note"))).isEqualTo(obj("{'event':'note','data':{'n':1}}"));
        assertThat(alice2.next(isEvent("note"))).isEqualTo(obj("{'event':'note','data':{'n':1}}"));
        assertThat(alice1.sync()).isEmpty();
        assertThat(alice2.sync()).isEmpty();
        assertThat(bob.sync()).isEmpty();
        assertThat(anonymous.sync()).isEmpty();
        assertThat(bystander.sync()).isEmpty();
    }

    @Test
    void toUserReachesASessionThatAuthenticatesLater() {
        RawWebSocket late = server.open("/push");
        push.toUser("dave").emit("early", "missed");
        assertThat(late.sync()).isEmpty();
        late.authenticate("{'token':'good-dave'}");
        late.next(hasId("auth"));
        push.toUser("dave").emit("late", "got it");
        assertThat(late.next(isEvent("late"))).isEqualTo(obj("{'event':'late','data':'got it'}"));
    }

    @Test
    void toUserNoLongerReachesAClosedSession() {
        RawWebSocket stays = authenticated("erin");
        RawWebSocket leaves = authenticated("erin");
        leaves.close();
        push.toUser("erin").emit("note", "still here");
        assertThat(stays.next(isEvent("note"))).isEqualTo(obj("{'event':'note','data':'still here'}"));
    }

    @Test
    void toClientReachesOnlyThatClient() {
        RawWebSocket target = server.open("/push");
        String targetId = data(target.authenticate("{'token':'good-carol'}")).asJsonObject().getString("id");
        target.next(hasId("auth"));
        RawWebSocket sameUser = authenticated("carol");
        RawWebSocket other = authenticated("frank");

        push.toClient(targetId).emit("direct", List.of(1, 2));

        assertThat(target.next(isEvent("direct"))).isEqualTo(obj("{'event':'direct','data':[1,2]}"));
        assertThat(sameUser.sync()).isEmpty();
        assertThat(other.sync()).isEmpty();
    }

    @Test
    void toRoomWithExceptReachesTheMembersButTheExcludedClients() {
        RawWebSocket excluded = server.open("/push");
        String excludedId = data(excluded.authenticate("{'token':'good-gina'}")).asJsonObject().getString("id");
        excluded.next(hasId("auth"));
        RawWebSocket member = authenticated("hank");
        RawWebSocket otherMember = authenticated("ivy");
        RawWebSocket outsider = authenticated("jack");
        for (RawWebSocket c : List.of(excluded, member, otherMember)) {
            c.send("{'event':'join','data':{'rooms':['team']},'id':'j'}");
            c.next(hasId("j"));
        }

        push.toRoom("team").except(excludedId).emit("standup", Map.of("at", "9:30"));

        assertThat(member.next(isEvent("standup"))).isEqualTo(obj("{'event':'standup','data':{'at':'9:30'}}"));
        assertThat(otherMember.next(isEvent("standup"))).isEqualTo(obj("{'event':'standup','data':{'at':'9:30'}}"));
        assertThat(excluded.sync()).isEmpty();
        assertThat(outsider.sync()).isEmpty();

        push.toRoom("team").emit("all-hands", null);
        assertThat(excluded.next(isEvent("all-hands"))).as("except made a new value; the old one excludes nobody")
                .isEqualTo(obj("{'event':'all-hands','data':null}"));
    }

    @Test
    void toAllReachesEveryAuthenticatedClientOfTheNamespaceAndSkipsUnauthenticatedOnes() {
        RawWebSocket a = authenticated("kim");
        RawWebSocket b = authenticated("lou");
        RawWebSocket anonymous = server.open("/push");
        RawWebSocket bystander = server.connected("/bystander");

        push.toAll().emit("announcement", "hello all");

        assertThat(a.next(isEvent("announcement"))).isEqualTo(obj("{'event':'announcement','data':'hello all'}"));
        assertThat(b.next(isEvent("announcement"))).isEqualTo(obj("{'event':'announcement','data':'hello all'}"));
        assertThat(anonymous.sync()).as("not authenticated").isEmpty();
        assertThat(bystander.sync()).as("another namespace").isEmpty();
        assertThat(anonymous.received()).as("nothing but errors before connected").allMatch(isEvent("error"));
    }

    @Test
    void toAllWithExceptSkipsTheExcludedClients() {
        RawWebSocket excluded = server.open("/push");
        String excludedId = data(excluded.authenticate("{'token':'good-max'}")).asJsonObject().getString("id");
        excluded.next(hasId("auth"));
        RawWebSocket other = authenticated("ned");
        push.toAll().except(List.of(excludedId)).emit("news", 1);
        assertThat(other.next(isEvent("news"))).isEqualTo(obj("{'event':'news','data':1}"));
        assertThat(excluded.sync()).isEmpty();
    }

    @Test
    void pushedEventsArriveInTheOrderTheyWereEmitted() {
        RawWebSocket client = authenticated("oli");
        for (int i = 0; i < 200; i++) {
            push.toUser("oli").emit("tick", i);
        }
        for (int i = 0; i < 200; i++) {
            JsonObject tick = client.next(isEvent("tick"));
            assertThat(tick).isEqualTo(obj("{'event':'tick','data':" + i + "}"));
        }
    }

    @Test
    void pushedEventsCarryNoId() {
        RawWebSocket client = authenticated("pat");
        push.toUser("pat").emit("plain", JsonValue.TRUE);
        JsonObject frame = client.next(isEvent("plain"));
        assertThat(frame.keySet()).containsExactlyInAnyOrder("event", "data");
    }

    @Test
    void emitWithAnInvalidEventNameIsRefusedAndDeliversNothing() {
        RawWebSocket client = authenticated("quinn");
        assertThatThrownBy(() -> push.toAll().emit("not valid", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> push.toUser("quinn").emit("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(client.sync()).isEmpty();
    }

    private RawWebSocket authenticated(String user) {
        RawWebSocket c = server.open("/push");
        c.authenticate("{'token':'good-" + user + "'}");
        c.next(hasId("auth"));
        return c;
    }
}
