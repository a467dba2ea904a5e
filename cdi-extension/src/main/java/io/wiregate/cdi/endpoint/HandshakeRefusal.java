package io.wiregate.cdi.endpoint;

import jakarta.websocket.HandshakeResponse;

/**
 * Internal SPI, one per container: how to refuse a WebSocket handshake with an HTTP status before any
 * upgrade. The Jakarta WebSocket API has no portable way to do it from a configurator, so each runtime that
 * can provides one through {@link java.util.ServiceLoader}. Where none is found, a refused handshake is
 * upgraded and the connection closed with 4003 before any frame (docs/protocol.md section 1's fallback).
 */
public interface HandshakeRefusal {

    /**
     * Refuses the handshake in progress with {@code status}. Called from
     * {@code ServerEndpointConfig.Configurator#modifyHandshake}; may complete abruptly with the container's own
     * exception to abort the upgrade.
     *
     * @return false if it could not refuse, so the fallback applies
     */
    boolean refuse(int status, String reason, HandshakeResponse response);
}
