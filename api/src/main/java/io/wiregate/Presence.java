package io.wiregate;

/**
 * What a {@link Gateway} tracks of who is in its rooms (docs/protocol.md section 11), on every node of the cluster.
 * Every level but {@link #OFF} tracks the members of every room (the room of a client's own id excepted), answers
 * {@link Broadcaster#presence(String)} and the clients' {@code presence} request; the event levels also tell the
 * members of a room when its members change.
 */
public enum Presence {
    /** No presence: {@link Broadcaster#presence(String)} throws, a client's {@code presence} request is unknown. */
    OFF,
    /** Tracked and queryable; no events. */
    TRACKED,
    /**
     * Tracked, and {@code presence.join} / {@code presence.leave} go to a room's other members each time a connection
     * joins or leaves it (closing counts as leaving every room).
     */
    CLIENTS,
    /**
     * Tracked, and {@code presence.online} / {@code presence.offline} go to a room's other members when the first
     * connection of a user joins it and when the last one leaves it: once per user, however many tabs it has open.
     * Anonymous connections are tracked but announce nothing.
     */
    USERS
}
