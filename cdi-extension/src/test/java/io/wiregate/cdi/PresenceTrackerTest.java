package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.wiregate.Member;
import io.wiregate.Presence;
import io.wiregate.spi.Delivery;
import io.wiregate.spi.Delivery.TargetKind;

/**
 * Presence as the registry reports it (docs/protocol.md section 11): every membership change but the own-id room goes
 * to the store, closes leave every room, and the announcements go to the room's other members in the order of the
 * changes.
 */
class PresenceTrackerTest {

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final ClientRegistry registry = new ClientRegistry();
    private final TestConnections clients = new TestConnections("/chat", registry, timers);
    private final List<Delivery> announced = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopTimers() throws InterruptedException {
        timers.shutdownNow();
        assertThat(timers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private PresenceTracker tracker(Presence level) throws Exception {
        PresenceTracker t = new PresenceTracker("/chat", level, new LocalPresence(), announced::add);
        t.start(registry);
        registry.enablePresence(t);
        return t;
    }

    private static List<Member> members(PresenceTracker t, String room) {
        return t.members(room, 100).toCompletableFuture().join().members();
    }

    @Test
    void clientEventsFollowEveryJoinAndLeaveInOrderAndACloseLeavesEveryRoom() throws Exception {
        PresenceTracker t = tracker(Presence.CLIENTS);
        Connection a = clients.connected("a", "ann");
        a.join("lobby");
        a.join("lobby"); // again: no change, no announcement
        a.join("games");
        a.leave("lobby");

        assertThat(members(t, "games")).containsExactly(new Member("a", "ann"));
        assertThat(members(t, "a")).as("the own-id room is not presence").isEmpty();
        a.forget(); // the close
        assertThat(members(t, "games")).isEmpty();

        assertThat(announced).extracting(d -> d.event() + " " + d.target()).containsExactly(
                "presence.join lobby", "presence.join games", "presence.leave lobby", "presence.leave games");
        assertThat(announced).allSatisfy(d -> {
            assertThat(d.kind()).isEqualTo(TargetKind.ROOM);
            assertThat(d.exclude()).as("never to the client it is about").isEqualTo(Set.of("a"));
            assertThat(d.volatileEvent()).isFalse();
        });
        assertThat(announced.get(0).dataJson()).isEqualTo("{\"room\":\"lobby\",\"id\":\"a\",\"userId\":\"ann\"}");
    }

    @Test
    void userEventsOnlyForTheFirstAndLastConnectionOfAUser() throws Exception {
        tracker(Presence.USERS);
        Connection tab1 = clients.connected("t1", "uma");
        Connection tab2 = clients.connected("t2", "uma");
        Connection anonymous = clients.connected("x");
        tab1.join("lobby");
        tab2.join("lobby");
        anonymous.join("lobby");
        tab1.forget();
        tab2.leave("lobby");
        anonymous.forget();

        assertThat(announced).extracting(Delivery::event, Delivery::dataJson).containsExactly(
                org.assertj.core.groups.Tuple.tuple("presence.online", "{\"room\":\"lobby\",\"userId\":\"uma\"}"),
                org.assertj.core.groups.Tuple.tuple("presence.offline", "{\"room\":\"lobby\",\"userId\":\"uma\"}"));
    }

    @Test
    void trackedPresenceAnnouncesNothing() throws Exception {
        PresenceTracker t = tracker(Presence.TRACKED);
        Connection a = clients.connected("a", "ann");
        a.join("lobby");
        assertThat(members(t, "lobby")).containsExactly(new Member("a", "ann"));
        assertThat(announced).isEmpty();
    }
}
