package io.wiregate.cdi.spi;

import io.wiregate.Identity;

/**
 * One connection of a {@link HostedGateway}, as its runtime reports what happens on it. The runtime calls
 * {@link #text}, {@link #binary} and {@link #tooBig} for one connection one at a time, in the order its messages
 * arrived, on threads that may block (handlers run there); the other methods from any thread.
 *
 * <p>Internal SPI of Wiregate's runtimes, not an application API: it may change in any release.
 */
public interface GatewayConnection {

    /**
     * Opens the connection: connection interceptors, registration, timers, and {@code connected} at once unless
     * the gateway authenticates in-band.
     *
     * @param handshakeIdentity the identity the handshake guard established ({@link HostedGateway#check}), or null
     * @param query             the upgrade request's query parameters, decoded (a resuming client presents its
     *                          session there: docs/protocol.md section 9); empty when it had none
     */
    void open(Identity handshakeIdentity, java.util.Map<String, java.util.List<String>> query);

    /** A whole text message arrived (fragments already joined, UTF-8 already checked). */
    void text(String text);

    /** A whole binary message of {@code size} bytes arrived. */
    void binary(int size);

    /** A message grew past {@link HostedGateway#maxMessageBytes()}: the connection closes with 1009. */
    void tooBig();

    /** Some frame of the client's arrived (a ping or pong too): it restarts the heartbeat timer. Cheap. */
    void frameArrived();

    /**
     * The connection ended: with the code and reason of the client's close frame, or 1006 and {@code ""} when the
     * TCP connection ended without one. Reported once; later reports are ignored.
     */
    void closed(int code, String reason);

    /** The runtime failed on this connection (logged at a fine level; the runtime then closes it). */
    void failed(Throwable error);
}
