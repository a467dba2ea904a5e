package io.wiregate;

/**
 * How a connection closed: the WebSocket close code (docs/protocol.md section 6) and its reason text.
 *
 * @param code   the close code, for example 1000, 1001 or 4005
 * @param reason the reason phrase, possibly empty, never null
 */
public record CloseStatus(int code, String reason) {
    /** Creates a status; a null reason becomes the empty string. */
    public CloseStatus {
        reason = reason == null ? "" : reason;
    }
}
