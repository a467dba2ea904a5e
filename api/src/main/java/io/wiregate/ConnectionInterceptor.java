package io.wiregate;

/**
 * Sees every connection of the gateways it applies to (see {@link GatewayBinding}): {@link #enter} when it
 * opens, before {@code connected} or the authentication timer; {@link #exit} when it closes. Implement it as
 * a CDI bean; chains run in {@code jakarta.annotation.Priority} order, lowest first (beans without
 * {@code @Priority} count as 5000).
 *
 * <p>An {@code enter} that does not call {@link Chain#proceed()} refuses the connection: it is closed with
 * 1008. An {@code enter} that throws closes it with 1011; nothing of the exception reaches the client, and no
 * other connection is affected. {@code exit} runs for every connection whose {@code enter} chain began.
 */
public interface ConnectionInterceptor {

    /** A connection opened. Call {@code chain.proceed()} to accept it. */
    default void enter(Peer peer, Chain chain) throws Exception {
        chain.proceed();
    }

    /** A connection closed. */
    default void exit(Peer peer, CloseStatus status, Chain chain) throws Exception {
        chain.proceed();
    }
}
