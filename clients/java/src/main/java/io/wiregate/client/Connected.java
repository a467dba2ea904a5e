package io.wiregate.client;

import java.util.List;

/**
 * The server's {@code connected} event (docs/protocol.md section 4): the connection is ready.
 *
 * @param id     the client id the server gave this connection
 * @param userId the authenticated user id, or null when anonymous
 * @param time   the server's time of the event, in epoch milliseconds
 * @param rooms  the gateway's default rooms the client is a member of
 */
public record Connected(String id, String userId, long time, List<String> rooms) {

    /**
     * Copies {@code rooms} (null becomes empty).
     *
     * @param id     the client id
     * @param userId the user id, or null
     * @param time   epoch milliseconds
     * @param rooms  the default rooms
     */
    public Connected {
        rooms = rooms == null ? List.of() : List.copyOf(rooms);
    }
}
