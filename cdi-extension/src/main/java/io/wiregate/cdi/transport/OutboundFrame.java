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
    public static final OutboundFrame PING = new OutboundFrame(null, new byte[] {(byte) 0x89, 0x00}, false);

    private final String text;
    private final boolean delivery;
    private volatile byte[] encoded;
    /** The frame in a transport's own shareable form (see {@link #shared}). */
    private volatile Object shared;

    /** A text frame carrying {@code text}, for one client. */
    public OutboundFrame(String text) {
        this(java.util.Objects.requireNonNull(text, "text"), null, false);
    }

    private OutboundFrame(String text, byte[] encoded, boolean delivery) {
        this.text = text;
        this.encoded = encoded;
        this.delivery = delivery;
    }

    /** A text frame carrying {@code text}, made once for every recipient of a delivery. */
    public static OutboundFrame delivery(String text) {
        return new OutboundFrame(java.util.Objects.requireNonNull(text, "text"), null, true);
    }

    /** Whether this frame was made for every recipient of a delivery ({@link #delivery}), not for one client. */
    public boolean isDelivery() {
        return delivery;
    }

    /**
     * The frame in a transport's own form, shared by every recipient (for example one direct buffer that each
     * connection writes a view of): made by {@code make} the first time a transport asks, then the same object for
     * every later call. A runtime uses one kind of transport; a caller that asks for another type than the one
     * stored gets a fresh one, not stored.
     */
    public <T> T shared(Class<T> type, java.util.function.Function<OutboundFrame, ? extends T> make) {
        Object s = shared;
        if (type.isInstance(s)) {
            return type.cast(s);
        }
        T made = make.apply(this);
        if (s == null) {
            shared = made; // a race makes it twice, harmlessly: each caller uses its own
        }
        return made;
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
