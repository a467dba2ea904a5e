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
 * Loaded only on Undertow (its types are not on other containers' class paths).
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
     * @param windowBytes bytes of payload in flight past which no other write starts
     */
    static Transport of(Session session, int windowBytes) {
        return session instanceof UndertowSession undertow
                ? new UndertowTransport(session, undertow.getWebSocketChannel(), windowBytes) : null;
    }

    @Override
    public int window() {
        return window;
    }

    @Override
    public int maxBatch() {
        return 0;
    }

    @Override
    public int sizeOf(OutboundFrame frame) {
        return frame.encoded().length;
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
