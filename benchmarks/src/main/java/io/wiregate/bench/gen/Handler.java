package io.wiregate.bench.gen;

import java.nio.ByteBuffer;

/** What a scenario does with its connections' events. Every method runs on the connection's I/O thread. */
public interface Handler {

    /** The WebSocket handshake completed. */
    default void opened(Conn conn) {
    }

    /**
     * A complete text message: {@code buf[offset, offset + length)}, valid only during the call.
     *
     * @param now {@link System#nanoTime()} when the socket read that brought it returned
     */
    void text(Conn conn, ByteBuffer buf, int offset, int length, long now);

    /** The connection ended: a close frame from the server (its code), or the socket closed/failed (-1). */
    default void closed(Conn conn, int code) {
    }

    /** After each round of the I/O loop (for flow control). */
    default void afterRound(IoLoop loop) {
    }
}
