package io.wiregate.cdi.session;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.RemoteEndpoint;

/**
 * The bounded outbound queue of one connection, drained by asynchronous writes, one write in flight at a time.
 *
 * <p>Two transports: the portable one sends one text message per write through {@code RemoteEndpoint.Async};
 * a raw one ({@link RawFrames.Writer}) writes pre-encoded frames, everything queued (up to 64 KiB) in one write,
 * and encodes a shared {@link OutboundFrame} once for all its recipients.
 *
 * <p>Thread-safety: any thread may {@link #offer} concurrently; frames offered by one thread are sent in the
 * order offered. Whoever wins the {@code sending} flag owns the drain; a completion hands ownership on. No
 * thread ever waits for the socket, and a frame is never copied per recipient on the portable path.
 */
public final class OutboundQueue {

    /** What happens to the connection when a send or the bound fails. */
    public interface Listener {
        /** The bound was exceeded by a non-volatile frame: the queue is now empty and closed. */
        void overflowed();

        /** A send failed (the peer went away); the queue is now closed. */
        void failed(Throwable cause);
    }

    /** Most bytes one raw write gathers from the queue. */
    static final int MAX_BATCH_BYTES = 64 * 1024;

    private record Last(String frame, Runnable afterSent) {
    }

    private final RemoteEndpoint.Async remote;
    private final RawFrames.Writer raw;
    private final int bound;
    private final Listener listener;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile boolean closed;
    /** Set by {@link #close()}: what is still queued is dropped (a graceful {@link #offerLast} keeps it). */
    private volatile boolean discarding;
    /** The thread inside a write, so that a completion on that same thread does not recurse. */
    private volatile Thread dispatching;
    private volatile Runnable afterInFlight;
    /** While held, frames queue up but are not sent (see {@link #hold()}). */
    private volatile boolean held;

    /**
     * A queue on the portable transport.
     *
     * @param remote   where frames go
     * @param bound    most frames waiting (the one in flight not counted)
     * @param listener told about overflow and failures
     */
    public OutboundQueue(RemoteEndpoint.Async remote, int bound, Listener listener) {
        this(remote, null, bound, listener);
    }

    /**
     * A queue writing raw frames through {@code raw} when it is not null, else through {@code remote}.
     */
    public OutboundQueue(RemoteEndpoint.Async remote, RawFrames.Writer raw, int bound, Listener listener) {
        this.remote = remote;
        this.raw = raw;
        this.bound = bound;
        this.listener = listener;
    }

    /**
     * Queues a frame for this connection only.
     *
     * @param volatileFrame if true, a full queue drops this frame instead of overflowing
     * @return whether the frame was queued
     */
    public boolean offer(String frame, boolean volatileFrame) {
        return enqueue(frame, volatileFrame);
    }

    /** Queues a frame shared with other recipients. */
    public boolean offer(OutboundFrame frame, boolean volatileFrame) {
        return enqueue(frame, volatileFrame);
    }

    private boolean enqueue(Object frame, boolean volatileFrame) {
        if (closed) {
            return false;
        }
        if (size.incrementAndGet() > bound) {
            size.decrementAndGet();
            if (!volatileFrame) {
                overflow();
            }
            return false;
        }
        queue.add(frame);
        drain();
        return true;
    }

    /**
     * Queues a last frame (whatever the bound), closes the queue to further frames, and runs
     * {@code afterSent} once that frame has been written, or at once if the queue was already closed.
     */
    public void offerLast(String frame, Runnable afterSent) {
        synchronized (this) {
            if (closed) {
                afterSent.run();
                return;
            }
            closed = true;
        }
        size.incrementAndGet();
        queue.add(new Last(frame, afterSent));
        drain();
    }

    /** Discards every queued frame and refuses new ones. */
    public void close() {
        closed = true;
        discarding = true;
        queue.clear();
        size.set(0);
    }

    /**
     * Holds sending: frames keep queuing (within the bound) but none is written until {@link #release()}.
     * Used while a connection becomes connected, so that the client sees {@code connected} only once the
     * {@code @OnOpen} callbacks (which may join rooms) have run.
     */
    public void hold() {
        held = true;
    }

    /** Ends {@link #hold()} and sends what queued meanwhile. */
    public void release() {
        held = false;
        drain();
    }

    /** Frames waiting, the one in flight not counted. */
    public int size() {
        return size.get();
    }

    private void overflow() {
        synchronized (this) {
            if (closed) {
                return;
            }
            close();
        }
        listener.overflowed();
    }

    /** The next frame to send, skipping what a discarded queue drops; null when empty. */
    private Object poll() {
        Object next;
        do {
            next = queue.poll();
            if (next != null) {
                size.decrementAndGet();
            }
        } while (next != null && discarding && !(next instanceof Last)); // a discarded queue only sends its last frame
        return next;
    }

    private void drain() {
        while (!held && sending.compareAndSet(false, true)) {
            Object next = poll();
            if (next == null) {
                sending.set(false);
                if (queue.isEmpty()) {
                    return;
                }
                continue;
            }
            dispatching = Thread.currentThread();
            try {
                if (raw != null) {
                    raw.write(batchFrom(next), this::completed);
                } else {
                    remote.sendText(textOf(next), result -> completed(result.isOK() ? null : result.getException()));
                }
            } catch (RuntimeException e) {
                dispatching = null;
                fail(e);
                return;
            }
            dispatching = null;
            // If the write completed inline, completed() released the flag and this loop sends the next frames;
            // otherwise the completion drains on its own thread.
        }
    }

    private String textOf(Object frame) {
        if (frame instanceof Last last) {
            afterInFlight = last.afterSent();
            return last.frame();
        }
        return frame instanceof OutboundFrame shared ? shared.text() : (String) frame;
    }

    /** {@code first} and what follows it in the queue, encoded, up to {@link #MAX_BATCH_BYTES}. */
    private ByteBuffer batchFrom(Object first) {
        byte[] one = encodedOf(first);
        if (afterInFlight != null || queue.isEmpty()) {
            return ByteBuffer.wrap(one);
        }
        ByteBuffer batch = ByteBuffer.allocate(MAX_BATCH_BYTES);
        batch.put(one);
        for (Object peeked = queue.peek(); peeked != null && afterInFlight == null; peeked = queue.peek()) {
            if (discarding && !(peeked instanceof Last)) {
                break; // poll() drops these next time
            }
            byte[] encoded = peeked instanceof OutboundFrame shared ? shared.encoded() : null;
            if ((encoded != null ? encoded.length : estimate(peeked)) > batch.remaining()) {
                break;
            }
            // Only the drain owner removes frames, so this is the head just peeked, unless close() cleared the
            // queue meanwhile: then the connection is going away and what it gets no longer matters.
            Object next = queue.poll();
            if (next == null) {
                break;
            }
            size.decrementAndGet();
            byte[] bytes = next == peeked && encoded != null ? encoded : encodedOf(next);
            if (bytes.length > batch.remaining()) {
                break;
            }
            batch.put(bytes);
        }
        return batch.flip();
    }

    private byte[] encodedOf(Object frame) {
        if (frame instanceof OutboundFrame shared) {
            return shared.encoded();
        }
        return OutboundFrame.encode(textOf(frame));
    }

    /** Upper bound of a text frame's encoded size: a header of at most 10 bytes, at most 3 bytes per char. */
    private static int estimate(Object frame) {
        String text = frame instanceof Last last ? last.frame() : (String) frame;
        return 10 + 3 * text.length();
    }

    private void completed(Throwable failure) {
        Runnable after = afterInFlight;
        afterInFlight = null;
        if (failure != null) {
            fail(failure);
        }
        sending.set(false);
        if (after != null) {
            after.run();
            return;
        }
        if (dispatching != Thread.currentThread()) {
            drain();
        }
    }

    private void fail(Throwable cause) {
        close();
        Runnable after = afterInFlight;
        afterInFlight = null;
        if (after != null) {
            after.run();
        }
        if (failed.compareAndSet(false, true)) {
            listener.failed(cause);
        }
    }
}
