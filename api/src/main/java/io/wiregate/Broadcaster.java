package io.wiregate;

/**
 * Pushes server events to the clients of the gateway {@code G}. Inject it anywhere:
 * {@code @Inject Broadcaster<ChatGateway> chat;}. The type argument names the gateway, so no path
 * string is ever written; injecting a {@code Broadcaster} of a class that is not a {@link Gateway}
 * fails the deployment.
 *
 * <p>Each call returns an immutable {@link Recipients} value. Its {@code emit} serializes the payload
 * once, delivers it to the matching local connections (only connections that completed authentication,
 * for user, room and broadcast targets), and publishes it once to the cluster bus so that the clients on
 * other nodes get it too. It never blocks on a slow client.
 *
 * @param <G> the gateway class
 */
public interface Broadcaster<G> {

    /** The one client with this id, on whichever node it is connected. */
    Recipients toClient(String clientId);

    /** Every session of this user id. */
    Recipients toUser(String userId);

    /** Every member of this room. */
    Recipients toRoom(String room);

    /** Every connected client of the gateway. */
    Recipients toAll();

    /**
     * Who is in a room now, on every node: each member connection with its user id (docs/protocol.md section 11).
     * Completes once the answer is known (at once on a single node; after a round trip to Redis on several); completes
     * exceptionally if the cluster's store cannot be reached.
     *
     * @param room a room name: 1 to 128 characters without control characters
     * @return the members, in no particular order
     * @throws IllegalArgumentException if the room name is not valid
     * @throws IllegalStateException    if the gateway's {@link Gateway#presence()} is {@link Presence#OFF}
     */
    java.util.concurrent.CompletionStage<java.util.List<Member>> presence(String room);
}
