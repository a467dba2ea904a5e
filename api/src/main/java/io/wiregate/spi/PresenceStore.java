package io.wiregate.spi;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.wiregate.Member;

/**
 * Who is in the rooms of one gateway with presence (docs/protocol.md section 11), as the nodes of an application
 * share it. Wiregate hands the store every change of its local memberships, in order, and asks it who is in a room; a
 * store shared by several nodes also removes the members of a node that stopped without saying so, and reports them.
 *
 * <p>A store is provided by a {@link ClusterBus} ({@link ClusterBus#presenceStore}); without one, presence is kept in
 * memory on the node. Implementations must be thread-safe, must never block in {@link #apply} or {@link #flush}, must
 * apply one node's changes in the order it gave them, and must call every callback exactly once.
 */
public interface PresenceStore {

    /**
     * A connection joined or left a room.
     *
     * @param room     the room
     * @param clientId the connection's client id
     * @param userId   its user id, or {@code null} when anonymous
     * @param joined   true for a join, false for a leave
     */
    record Change(String room, String clientId, String userId, boolean joined) {
        public Change {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(clientId, "clientId");
        }
    }

    /**
     * What a change did.
     *
     * @param change the change (for a leave the store reports, with the user id the join had)
     * @param member whether it changed the room's members: a join of a client that was not a member, a leave of one
     *               that was
     * @param user   whether it changed the room's users: the first connection of its user joined, or the last one left
     *               (always false for anonymous connections)
     */
    record Outcome(Change change, boolean member, boolean user) {
    }

    /**
     * The members of a room.
     *
     * @param members at most the number asked for
     * @param count   how many members the room has
     */
    record Snapshot(List<Member> members, long count) {
        public Snapshot {
            members = List.copyOf(members);
        }
    }

    /**
     * Starts the store.
     *
     * @param current    this node's memberships now, for a store that has to register them again (its record of this
     *                   node was lost: the broker restarted empty, or this node was out of touch for longer than its
     *                   lease)
     * @param departures told of each member the store itself removed (of a node that stopped without leaving, or of
     *                   this node before it registers again), from a thread of the store
     * @throws Exception if the store cannot start; the deployment then fails
     */
    void start(Supplier<List<Change>> current, Consumer<Outcome> departures) throws Exception;

    /** Applies a change after every change this node gave before, then tells {@code then} what it did. */
    void apply(Change change, Consumer<Outcome> then);

    /** Runs {@code then} once every change given before has been applied. */
    void flush(Runnable then);

    /**
     * Who is in a room.
     *
     * @param limit the most members to list (the count is of all of them)
     */
    CompletionStage<Snapshot> members(String room, int limit);

    /** Stops the store; changes still waiting are applied if the broker answers within a second or two. Idempotent. */
    void stop();
}
