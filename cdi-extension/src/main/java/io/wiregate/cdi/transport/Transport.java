package io.wiregate.cdi.transport;

import java.util.List;
import java.util.function.Consumer;

/**
 * Internal SPI: the port between one connection and its container. Everything Wiregate sends a client goes through
 * its transport: batches of frames with a completion, the close frame, and, where the container allows it, the
 * abrupt end of the TCP connection. One implementation per kind of container ({@link Transports}); a
 * {@link ContainerProfile} chooses which one a connection gets.
 *
 * <p>Sizes ({@link #window()}, {@link #maxBatch()}, {@link #sizeOf}) are in the transport's own unit: characters
 * for a transport that sends text messages, bytes for one that writes encoded frames.
 *
 * <p>Thread-safety: {@link #write} is called by one thread at a time (the owner of the connection's
 * {@link OutboundQueue} drain), possibly while earlier writes are in flight; the other methods from any thread.
 */
public interface Transport {

    /**
     * How much may be in flight: once the writes in flight reach this size, no other write starts until one
     * completes (one write always may). 1 means one write at a time. May shrink while the connection lives (a
     * container found to refuse overlapping writes).
     */
    int window();

    /** Most of the transport's size one write gathers, or 0 when every write carries exactly one frame. */
    int maxBatch();

    /** What {@code frame} counts for against {@link #window()} and {@link #maxBatch()}. */
    int sizeOf(OutboundFrame frame);

    /**
     * Writes {@code frames}, whole and in order, after every earlier write, without blocking the caller.
     *
     * @param frames at least one frame; one unless {@link #maxBatch()} is positive
     * @param done   called exactly once when the frames are written (with null) or the write failed (with the
     *               cause), possibly on the calling thread before this returns
     * @throws RuntimeException if the write fails at once; then {@code done} is not called
     */
    void write(List<OutboundFrame> frames, Consumer<Throwable> done);

    /**
     * Sends the close frame with {@code code} and {@code reason} (cut to the 123 bytes of UTF-8 a close frame
     * holds) after what was written before, and lets the container complete the close handshake. Never throws:
     * a connection that is already gone stays gone.
     */
    void close(int code, String reason);

    /**
     * Drops the TCP connection now, discarding what is still queued for it, for a client that stopped reading
     * and will never see its close frame. Does nothing where the container has no way to do it.
     */
    void abort();

    /** Whether {@link #abort()} can drop the connection here (else it does nothing). */
    boolean canAbort();

    /** Whether the container still considers the connection open. */
    boolean isOpen();
}
