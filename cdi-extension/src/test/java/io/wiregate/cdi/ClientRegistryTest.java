package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientRegistryTest {

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final ClientRegistry registry = new ClientRegistry();
    private final TestConnections connections = new TestConnections("/chat", registry, timers);

    @AfterEach
    void stopTimers() throws InterruptedException {
        timers.shutdownNow();
        assertThat(timers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void addedConnectionIsFoundByIdAndIsAMemberOfTheRoomOfItsOwnId() {
        Connection c = connections.registered("c1");

        assertThat(registry.client("c1")).isSameAs(c);
        assertThat(registry.room("c1")).containsExactly(c);
        assertThat(c.rooms()).containsExactly("c1");
        assertThat(registry.all()).containsExactly(c);
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void unknownRoomUserAndClientAreEmpty() {
        assertThat(registry.room("nowhere")).isEmpty();
        assertThat(registry.user("nobody")).isEmpty();
        assertThat(registry.client("none")).isNull();
    }

    @Test
    void joinAddsTheConnectionToTheRoomAndItsMemberships() {
        Connection a = connections.registered("a");
        Connection b = connections.registered("b");

        assertThat(registry.join(a, "lobby")).isTrue();
        assertThat(registry.join(b, "lobby")).isTrue();
        assertThat(registry.join(a, "lobby")).isTrue();

        assertThat(registry.room("lobby")).containsExactlyInAnyOrder(a, b);
        assertThat(a.rooms()).containsExactlyInAnyOrder("a", "lobby");
        assertThat(a.isMember("lobby")).isTrue();
        assertThat(a.roomCount()).isEqualTo(2);
    }

    @Test
    void leaveRemovesTheConnectionFromTheRoomOnly() {
        Connection a = connections.registered("a");
        Connection b = connections.registered("b");
        registry.join(a, "lobby");
        registry.join(b, "lobby");

        registry.leave(a, "lobby");

        assertThat(registry.room("lobby")).containsExactly(b);
        assertThat(a.rooms()).containsExactly("a");
        assertThat(b.rooms()).containsExactlyInAnyOrder("b", "lobby");
    }

    @Test
    void lastMemberLeavingEmptiesTheRoom() {
        Connection a = connections.registered("a");
        registry.join(a, "lobby");

        registry.leave(a, "lobby");
        registry.leave(a, "lobby");

        assertThat(registry.room("lobby")).isEmpty();
    }

    @Test
    void joinOfAConnectionThatIsNotRegisteredIsRefused() {
        Connection a = connections.registered("a");
        registry.remove(a);

        assertThat(registry.join(a, "lobby")).isFalse();

        assertThat(registry.room("lobby")).isEmpty();
        assertThat(a.rooms()).isEmpty();
    }

    @Test
    void removeForgetsTheConnectionItsRoomsAndItsUser() {
        Connection a = connections.connected("a", "alice");
        Connection b = connections.connected("b", "alice");
        registry.join(a, "lobby");
        registry.join(a, "news");
        registry.join(b, "lobby");

        registry.remove(a);

        assertThat(registry.client("a")).isNull();
        assertThat(registry.all()).containsExactly(b);
        assertThat(registry.room("lobby")).containsExactly(b);
        assertThat(registry.room("news")).isEmpty();
        assertThat(registry.room("a")).isEmpty();
        assertThat(registry.user("alice")).containsExactly(b);
        assertThat(a.rooms()).isEmpty();
    }

    @Test
    void removingTheLastSessionOfAUserForgetsTheUser() {
        Connection a = connections.connected("a", "alice");

        registry.remove(a);

        assertThat(registry.user("alice")).isEmpty();
        assertThat(registry.size()).isZero();
    }

    @Test
    void removeIsIdempotent() {
        Connection a = connections.registered("a");
        Connection b = connections.registered("b");
        registry.join(a, "lobby");
        registry.join(b, "lobby");

        registry.remove(a);
        registry.remove(a);

        assertThat(registry.room("lobby")).containsExactly(b);
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void closedConnectionIsRemovedFromTheRegistryOnceForgotten() {
        Connection a = connections.connected("a", "alice");
        registry.join(a, "lobby");

        a.closed();
        assertThat(registry.client("a")).as("still registered until forgotten (its @OnClose may deliver)").isSameAs(a);
        a.forget();

        assertThat(registry.client("a")).isNull();
        assertThat(registry.room("lobby")).isEmpty();
        assertThat(registry.user("alice")).isEmpty();
        assertThat(a.state()).isEqualTo(Connection.State.CLOSED);
        assertThat(a.isConnected()).isFalse();
    }

    @Test
    void bindUserIndexesEverySessionOfTheUser() {
        Connection a = connections.connected("a", "alice");
        Connection b = connections.connected("b", "alice");
        Connection c = connections.connected("c", "bob");

        assertThat(registry.user("alice")).containsExactlyInAnyOrder(a, b);
        assertThat(registry.user("bob")).containsExactly(c);
        assertThat(a.userId()).isEqualTo("alice");
    }

    @Test
    void bindUserOfAConnectionThatIsNotRegisteredLeavesNoIndex() {
        Connection a = connections.registered("a");
        registry.remove(a);

        registry.bindUser(a, "alice");

        assertThat(registry.user("alice")).isEmpty();
    }

    @Test
    void peerJoinRefusesAnInvalidRoomName() {
        Connection a = connections.registered("a");

        assertThatThrownBy(() -> a.join("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.join("bad\nroom")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.join("r".repeat(129))).isInstanceOf(IllegalArgumentException.class);
        assertThat(a.rooms()).containsExactly("a");
    }

    @Test
    void peerCannotLeaveTheRoomOfItsOwnId() {
        Connection a = connections.registered("a");

        a.leave("a");

        assertThat(registry.room("a")).containsExactly(a);
        assertThat(a.rooms()).containsExactly("a");
    }

    @Test
    void peerJoinAndLeaveGoThroughTheRegistry() {
        Connection a = connections.registered("a");

        a.join("lobby");
        assertThat(registry.room("lobby")).containsExactly(a);

        a.leave("lobby");
        assertThat(registry.room("lobby")).isEmpty();
        assertThat(a.rooms()).containsExactly("a");
    }

    @Test
    void concurrentJoinsAndLeavesLeaveAConsistentRegistry() throws Exception {
        int threads = 8;
        int perThread = 5;
        int roomCount = 6;
        int rounds = 2_000;
        List<String> rooms = new ArrayList<>();
        for (int r = 0; r < roomCount; r++) {
            rooms.add("room-" + r);
        }
        List<List<Connection>> owned = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Connection> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(connections.registered("c" + t + "-" + i));
            }
            owned.add(mine);
        }
        // Joined and then removed concurrently: must end up in no room at all.
        List<Connection> doomed = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            doomed.add(connections.registered("doomed-" + i));
        }

        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Connection> mine = owned.get(t);
            Connection victim = doomed.get(t);
            int seed = t;
            workers.add(new Thread(() -> {
                try {
                    start.await();
                    for (int round = 0; round < rounds; round++) {
                        for (int i = 0; i < mine.size(); i++) {
                            Connection c = mine.get(i);
                            registry.join(c, rooms.get(plan(seed, round, i, roomCount, true)));
                            registry.leave(c, rooms.get(plan(seed, round, i, roomCount, false)));
                        }
                        registry.join(victim, rooms.get(round % roomCount));
                        registry.join(doomed.get((seed + 1) % threads), rooms.get((round + seed) % roomCount));
                        if (round == rounds / 2) {
                            registry.remove(victim);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "registry-" + t));
        }
        workers.forEach(Thread::start);
        start.countDown();
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(w.isAlive()).as(w.getName() + " finished").isFalse();
        }
        assertThat(errors).isEmpty();

        // Expected membership: each (connection, room) pair is touched by one thread only, in program order.
        for (int t = 0; t < threads; t++) {
            List<Connection> mine = owned.get(t);
            for (int i = 0; i < mine.size(); i++) {
                boolean[] member = new boolean[roomCount];
                for (int round = 0; round < rounds; round++) {
                    member[plan(t, round, i, roomCount, true)] = true;
                    member[plan(t, round, i, roomCount, false)] = false;
                }
                Connection c = mine.get(i);
                for (int r = 0; r < roomCount; r++) {
                    String room = rooms.get(r);
                    assertThat(c.isMember(room)).as("%s remembers membership of %s", c.id(), room).isEqualTo(member[r]);
                    assertThat(registry.room(room).contains(c)).as("%s indexed in %s", c.id(), room).isEqualTo(member[r]);
                }
                assertThat(registry.room(c.id())).containsExactly(c);
            }
        }
        for (Connection c : doomed) {
            assertThat(registry.client(c.id())).isNull();
            assertThat(c.rooms()).as("rooms of removed %s", c.id()).isEmpty();
            for (String room : rooms) {
                assertThat(registry.room(room)).as("members of %s", room).doesNotContain(c);
            }
        }
        for (String room : rooms) {
            for (Connection c : registry.room(room)) {
                assertThat(registry.client(c.id())).isSameAs(c);
                assertThat(c.isMember(room)).isTrue();
            }
        }
        assertThat(registry.size()).isEqualTo(threads * perThread);
    }

    /** The room a thread joins (or leaves) for one of its connections in one round. */
    private static int plan(int thread, int round, int index, int roomCount, boolean join) {
        return Math.floorMod(thread * 31 + round * 7 + index * 13 + (join ? 0 : round % 5 + 1), roomCount);
    }
}
