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
}
