package io.wiregate.cdi.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

/**
 * The portable transport: one text message per write through {@code RemoteEndpoint.Async}, the container framing
 * and encoding each one. With a window above 1, several writes are in flight at once, so that the container holds
 * a burst as a socket's send buffer would and its I/O thread takes several frames per wake-up.
 *
 * <p>The specification lets a container refuse a send while another is in flight. One that does (by throwing
 * {@link IllegalStateException}, or by failing the send through its handler during {@code sendText}, as Open
 * Liberty does with "write not allowed") is detected at its first refusal: the refused frame goes again once the
 * writes in flight complete, and the window is 1 from then on. No frame is lost or reordered: the queue starts no
 * other write while the refused one counts as in flight.
 */
final class TextTransport extends SessionTransport {

    private final RemoteEndpoint.Async remote;
    private final int window;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Frames the container refused to overlap with those in flight, sent again as those complete. */
    private final ConcurrentLinkedQueue<Refused> refused = new ConcurrentLinkedQueue<>();
    private volatile boolean overlapRefused;
    /** The thread inside {@code sendText}, and its frame, to tell a refusal through the handler from a later failure. */
    private volatile Thread sending;
    private volatile OutboundFrame sendingFrame;

    private record Refused(OutboundFrame frame, Consumer<Throwable> done) {
    }

    /**
     * @param window characters of messages in flight past which no other write starts; 1: one at a time
     * @param abort  drops the TCP connection, or null
     */
    TextTransport(Session session, RemoteEndpoint.Async remote, int window, Runnable abort) {
        super(session, abort);
        this.remote = remote;
        this.window = requireWindow(window);
    }

    @Override
    public int window() {
        return overlapRefused ? 1 : window;
    }

    @Override
    public int maxBatch() {
        return 0;
    }

    @Override
    public int sizeOf(OutboundFrame frame) {
        return frame.isPing() ? 0 : frame.text().length();
    }

    @Override
    public void write(List<OutboundFrame> frames, Consumer<Throwable> done) {
        OutboundFrame frame = frames.get(0);
        if (frame.isPing()) {
            ping();
            done.accept(null);
            return;
        }
        send(frame, done);
    }

    /**
     * A ping: the container frames and sends it. A failure here is a connection going away, which its next text
     * write reports.
     */
    private void ping() {
        try {
            remote.sendPing(ByteBuffer.allocate(0));
        } catch (IOException | RuntimeException e) {
            // the connection is failing: the next write, or the heartbeat, ends it
        }
    }

    private void send(OutboundFrame frame, Consumer<Throwable> done) {
        inFlight.incrementAndGet();
        Thread caller = Thread.currentThread();
        sending = caller;
        sendingFrame = frame;
        try {
            remote.sendText(frame.text(), result -> {
                if (!result.isOK() && refusedInline(frame)) {
                    refuse(frame, done);
                    return;
                }
                inFlight.decrementAndGet();
                sendRefused();
                done.accept(result.isOK() ? null : result.getException());
            });
        } catch (IllegalStateException e) {
            if (inFlight.get() < 2) {
                inFlight.decrementAndGet();
                throw e;
            }
            refuse(frame, done);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        } finally {
            sending = null;
            sendingFrame = null;
        }
    }

    /**
     * Whether a failure reported through the handler is the container refusing to overlap this frame with the sends
     * in flight: reported during this frame's own {@code sendText} while others are in flight. A connection that
     * really failed fails again on the retry; with nothing else in flight a failure is a failure.
     */
    private boolean refusedInline(OutboundFrame frame) {
        return sending == Thread.currentThread() && sendingFrame == frame && inFlight.get() >= 2;
    }

    /** Sends {@code frame} again after the sends in flight, and one at a time from now on. */
    private void refuse(OutboundFrame frame, Consumer<Throwable> done) {
        overlapRefused = true;
        refused.add(new Refused(frame, done));
        if (inFlight.decrementAndGet() == 0) {
            sendRefused(); // what was in flight completed meanwhile, and found nothing to send again
        }
    }

    private void sendRefused() {
        Refused next = refused.poll();
        if (next == null) {
            return;
        }
        try {
            send(next.frame(), next.done());
        } catch (RuntimeException e) {
            next.done().accept(e);
        }
    }
}
