package io.wiregate.cdi.transport;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

import jakarta.websocket.Session;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.jsr.UndertowSession;

/**
 * WildFly's transport: text messages written to Undertow's {@link WebSocketChannel} from the payload of the frame
 * encoded once per delivery ({@link OutboundFrame#encodedPayload()}), where {@code RemoteEndpoint.Async.sendText}
 * encodes the text to UTF-8 again, into a new array, for every recipient. Undertow's API takes a payload, not a whole
 * frame: it writes each channel's frame header itself, and gathers the frames queued on a channel into one write.
 *
 * <p>The window counts frames, not bytes, and stays small ({@link #FRAMES_IN_FLIGHT}): Undertow stops reading a
 * channel while more than 50 frames wait on it, which would leave a client's pongs and heartbeats unread behind a
 * burst. The rest wait in the connection's own queue, where they count against its bound.
 *
 * <p>Loaded only on Undertow (its types are not on other containers' class paths).
 */
final class UndertowTransport extends SessionTransport {

    /** Completes a write: the context is the queue's completion. */
    private static final WebSocketCallback<Consumer<Throwable>> COMPLETION = new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel channel, Consumer<Throwable> done) {
            done.accept(null);
        }

        @Override
        public void onError(WebSocketChannel channel, Consumer<Throwable> done, Throwable failure) {
            done.accept(failure);
        }
    };

    /** Frames handed to Undertow and not yet written, at most (below its 50 at which it stops reading). */
    static final int FRAMES_IN_FLIGHT = 16;

    private final WebSocketChannel channel;
    private final int window;

    private UndertowTransport(Session session, WebSocketChannel channel, int window) {
        super(session, null);
        this.channel = channel;
        this.window = requireWindow(window);
    }

    /**
     * The transport of an Undertow session, or null if {@code session} is not one.
     *
     * @param sendBuffer {@code wiregate.send-buffer}: below {@link #FRAMES_IN_FLIGHT}, the frames in flight (1: one
     *                   write at a time)
     */
    static Transport of(Session session, int sendBuffer) {
        return session instanceof UndertowSession undertow
                ? new UndertowTransport(session, undertow.getWebSocketChannel(), Math.min(sendBuffer, FRAMES_IN_FLIGHT))
                : null;
    }

    @Override
    public int window() {
        return window;
    }

    @Override
    public int maxBatch() {
        return 0;
    }

    /** One: the window counts frames. */
    @Override
    public int sizeOf(OutboundFrame frame) {
        return 1;
    }

    @Override
    public void write(List<OutboundFrame> frames, Consumer<Throwable> done) {
        OutboundFrame frame = frames.get(0);
        if (frame.isPing()) {
            WebSockets.sendPing(ByteBuffer.allocate(0), channel, COMPLETION, done);
        } else {
            WebSockets.sendText(frame.encodedPayload(), channel, COMPLETION, done);
        }
    }
}
