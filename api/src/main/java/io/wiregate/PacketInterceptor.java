package io.wiregate;

/**
 * Sees every inbound packet of authenticated clients (application events, {@code join} and {@code leave})
 * of the gateways it applies to (see {@link GatewayBinding}), before it is handled. Implement it as a CDI
 * bean; chains run in {@code jakarta.annotation.Priority} order, lowest first (without {@code @Priority}: 5000).
 *
 * <p>Call {@code chain.proceed()} to let the packet through; return without calling it (after
 * {@link Packet#refuse(String)}) to answer it with {@code forbidden}. An interceptor that throws gets the
 * client an {@code internal} error with nothing of the exception, and affects no other client.
 */
public interface PacketInterceptor {

    /** An inbound packet. */
    void onPacket(Packet packet, Chain chain) throws Exception;
}
