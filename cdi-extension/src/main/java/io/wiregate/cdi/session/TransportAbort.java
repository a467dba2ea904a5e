package io.wiregate.cdi.session;

import jakarta.websocket.Session;

/**
 * Internal SPI, one per container: drops a connection's TCP connection at once, discarding what is still
 * queued for it. Jakarta WebSocket has no such call: {@code Session.close} only sends a close frame, which a
 * client that stopped reading never receives, so the socket would stay open. A runtime provides it through
 * {@link java.util.ServiceLoader}; without one, nothing more than the close frame is attempted.
 */
public interface TransportAbort {

    /**
     * Drops the connection under {@code session}; harmless if it is already closed.
     *
     * @return false if this container's session is not one it knows how to abort
     */
    boolean abort(Session session);
}
