package io.wiregate.protocol;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who receives a delivery (docs/protocol.md section 7): one client id, every session of one user id, the members
 * of a room, or every client of a namespace, minus excluded client ids. The one value behind a gateway's
 * {@code Broadcaster} and the Redis {@code Emitter}; a cluster message (section 8) carries it as {@code type},
 * {@code target} and {@code exclude}. Immutable: {@link #except} returns a new value.
 *
 * @param kind    what {@code id} names
 * @param id      the client id, user id or room name; {@code null} for {@link Kind#BROADCAST}
 * @param exclude client ids that do not receive it (an unmodifiable copy; empty when none)
 */
public record Target(Kind kind, String id, Set<String> exclude) {

    /** What a target's {@code id} names, with the name section 8 gives it in a message's {@code type}. */
    public enum Kind {
        /** One client id. */
        CLIENT("client"),
        /** Every session of one user id. */
        USER("user"),
        /** Every member of one room. */
        ROOM("room"),
        /** Every client of the namespace. */
        BROADCAST("broadcast");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        /** The {@code type} of a section 8 message: {@code client}, {@code user}, {@code room} or {@code broadcast}. */
        public String wire() {
            return wire;
        }

        /** The kind whose {@link #wire()} name is {@code type}, or {@code null} when there is none. */
        static Kind ofWire(String type) {
            for (Kind k : values()) {
                if (k.wire.equals(type)) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * Checks and copies the parts.
     *
     * @throws NullPointerException     if {@code kind} or {@code exclude} is null, an excluded id is null, or a client
     *                                  or user target has no id
     * @throws IllegalArgumentException if a room target's id is not a valid room name (1 to 128 characters, no
     *                                  control characters), or a broadcast has an id
     */
    public Target {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case CLIENT -> Objects.requireNonNull(id, "clientId");
            case USER -> Objects.requireNonNull(id, "userId");
            case ROOM -> EventNames.requireValidRoom(id);
            case BROADCAST -> {
                if (id != null) {
                    throw new IllegalArgumentException("A broadcast names no id");
                }
            }
        }
        exclude = Set.copyOf(exclude);
    }

    /**
     * The one client with this id, on whichever node it is connected.
     *
     * @throws NullPointerException if {@code clientId} is null
     */
    public static Target client(String clientId) {
        return new Target(Kind.CLIENT, clientId, Set.of());
    }

    /**
     * Every session of this user id.
     *
     * @throws NullPointerException if {@code userId} is null
     */
    public static Target user(String userId) {
        return new Target(Kind.USER, userId, Set.of());
    }

    /**
     * Every member of this room.
     *
     * @throws IllegalArgumentException if {@code room} is not 1 to 128 characters without control characters
     */
    public static Target room(String room) {
        return new Target(Kind.ROOM, room, Set.of());
    }

    /** Every client of the namespace. */
    public static Target all() {
        return new Target(Kind.BROADCAST, null, Set.of());
    }

    /**
     * The same recipients minus these client ids, as well as those excluded already.
     *
     * @return a new value; this one is unchanged
     * @throws NullPointerException if an id is null
     */
    public Target except(String... clientIds) {
        return except(Arrays.asList(clientIds));
    }

    /**
     * The same recipients minus these client ids, as well as those excluded already.
     *
     * @return a new value; this one is unchanged
     * @throws NullPointerException if {@code clientIds} or an id in it is null
     */
    public Target except(Collection<String> clientIds) {
        Set<String> all = new HashSet<>(exclude);
        for (String clientId : clientIds) {
            all.add(Objects.requireNonNull(clientId, "client id"));
        }
        return new Target(kind, id, all);
    }
}
