package io.wiregate.cdi.session;

import io.wiregate.protocol.WebSocketFrames;

/**
 * One server frame shared by every recipient of a delivery: its JSON text, and, for transports that write
 * raw WebSocket frames, its encoding, computed once on first use and then reused for all recipients.
 * Immutable once encoded; safe to share between threads.
 */
public final class OutboundFrame {

    private final String text;
    private volatile byte[] encoded;

    public OutboundFrame(String text) {
        this.text = text;
    }

    /** The JSON text of the frame. */
    public String text() {
        return text;
    }

    /** The unmasked, unfragmented WebSocket text frame (RFC 6455 section 5.2) carrying {@link #text()}. */
    public byte[] encoded() {
        byte[] e = encoded;
        if (e == null) {
            e = encode(text);
            encoded = e; // a race computes it twice, harmlessly
        }
        return e;
    }

    /** Encodes {@code text} as a final text frame as a server sends it. */
    public static byte[] encode(String text) {
        return WebSocketFrames.text(text);
    }
}
