package io.wiregate.cdi.transport;

import java.nio.ByteBuffer;

import io.wiregate.protocol.WebSocketFrames;

/**
 * One frame for a client, possibly shared by every recipient of a delivery: its JSON text, and, for transports
 * that write raw WebSocket frames, its encoding, computed once on first use and then reused for all recipients.
 * Immutable once encoded; safe to share between threads.
 */
public final class OutboundFrame {

    /** A WebSocket ping with no payload. */
    public static final OutboundFrame PING = new OutboundFrame(null, new byte[] {(byte) 0x89, 0x00});

    private final String text;
    private volatile byte[] encoded;

    /** A text frame carrying {@code text}. */
    public OutboundFrame(String text) {
        this(java.util.Objects.requireNonNull(text, "text"), null);
    }

    private OutboundFrame(String text, byte[] encoded) {
        this.text = text;
        this.encoded = encoded;
    }

    /** The JSON text of the frame; null for {@link #PING}. */
    public String text() {
        return text;
    }

    /** Whether this is {@link #PING}. */
    public boolean isPing() {
        return this == PING;
    }

    /**
     * The unmasked, unfragmented WebSocket frame (RFC 6455 section 5.2): a text frame carrying {@link #text()},
     * or the ping.
     */
    public byte[] encoded() {
        byte[] e = encoded;
        if (e == null) {
            e = encode(text);
            encoded = e; // a race computes it twice, harmlessly
        }
        return e;
    }

    /**
     * The payload of {@link #encoded()} (the UTF-8 of {@link #text()}), without a copy: for containers that write
     * each connection's frame header themselves. A new buffer over the shared bytes on every call.
     */
    public ByteBuffer encodedPayload() {
        byte[] e = encoded();
        int length = e[1] & 0x7F;
        int header = length < 126 ? 2 : length == 126 ? 4 : 10;
        return ByteBuffer.wrap(e, header, e.length - header).slice();
    }

    /** Encodes {@code text} as a final text frame as a server sends it. */
    public static byte[] encode(String text) {
        return WebSocketFrames.text(text);
    }
}
