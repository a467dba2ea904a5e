package io.wiregate.cdi.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bounded outbound queue of one connection, drained into its {@link Transport}. It keeps the bound, the order,
 * the hold and the drain; how frames reach the socket is the transport's business.
 *
 * <p>A write starts when none is in flight, or, while the transport's {@linkplain Transport#window() window} has
 * room, beside those in flight: at once on a transport that writes one frame per write (the container holds the
 * burst as a socket's send buffer would); on one that batches, only once half the bound is waiting, so that frames
 * queued behind a write leave together in the next one, yet a completion that comes late (a busy machine) never
 * makes a reader that keeps up overflow its queue while its socket still takes what it is given.
 *
 * <p>The bound counts the frames waiting; the writes in flight (within the window) are not counted, as the bytes
 * in a socket's send buffer are not. A connection overflows only once the socket stops taking what it is given:
 * frames past the bound while the window is full. Frames that wait while the window still has room wait for the
 * server, not for the client (a writer thread descheduled on a busy machine, a queue held while it opens), and
 * overflow only past {@link #HARD_BOUND_FACTOR} times the bound, which keeps the memory bounded all the same.
 *
 * <p>Thread-safety: any thread may {@link #offer} concurrently; frames offered by one thread are sent in the
 * order offered. Whoever wins the {@code sending} flag owns the drain, which hands frames to the transport in
 * queue order; a completion drains again. No thread ever waits for the socket, and a frame is never copied per
 * recipient.
 */
public final class OutboundQueue {

    /** What happens to the connection when a send or the bound fails. */
    public interface Listener {
        /** The bound was exceeded by a non-volatile frame: the queue is now empty and closed. */
        void overflowed();

        /** A send failed (the peer went away); the queue is now closed. */
        void failed(Throwable cause);
    }

    /** How many times the bound frames may wait while the window still has room (see the class comment). */
    static final int HARD_BOUND_FACTOR = 8;

    private final Transport transport;
    private final int bound;
    /** Frames waiting past which the queue overflows even though the window has room. */
    private final int hardBound;
    /** On a batching transport, frames waiting from which another write may start beside those in flight. */
    private final int batchThreshold;
    private final Listener listener;
    private final ConcurrentLinkedQueue<OutboundFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The transport's size of the writes in flight. */
    private final AtomicInteger inFlightSize = new AtomicInteger();
    /** Run once nothing is in flight any more (see {@link #whenWritten}). */
    private final AtomicReference<Runnable> whenWritten = new AtomicReference<>();
    /** The frame of {@link #offerLast}, and what runs once it is written. */
    private volatile OutboundFrame last;
    private volatile Runnable afterLast;
    private volatile boolean closed;
    /** Set by {@link #close()}: what is still queued is dropped (a graceful {@link #offerLast} keeps it). */
    private volatile boolean discarding;
    /** The thread inside a write, so that a completion on that same thread does not recurse. */
    private volatile Thread dispatching;
    /** While held, frames queue up but are not sent (see {@link #hold()}). */
    private volatile boolean held;

    /**
     * @param transport where frames go
     * @param bound     most frames waiting once the window is full (those in flight not counted)
     * @param listener  told about overflow and failures
     */
    public OutboundQueue(Transport transport, int bound, Listener listener) {
        this.transport = transport;
        this.bound = bound;
        this.hardBound = (int) Math.min(Integer.MAX_VALUE, (long) bound * HARD_BOUND_FACTOR);
        this.batchThreshold = Math.max(1, (bound + 1) / 2);
        this.listener = listener;
    }

    /**
     * Queues a frame.
     *
     * @param volatileFrame if true, a queue past its bound drops this frame instead of overflowing
     * @return whether the frame was queued
     */
    public boolean offer(OutboundFrame frame, boolean volatileFrame) {
        if (closed) {
            return false;
        }
        if (inFlight.get() == 0 && queue.isEmpty() && !held && sending.compareAndSet(false, true)) {
            // Nothing waits and nothing is in flight (a reply, a quiet connection): written at once, never queued.
            if (queue.isEmpty() && !held && !closed) {
                if (write(frame)) {
                    dispatching = null;
                    sending.set(false);
                    drain(); // what other threads queued meanwhile
                }
                return true;
            }
            sending.set(false);
        }
        int waiting = size.incrementAndGet();
        if (waiting > bound && (volatileFrame || windowFull() || waiting > hardBound)) {
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
     * Whether {@link #offer} would take a frame now. Another thread's offer may fill the queue before this one's:
     * callers that must know for sure serialize their offers.
     */
    public boolean accepts(boolean volatileFrame) {
        if (closed) {
            return false;
        }
        int waiting = size.get() + 1;
        return !(waiting > bound && (volatileFrame || windowFull() || waiting > hardBound));
    }

    /**
     * Queues a WebSocket ping after what is queued; dropped, not overflowing, when the queue is full (a client
     * that far behind is not silent for lack of pings).
     *
     * @return whether it was queued
     */
    public boolean offerPing() {
        return offer(OutboundFrame.PING, true);
    }

    /**
     * Queues a last frame (whatever the bound), closes the queue to further frames, and runs
     * {@code afterSent} once that frame has been written, or at once if the queue was already closed.
     */
    public void offerLast(OutboundFrame frame, Runnable afterSent) {
        boolean closedAlready;
        synchronized (this) {
            closedAlready = closed;
            if (!closedAlready) {
                closed = true;
                afterLast = afterSent;
                last = frame;
            }
        }
        if (closedAlready) {
            afterSent.run(); // outside the monitor: it closes the session, which may report the close at once
            return;
        }
        size.incrementAndGet();
        queue.add(frame);
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

    /** Frames waiting, those in flight not counted. */
    public int size() {
        return size.get();
    }

    /**
     * Runs {@code action} once no write is in flight any more (at once if none is): after an overflow, the close
     * frame then follows what the transport already holds, instead of racing it.
     */
    public void whenWritten(Runnable action) {
        whenWritten.set(action);
        if (inFlight.get() == 0) {
            runWhenWritten();
        }
    }

    private void runWhenWritten() {
        if (whenWritten.get() == null) {
            return; // the common case, on every completion: a read, not a write
        }
        Runnable action = whenWritten.getAndSet(null);
        if (action != null) {
            action.run();
        }
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
    private OutboundFrame poll() {
        OutboundFrame next;
        do {
            next = queue.poll();
            if (next != null) {
                size.decrementAndGet();
            }
        } while (next != null && discarding && next != last); // a discarded queue only sends its last frame
        return next;
    }

    /** Whether the socket has stopped taking frames: the writes in flight fill the transport's window. */
    private boolean windowFull() {
        return inFlight.get() > 0 && inFlightSize.get() >= transport.window();
    }

    /**
     * Whether another write may start: always with none in flight, else within the transport's window; on a
     * batching transport only once half the bound waits, so that what queues behind a write leaves in one batch.
     */
    private boolean mayStartWrite() {
        if (inFlight.get() == 0) {
            return true;
        }
        return inFlightSize.get() < transport.window() && (transport.maxBatch() == 0 || size.get() >= batchThreshold);
    }

    private void drain() {
        while (!held && mayStartWrite() && sending.compareAndSet(false, true)) {
            OutboundFrame first = poll();
            if (first == null) {
                sending.set(false);
                if (queue.isEmpty()) {
                    return;
                }
                continue;
            }
            if (!write(first)) {
                return;
            }
            dispatching = null;
            sending.set(false);
            // A write that completed inline already left the window; otherwise its completion drains again.
        }
    }

    /**
     * Hands {@code first} and, on a batching transport, what follows it (up to the transport's batch size, and never
     * past the last frame) to the transport.
     *
     * @return false if the write failed at once: the queue failed, and the drain is over
     */
    private boolean write(OutboundFrame first) {
        List<OutboundFrame> batch = List.of(first);
        int bytes = transport.sizeOf(first);
        boolean ends = first == last;
        int max = transport.maxBatch();
        if (max > 0 && !ends && !queue.isEmpty()) {
            List<OutboundFrame> more = new ArrayList<>();
            more.add(first);
            for (OutboundFrame peeked = queue.peek(); peeked != null && !ends; peeked = queue.peek()) {
                if (discarding && peeked != last) {
                    break; // poll() drops these next time
                }
                if (bytes + transport.sizeOf(peeked) > max) {
                    break;
                }
                // Only the drain owner removes frames, so this is the head just peeked, unless close() cleared the
                // queue meanwhile: then the connection is going away and what it gets no longer matters.
                OutboundFrame next = queue.poll();
                if (next == null) {
                    break;
                }
                this.size.decrementAndGet();
                more.add(next);
                bytes += transport.sizeOf(next);
                ends = next == last;
            }
            batch = more;
        }
        Runnable after = ends ? afterLast : null;
        int written = bytes;
        inFlight.incrementAndGet();
        inFlightSize.addAndGet(written);
        dispatching = Thread.currentThread();
        try {
            transport.write(batch, failure -> {
                inFlightSize.addAndGet(-written);
                completed(after, failure);
            });
            return true;
        } catch (RuntimeException e) {
            dispatching = null;
            inFlightSize.addAndGet(-written);
            inFlight.decrementAndGet();
            sending.set(false);
            fail(e);
            if (after != null) {
                after.run();
            }
            return false;
        }
    }

    private void completed(Runnable after, Throwable failure) {
        int stillInFlight = inFlight.decrementAndGet();
        if (failure != null) {
            fail(failure);
        }
        if (after != null) {
            after.run();
            return;
        }
        if (stillInFlight == 0) {
            runWhenWritten();
        }
        if (dispatching != Thread.currentThread()) {
            drain();
        }
    }

    private void fail(Throwable cause) {
        close();
        if (failed.compareAndSet(false, true)) {
            listener.failed(cause);
        }
    }
}
