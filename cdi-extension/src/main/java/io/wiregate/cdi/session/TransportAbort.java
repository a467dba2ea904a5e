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
     * Prepares the abort of the connection under {@code session}, while it is open (containers stop exposing
     * the transport of a closing session).
     *
     * @return what drops the connection (harmless if it is closed by then), or null if this container's
     *         session is not one it knows how to abort
     */
    Runnable aborterFor(Session session);
}
