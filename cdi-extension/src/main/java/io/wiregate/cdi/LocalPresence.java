package io.wiregate.cdi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.wiregate.Member;
import io.wiregate.spi.PresenceStore;

/**
 * The presence of one gateway kept in memory, for a node that runs alone: per room, its members with their user ids
 * and how many connections each user has in it. Every change is applied at once, under the room's bin lock of one
 * concurrent map, so a join and a leave cost O(1) whatever the room's size. Thread-safe.
 */
final class LocalPresence implements PresenceStore {

    /** One room's members and users; guarded by the map's lock of the room's key. */
    private static final class Room {
        final Map<String, String> members = new HashMap<>();
        final Map<String, Integer> users = new HashMap<>();
    }

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();

    @Override
    public void start(Supplier<List<Change>> current, Consumer<Outcome> departures) {
        // nothing is ever lost here, so nothing has to be registered again
    }

    @Override
    public void apply(Change change, Consumer<Outcome> then) {
        Outcome[] outcome = new Outcome[1];
        rooms.compute(change.room(), (k, room) -> {
            Room r = room == null ? new Room() : room;
            outcome[0] = change.joined() ? join(r, change) : leave(r, change);
            return r.members.isEmpty() ? null : r;
        });
        then.accept(outcome[0]);
    }

    private static Outcome join(Room r, Change c) {
        if (r.members.containsKey(c.clientId())) {
            return new Outcome(c, false, false);
        }
        r.members.put(c.clientId(), c.userId());
        boolean first = c.userId() != null && r.users.merge(c.userId(), 1, Integer::sum) == 1;
        return new Outcome(c, true, first);
    }

    private static Outcome leave(Room r, Change c) {
        if (!r.members.containsKey(c.clientId())) {
            return new Outcome(c, false, false);
        }
        String userId = r.members.remove(c.clientId());
        boolean last = userId != null && r.users.merge(userId, -1, (a, b) -> a + b == 0 ? null : a + b) == null;
        return new Outcome(new Change(c.room(), c.clientId(), userId, false), true, last);
    }

    @Override
    public void flush(Runnable then) {
        then.run();
    }

    @Override
    public CompletionStage<Snapshot> members(String room, int limit) {
        Snapshot[] snapshot = {new Snapshot(List.of(), 0)};
        rooms.computeIfPresent(room, (k, r) -> {
            List<Member> list = new ArrayList<>(Math.min(limit, r.members.size()));
            for (Map.Entry<String, String> e : r.members.entrySet()) {
                if (list.size() == limit) {
                    break;
                }
                list.add(new Member(e.getKey(), e.getValue()));
            }
            snapshot[0] = new Snapshot(list, r.members.size());
            return r;
        });
        return CompletableFuture.completedFuture(snapshot[0]);
    }

    @Override
    public void stop() {
        rooms.clear();
    }
}
