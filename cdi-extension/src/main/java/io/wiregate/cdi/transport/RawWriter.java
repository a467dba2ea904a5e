package io.wiregate.cdi.transport;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Internal SPI: writes bytes that are already WebSocket frames straight to one connection's socket, for the
 * containers that allow it ({@link Transports#raw}).
 */
@FunctionalInterface
public interface RawWriter {

    /**
     * Writes {@code frames} (whole frames only), in order after every earlier write, without blocking.
     *
     * @param done called once when written, with null, or with the failure
     * @throws RuntimeException if the write fails at once; then {@code done} is not called
     */
    void write(ByteBuffer frames, Consumer<Throwable> done);
}
