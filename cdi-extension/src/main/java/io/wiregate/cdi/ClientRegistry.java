package io.wiregate.cdi;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clients, users and rooms of one gateway on this node.
 *
 * <p>Thread-safety: every structure is a concurrent map whose per-key updates are atomic
 * ({@code compute}), so joins, leaves, closes and deliveries run concurrently without a global lock.
 * Iteration during a delivery is weakly consistent: a client joining during the delivery may or may not
 * get it, and nobody gets it twice.
 */
final class ClientRegistry {

    private final ConcurrentHashMap<String, Connection> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<Connection>> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<Connection>> users = new ConcurrentHashMap<>();
    /** The gateway's connection state recovery, or null when it has none; set once at startup. */
    private volatile Recovery recovery;
    /** The gateway's presence, or null when it has none; set once at startup. */
    private volatile PresenceTracker presence;
    private final GatewayMetrics metrics = new GatewayMetrics();

    /** Turns on connection state recovery for this gateway (docs/protocol.md section 9). Once, at startup. */
    void enableRecovery(java.util.concurrent.ScheduledExecutorService timers, GatewayLimits limits) {
        recovery = new Recovery(this, timers, limits.recoveryWindowMs(), limits.recoveryMaxEvents(), limits.outboundQueue());
    }

    /** The gateway's connection state recovery, or null when it has none. */
    Recovery recovery() {
        return recovery;
    }

    /** Turns on presence for this gateway (docs/protocol.md section 11): every membership change goes to it. Once, at startup. */
    void enablePresence(PresenceTracker tracker) {
        presence = tracker;
    }

    /** The gateway's presence, or null when it has none. */
    PresenceTracker presence() {
        return presence;
    }

    /** The gateway's figures on this node. */
    GatewayMetrics metrics() {
        return metrics;
    }

    /** Registers a new connection and puts it in the room named by its own id. */
    public void add(Connection c) {
        clients.put(c.id(), c);
        join(c, c.id());
    }

    /** Forgets a connection: its rooms, its user and itself. Idempotent. */
    public void remove(Connection c) {
        if (!clients.remove(c.id(), c)) {
            return;
        }
        for (String room : c.memberships()) {
            leave(c, room);
        }
        String userId = c.userId();
        if (userId != null) {
            removeFrom(users, userId, c);
        }
    }

    /**
     * Moves a registered connection that is not connected yet (so that no delivery targets it) to another client
     * id: a resumed session's (docs/protocol.md section 9). The room of its old id becomes the room of the new one.
     *
     * @return false if the connection was no longer registered
     */
    boolean rekey(Connection c, String newId) {
        String old = c.id();
        if (!clients.remove(old, c)) {
            return false;
        }
        leave(c, old);
        c.id(newId);
        clients.put(newId, c);
        join(c, newId);
        if (c.state() == Connection.State.CLOSED) { // its close may have forgotten it under the old id meanwhile
            remove(c);
            return false;
        }
        return true;
    }

    /** Adds a connection to a room; returns false if the connection is no longer registered. */
    public boolean join(Connection c, String room) {
        if (!clients.containsKey(c.id())) {
            return false;
        }
        PresenceTracker p = presence;
        rooms.compute(room, (k, members) -> { // membership and index change together, under the room's bin lock
            Set<Connection> set = members == null ? ConcurrentHashMap.newKeySet() : members;
            if (set.add(c) && p != null) {
                p.changed(c, room, true); // under the lock: the store gets one room's changes in their order
            }
            c.memberships().add(room);
            return set;
        });
        if (p != null) {
            p.announcePending();
        }
        if (!clients.containsKey(c.id())) { // closed meanwhile: undo, remove() may have missed this room
            leave(c, room);
            return false;
        }
        return true;
    }

    /** Removes a connection from a room. */
    public void leave(Connection c, String room) {
        PresenceTracker p = presence;
        rooms.compute(room, (k, members) -> {
            c.memberships().remove(room);
            if (members == null) {
                return null;
            }
            if (members.remove(c) && p != null) {
                p.changed(c, room, false);
            }
            return members.isEmpty() ? null : members;
        });
        if (p != null) {
            p.announcePending();
        }
    }

    /** Indexes a connection under its user id (once authenticated). */
    public void bindUser(Connection c, String userId) {
        users.compute(userId, (k, sessions) -> {
            Set<Connection> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
            set.add(c);
            return set;
        });
        if (!clients.containsKey(c.id())) {
            removeFrom(users, userId, c);
        }
    }

    /** The connection with this id, or null. */
    public Connection client(String id) {
        return clients.get(id);
    }

    /** The members of a room (a live view; empty if none). */
    public Collection<Connection> room(String room) {
        Set<Connection> members = rooms.get(room);
        return members == null ? List.of() : members;
    }

    /** The sessions of a user (a live view; empty if none). */
    public Collection<Connection> user(String userId) {
        Set<Connection> sessions = users.get(userId);
        return sessions == null ? List.of() : sessions;
    }

    /** Every connection (a live view). */
    public Collection<Connection> all() {
        return clients.values();
    }

    /** How many connections are registered. */
    public int size() {
        return clients.size();
    }

    private static void removeFrom(ConcurrentHashMap<String, Set<Connection>> index, String key, Connection c) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
    }
}
