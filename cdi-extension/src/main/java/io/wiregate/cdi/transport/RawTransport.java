package io.wiregate.cdi.transport;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

import jakarta.websocket.Session;

/**
 * Writes pre-encoded frames straight to the connection's socket ({@link RawWriter}): a delivery is encoded once for
 * all its recipients ({@link OutboundFrame#encoded()}), and a client's queued frames leave in one write, up to
 * {@link #MAX_BATCH_BYTES}. A single frame is written from the shared encoding without a copy.
 */
final class RawTransport extends SessionTransport {

    /** Most bytes one write gathers. */
    static final int MAX_BATCH_BYTES = 64 * 1024;

    private final RawWriter writer;
    private final int window;

    /**
     * @param window bytes in flight past which no other write starts; 1: one at a time
     * @param abort  drops the TCP connection, or null
     */
    RawTransport(Session session, RawWriter writer, int window, Runnable abort) {
        super(session, abort);
        this.writer = writer;
        this.window = requireWindow(window);
    }

    @Override
    public int window() {
        return window;
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH_BYTES;
    }

    @Override
    public int sizeOf(OutboundFrame frame) {
        return frame.encoded().length;
    }

    @Override
    public void write(List<OutboundFrame> frames, Consumer<Throwable> done) {
        writer.write(frames.size() == 1 ? ByteBuffer.wrap(frames.get(0).encoded()) : concatenated(frames), done);
    }

    private static ByteBuffer concatenated(List<OutboundFrame> frames) {
        int length = 0;
        for (OutboundFrame frame : frames) {
            length += frame.encoded().length;
        }
        ByteBuffer batch = ByteBuffer.allocate(length);
        for (OutboundFrame frame : frames) {
            batch.put(frame.encoded());
        }
        return batch.flip();
    }
}
