package io.wiregate.client;

import java.util.List;

/**
 * The server's {@code connected} event (docs/protocol.md section 4): the connection is ready.
 *
 * @param id        the client id the server gave this connection
 * @param userId    the authenticated user id, or null when anonymous
 * @param time      the server's time of the event, in epoch milliseconds
 * @param rooms     the rooms the client is a member of: the gateway's default rooms, or, when {@code recovered},
 *                  every room of the recovered session
 * @param recovered whether the server recovered the client's session (section 9): the same client id, rooms, and
 *                  the events missed while disconnected, which follow; false on a first connection, on a gateway
 *                  without recovery, and when the session could not be recovered (the application should then
 *                  reload what it shows)
 */
public record Connected(String id, String userId, long time, List<String> rooms, boolean recovered) {

    /**
     * Copies {@code rooms} (null becomes empty).
     *
     * @param id        the client id
     * @param userId    the user id, or null
     * @param time      epoch milliseconds
     * @param rooms     the rooms
     * @param recovered whether the session was recovered
     */
    public Connected {
        rooms = rooms == null ? List.of() : List.copyOf(rooms);
    }

    /** A {@code connected} that recovered nothing. */
    public Connected(String id, String userId, long time, List<String> rooms) {
        this(id, userId, time, rooms, false);
    }
}
