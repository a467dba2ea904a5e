package io.wiregate.cdi.session;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

/**
 * The bounded outbound queue of one connection, drained by asynchronous sends, one frame in flight at a time.
 *
 * <p>Thread-safety: any thread may {@link #offer} concurrently; frames offered by one thread are sent in the
 * order offered. Whoever wins the {@code sending} flag owns the drain; a completion handler hands ownership
 * on. No thread ever waits for the socket, and a frame is never copied per recipient: the same text object
 * sits in the queues of every recipient of a delivery.
 */
public final class OutboundQueue implements SendHandler {

    /** What happens to the connection when a send or the bound fails. */
    public interface Listener {
        /** The bound was exceeded by a non-volatile frame: the queue is now empty and closed. */
        void overflowed();

        /** A send failed (the peer went away); the queue is now closed. */
        void failed(Throwable cause);
    }

    private record Last(String frame, Runnable afterSent) {
    }

    private final RemoteEndpoint.Async remote;
    private final int bound;
    private final Listener listener;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile boolean closed;
    /** Set by {@link #close()}: what is still queued is dropped (a graceful {@link #offerLast} keeps it). */
    private volatile boolean discarding;
    /** The thread inside {@code sendText}, so that a completion on that same thread does not recurse. */
    private volatile Thread dispatching;
    private volatile Runnable afterInFlight;
    /** While held, frames queue up but are not sent (see {@link #hold()}). */
    private volatile boolean held;

    /**
     * @param remote   where frames go
     * @param bound    most frames waiting (the one in flight not counted)
     * @param listener told about overflow and failures
     */
    public OutboundQueue(RemoteEndpoint.Async remote, int bound, Listener listener) {
        this.remote = remote;
        this.bound = bound;
        this.listener = listener;
    }

    /**
     * Queues a frame.
     *
     * @param volatileFrame if true, a full queue drops this frame instead of overflowing
     * @return whether the frame was queued
     */
    public boolean offer(String frame, boolean volatileFrame) {
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

    private void drain() {
        while (!held && sending.compareAndSet(false, true)) {
            Object next;
            do {
                next = queue.poll();
                if (next != null) {
                    size.decrementAndGet();
                }
            } while (next != null && discarding && !(next instanceof Last)); // a discarded queue only sends its last frame
            if (next == null) {
                sending.set(false);
                if (queue.isEmpty()) {
                    return;
                }
                continue;
            }
            String text;
            if (next instanceof Last last) {
                text = last.frame();
                afterInFlight = last.afterSent();
            } else {
                text = (String) next;
            }
            dispatching = Thread.currentThread();
            try {
                remote.sendText(text, this);
            } catch (RuntimeException e) {
                dispatching = null;
                fail(e);
                return;
            }
            dispatching = null;
            // If the send completed inline, onResult released the flag and this loop sends the next frame;
            // otherwise the completion handler drains on its own thread.
        }
    }

    @Override
    public void onResult(SendResult result) {
        Runnable after = afterInFlight;
        afterInFlight = null;
        if (!result.isOK()) {
            fail(result.getException());
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
