package io.wiregate.client;

/**
 * An open connection ended, or the client gave up connecting.
 *
 * @param code          the close code (docs/protocol.md section 6), 1006 when the connection failed without one
 * @param reason        the close reason, empty when none
 * @param willReconnect whether the client is going to connect again
 */
public record Disconnected(int code, String reason, boolean willReconnect) {
}
