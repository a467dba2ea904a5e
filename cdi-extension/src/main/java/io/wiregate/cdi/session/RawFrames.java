package io.wiregate.cdi.session;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import jakarta.websocket.Session;

/**
 * Internal SPI, one per container that allows it: writes pre-encoded WebSocket frames straight to a
 * connection's transport, several per write. A delivery is then encoded once for all its recipients and a
 * client's queued frames leave in one system call, where the portable path encodes and writes every frame of
 * every recipient on its own. Found with {@link java.util.ServiceLoader}; without one, the portable
 * {@code RemoteEndpoint.Async} path is used.
 */
public interface RawFrames {

    /** Writes encoded frames to one connection. */
    interface Writer {
        /**
         * Writes {@code frames} (whole frames only), in order after every earlier write, without blocking.
         *
         * @param done called once when written, with null, or with the failure
         */
        void write(ByteBuffer frames, Consumer<Throwable> done);
    }

    /** A raw writer for this session, or null when this session cannot take raw frames (then: portable path). */
    Writer writerFor(Session session);
}
