package io.wiregate.cdi.transport;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;

/**
 * Internal SPI: everything Wiregate does differently from one container to another, in one place. A profile is
 * chosen once when Wiregate registers its gateways ({@link ContainerProfiles#forContainer}, or the standalone
 * runtime's own), and supplies each connection's {@link Transport}, the refusal of a handshake with an HTTP status,
 * and the hook that reports frames Jakarta WebSocket hides.
 */
public interface ContainerProfile {

    /** A short name for logs and diagnostics, such as {@code "open-liberty"}. */
    String name();

    /**
     * The transport of a session that just opened (called from {@code Endpoint.onOpen}, while the session is open).
     *
     * @param settings the transport settings Wiregate started with
     * @param onFrame  to run whenever the client's frames arrive, where the container can tell (pings included,
     *                 which Jakarta WebSocket answers without telling the endpoint); may never run
     */
    Transport transportFor(Session session, TransportSettings settings, Runnable onFrame);

    /**
     * Refuses the handshake in progress with an HTTP {@code status} before any upgrade. Called from
     * {@code ServerEndpointConfig.Configurator#modifyHandshake}; may complete abruptly with the container's own
     * exception to abort the upgrade.
     *
     * @return false if this container cannot, so that the upgrade goes ahead and the connection is closed with
     *         4003 before any frame (docs/protocol.md section 1)
     */
    boolean refuseHandshake(int status, String reason, HandshakeResponse response);
}
