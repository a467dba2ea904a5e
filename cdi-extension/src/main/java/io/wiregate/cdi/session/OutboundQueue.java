package io.wiregate.cdi.session;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.RemoteEndpoint;

/**
 * The bounded outbound queue of one connection, drained by asynchronous writes.
 *
 * <p>Two transports: the portable one sends one text message per write through {@code RemoteEndpoint.Async},
 * with writes in flight up to a window of characters, so that the container holds a burst the way a socket's
 * send buffer would, and its I/O thread takes several frames per wake-up instead of one completion hop per
 * frame (a container that refuses overlapping asynchronous sends, which the specification allows, is detected
 * at its first refusal, and the connection sends one at a time from then on); a raw one
 * ({@link RawFrames.Writer}) writes pre-encoded frames, everything queued (up to 64 KiB) in one write, and
 * encodes a shared {@link OutboundFrame} once for all its recipients. On the raw transport a write starts when
 * none is in flight, or, while the window of bytes in flight has room, once half the bound is waiting: frames
 * queued behind a write are batched into the next one, yet a completion that comes late (a busy machine) never
 * makes a reader that keeps up overflow its queue while its socket still takes what it is given.
 *
 * <p>The bound counts the frames waiting; the writes in flight (within the window) are not counted, as the bytes
 * in a socket's send buffer are not. So what overflows is what the socket has not accepted, never frames that
 * merely wait behind a write in flight.
 *
 * <p>Thread-safety: any thread may {@link #offer} concurrently; frames offered by one thread are sent in the
 * order offered. Whoever wins the {@code sending} flag owns the drain, which hands frames to the transport in
 * queue order; a completion drains again. No thread ever waits for the socket, and a frame is never copied per
 * recipient on the portable path.
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

    /** A WebSocket ping (empty), queued as a volatile frame: after the frames before it, never overflowing. */
    private static final Object PING = new Object();
    private static final byte[] PING_FRAME = {(byte) 0x89, 0x00};

    /** One raw write: its bytes, and what runs once they are written (the last frame's callback), or null. */
    private record Batch(ByteBuffer bytes, Runnable afterSent) {
    }


    private final RemoteEndpoint.Async remote;
    private final RawFrames.Writer raw;
    private final int bound;
    /** Characters (portable) or bytes (raw) of writes in flight past which no other write starts. */
    private final int window;
    /** On the raw transport, frames waiting from which another write may start beside those in flight. */
    private final int batchThreshold;
    private final Listener listener;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Characters (portable) or bytes (raw) of the writes in flight. */
    private final AtomicInteger inFlightSize = new AtomicInteger();
    /** Set when the container refused an overlapping send ({@link IllegalStateException}): window 1 from then on. */
    private volatile boolean overlapRefused;
    /** A frame the container refused while others were in flight, sent first next time; drain owner only. */
    private Object retry;
    /** Run once nothing is in flight any more (see {@link #whenWritten}). */
    private final java.util.concurrent.atomic.AtomicReference<Runnable> whenWritten =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile boolean closed;
    /** Set by {@link #close()}: what is still queued is dropped (a graceful {@link #offerLast} keeps it). */
    private volatile boolean discarding;
    /** The thread inside a write, so that a completion on that same thread does not recurse. */
    private volatile Thread dispatching;
    /** The frame whose portable write {@link #dispatching} is inside. */
    private volatile Object dispatchingFrame;
    /** While held, frames queue up but are not sent (see {@link #hold()}). */
    private volatile boolean held;

    /**
     * A queue on the portable transport, one write in flight at a time.
     *
     * @param remote   where frames go
     * @param bound    most frames waiting (the one in flight not counted)
     * @param listener told about overflow and failures
     */
    public OutboundQueue(RemoteEndpoint.Async remote, int bound, Listener listener) {
        this(remote, null, bound, 1, listener);
    }

    /**
     * A queue writing raw frames through {@code raw} when it is not null, else through {@code remote}, starting
     * writes while fewer than {@code window} characters (portable) or bytes (raw) are in flight.
     *
     * @param bound  most frames waiting (those in flight not counted)
     * @param window characters or bytes of writes in flight past which no other write starts (one write always
     *               may); 1 means one write at a time
     */
    public OutboundQueue(RemoteEndpoint.Async remote, RawFrames.Writer raw, int bound, int window, Listener listener) {
        if (window < 1) {
            throw new IllegalArgumentException("window " + window + " < 1");
        }
        this.remote = remote;
        this.raw = raw;
        this.bound = bound;
        this.window = window;
        this.batchThreshold = Math.max(1, (bound + 1) / 2);
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

    /**
     * Queues a WebSocket ping after what is queued; dropped, not overflowing, when the queue is full (a client
     * that far behind is not silent for lack of pings).
     *
     * @return whether it was queued
     */
    public boolean offerPing() {
        return enqueue(PING, true);
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

    /**
     * Whether another write may start: always with none in flight, else within the window; on the raw transport
     * only once half the bound waits, so that what queues behind a write leaves in one batch.
     */
    private boolean mayStartWrite() {
        if (inFlight.get() == 0) {
            return true;
        }
        if (raw != null) {
            return inFlightSize.get() < window && size.get() >= batchThreshold;
        }
        return !overlapRefused && inFlightSize.get() < window;
    }

    private void drain() {
        while (!held && mayStartWrite() && sending.compareAndSet(false, true)) {
            Object next = retry;
            retry = null;
            if (next == null || (discarding && !(next instanceof Last))) {
                next = poll();
            }
            if (next == null) {
                sending.set(false);
                if (queue.isEmpty()) {
                    return;
                }
                continue;
            }
            inFlight.incrementAndGet();
            dispatching = Thread.currentThread();
            if (next == PING && raw == null) {
                dispatching = null;
                inFlight.decrementAndGet();
                sendPing();
                sending.set(false);
                continue;
            }
            Dispatch result = raw != null ? writeRaw(batchFrom(next)) : sendPortable(next);
            if (result == Dispatch.FAILED) {
                return;
            }
            if (result == Dispatch.REFUSED) {
                continue;
            }
            dispatching = null;
            dispatchingFrame = null;
            sending.set(false);
            // A write that completed inline already left the window; otherwise its completion drains again.
        }
    }

    /**
     * A ping on the portable transport: the container frames and sends it. A failure here is a connection going
     * away, which its next text write reports.
     */
    private void sendPing() {
        try {
            remote.sendPing(ByteBuffer.allocate(0));
        } catch (java.io.IOException | RuntimeException e) {
            // the connection is failing: the next write, or the heartbeat, ends it
        }
    }

    /** How handing a write to the transport went. */
    private enum Dispatch {
        /** The transport has it; its completion follows. */
        STARTED,
        /** The container refused to overlap it with the sends in flight: it goes again after them. */
        REFUSED,
        /** It failed at once: the queue failed, and the drain is over. */
        FAILED
    }

    /** Hands one batch to the raw writer. */
    private Dispatch writeRaw(Batch batch) {
        int bytes = batch.bytes().remaining();
        inFlightSize.addAndGet(bytes);
        try {
            raw.write(batch.bytes(), failure -> {
                inFlightSize.addAndGet(-bytes);
                completed(batch.afterSent(), failure);
            });
            return Dispatch.STARTED;
        } catch (RuntimeException e) {
            dispatching = null;
            inFlightSize.addAndGet(-bytes);
            inFlight.decrementAndGet();
            failToSend(batch.afterSent(), e);
            return Dispatch.FAILED;
        }
    }

    /**
     * Hands one frame to the portable transport. A container that refuses to overlap it with the sends in flight
     * gets it again once those complete, and one write at a time from then on.
     */
    private Dispatch sendPortable(Object next) {
        Runnable after = next instanceof Last last ? last.afterSent() : null;
        String text = textOf(next);
        int chars = text.length();
        inFlightSize.addAndGet(chars);
        dispatchingFrame = next;
        try {
            remote.sendText(text, result -> {
                inFlightSize.addAndGet(-chars);
                if (result.isOK() || !refusedInline(next)) {
                    completed(after, result.isOK() ? null : result.getException());
                }
            });
            return Dispatch.STARTED;
        } catch (IllegalStateException e) {
            dispatching = null;
            dispatchingFrame = null;
            inFlightSize.addAndGet(-chars);
            if (inFlight.decrementAndGet() > 0) {
                // The container refuses to overlap sends: one at a time from now on. The completion of the
                // send in flight drains again, this frame first.
                overlapRefused = true;
                retry = next;
                sending.set(false);
                return Dispatch.REFUSED;
            }
            failToSend(after, e);
            return Dispatch.FAILED;
        } catch (RuntimeException e) {
            dispatching = null;
            dispatchingFrame = null;
            inFlightSize.addAndGet(-chars);
            inFlight.decrementAndGet();
            failToSend(after, e);
            return Dispatch.FAILED;
        }
    }

    /**
     * Whether a failed portable send was the container refusing to overlap it with the sends in flight, reported
     * through its handler during its own {@code sendText} call instead of thrown (Open Liberty: "write not
     * allowed"): then the connection sends one at a time from now on and the frame goes again after those in
     * flight. A connection that really failed fails again on that retry.
     */
    private boolean refusedInline(Object frame) {
        if (raw != null || dispatching != Thread.currentThread() || dispatchingFrame != frame || inFlight.get() < 2) {
            return false;
        }
        overlapRefused = true;
        inFlight.decrementAndGet();
        retry = frame;
        return true;
    }

    private void failToSend(Runnable afterSent, RuntimeException e) {
        sending.set(false);
        fail(e);
        if (afterSent != null) {
            afterSent.run();
        }
    }

    private String textOf(Object frame) {
        return frame instanceof Last last ? last.frame()
                : frame instanceof OutboundFrame shared ? shared.text() : (String) frame;
    }

    /** {@code first} and what follows it in the queue, encoded, up to {@link #MAX_BATCH_BYTES}. */
    private Batch batchFrom(Object first) {
        Runnable afterSent = first instanceof Last last ? last.afterSent() : null;
        byte[] one = encodedOf(first);
        if (afterSent != null || queue.isEmpty()) {
            return new Batch(ByteBuffer.wrap(one), afterSent);
        }
        ByteBuffer batch = ByteBuffer.allocate(MAX_BATCH_BYTES);
        batch.put(one);
        for (Object peeked = queue.peek(); peeked != null && afterSent == null; peeked = queue.peek()) {
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
            if (next instanceof Last last) {
                afterSent = last.afterSent();
            }
            byte[] bytes = next == peeked && encoded != null ? encoded : encodedOf(next);
            if (bytes.length > batch.remaining()) {
                break;
            }
            batch.put(bytes);
        }
        return new Batch(batch.flip(), afterSent);
    }

    private byte[] encodedOf(Object frame) {
        if (frame instanceof OutboundFrame shared) {
            return shared.encoded();
        }
        if (frame == PING) {
            return PING_FRAME;
        }
        return OutboundFrame.encode(textOf(frame));
    }

    /** Upper bound of a text frame's encoded size: a header of at most 10 bytes, at most 3 bytes per char. */
    private static int estimate(Object frame) {
        if (frame == PING) {
            return PING_FRAME.length;
        }
        String text = frame instanceof Last last ? last.frame() : (String) frame;
        return 10 + 3 * text.length();
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
