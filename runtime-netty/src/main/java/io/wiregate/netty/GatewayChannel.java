package io.wiregate.netty;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import io.wiregate.cdi.spi.GatewayConnection;
import io.wiregate.cdi.transport.OutboundFrame;
import io.wiregate.cdi.transport.Transport;

/**
 * One upgraded WebSocket connection: the last handler of its channel's pipeline, and the connection's
 * {@link Transport}. One object per connection, for both directions.
 *
 * <p>Inbound: frames are decoded on the channel's event loop (Netty's frame decoder, size limit and UTF-8 check);
 * fragments are joined here; whole messages go to the {@link GatewayConnection} in arrival order, on the event loop
 * for a gateway that promised never to block, otherwise on a worker thread, one message of a connection at a time.
 * A connection whose messages wait for a worker (more than {@link #PAUSE_AT}) stops being read until the backlog
 * drains: a fast sender slows down instead of growing the server's memory.
 *
 * <p>Outbound: frames arrive encoded ({@link OutboundFrame#encoded()}) and are written as they are, bypassing
 * Netty's frame encoder. A delivery's frame is copied once into a direct buffer that every recipient writes a view
 * of ({@link OutboundFrame#shared}); a frame for one client is written from its bytes. Writes from other threads
 * are handed to the event loop, which takes every write handed over meanwhile in one task and one flush (so a busy
 * event loop catches up instead of falling behind its producers); writes the event loop makes itself go into the
 * channel at once and are flushed together at the end of the read or task that made them, or past
 * {@link #MAX_BATCH_BYTES}. A close frame, once written, refuses every later write.
 *
 * <p>Close: the server's close frame is followed by a half-close (FIN) and reading goes on until the client's close
 * frame or the end of its stream (RFC 6455 section 7.1.1), so that a client still sending gets the close frame and
 * the answers before it rather than a reset; the connection's close timeout then drops one that never answers.
 */
final class GatewayChannel extends ChannelInboundHandlerAdapter implements Transport {

    private static final Logger LOG = Logger.getLogger(GatewayChannel.class.getName());

    /** Messages waiting for a worker past which the channel stops being read. */
    static final int PAUSE_AT = 64;
    /** Messages waiting for a worker under which a paused channel is read again. */
    static final int RESUME_AT = 16;
    /** Messages one worker task runs for a connection before it lets other connections' tasks go first. */
    private static final int FAIR_SHARE = 64;
    /** Most bytes one write gathers. */
    static final int MAX_BATCH_BYTES = 64 * 1024;
    private static final ClosedChannelException CLOSED = new ClosedChannelException();

    private final Channel channel;
    private final Executor workers;
    private final boolean onEventLoop;
    private final int window;
    private final int maxMessageBytes;
    private GatewayConnection connection;

    // Inbound, event loop only.
    private CompositeByteBuf fragments;
    private boolean fragmentedText;
    private boolean failed;

    // Close state, event loop only (read elsewhere only through isOpen's channel check).
    private boolean closeSent;
    private boolean closeReceived;
    private int sentCode;
    private String sentReason = "";
    private boolean reported;

    // Writes from other threads on their way to the event loop.
    private final java.util.Queue<HandedOver> handedOver = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean writeScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    /** Between a read's first message and its channelReadComplete (event loop only). */
    private boolean reading;
    /** Bytes the event loop wrote to the channel and has not flushed yet (event loop only). */
    private int unflushedBytes;

    // The worker queue of this connection, guarded by this.
    private ArrayDeque<Runnable> pending;
    private boolean draining;
    private boolean paused;

    /**
     * @param workers     where messages go when the gateway may block
     * @param onEventLoop whether the gateway promised never to block (its messages stay on the event loop)
     * @param window      bytes in flight past which the connection's queue holds further writes
     */
    GatewayChannel(Channel channel, Executor workers, boolean onEventLoop, int window, int maxMessageBytes) {
        this.channel = channel;
        this.workers = workers;
        this.onEventLoop = onEventLoop;
        this.window = window;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The gateway's side of the connection; set once, before the channel's first frame is read. */
    void bind(GatewayConnection connection) {
        this.connection = connection;
    }

    /** Runs {@code task} after every earlier one of this connection, where the connection's messages run. */
    void dispatch(Runnable task) {
        if (onEventLoop) {
            run(task);
            return;
        }
        boolean start;
        boolean pause = false;
        synchronized (this) {
            if (pending == null) {
                pending = new ArrayDeque<>(4);
            }
            pending.add(task);
            start = !draining;
            draining = true;
            if (!paused && pending.size() >= PAUSE_AT) {
                paused = pause = true;
            }
        }
        if (pause) {
            matchReadingToBacklog(); // on the event loop already
        }
        if (start) {
            workers.execute(this::drain);
        }
    }

    private void drain() {
        for (int i = 0; ; i++) {
            Runnable task;
            boolean resume = false;
            synchronized (this) {
                task = pending.poll();
                if (task == null) {
                    draining = false;
                    return;
                }
                if (paused && pending.size() <= RESUME_AT) {
                    paused = false;
                    resume = true;
                }
            }
            if (resume) {
                channel.eventLoop().execute(this::matchReadingToBacklog);
            }
            run(task);
            if (i == FAIR_SHARE) {
                workers.execute(this::drain); // still draining: the rest runs after other connections' turn
                return;
            }
        }
    }

    /**
     * Reads the channel unless its backlog paused it. On the event loop only, and from the state at that moment: a
     * pause and a resume decided on two threads may arrive in either order, and the later decision must win.
     */
    private void matchReadingToBacklog() {
        boolean pausedNow;
        synchronized (this) {
            pausedNow = paused;
        }
        channel.config().setAutoRead(!pausedNow);
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "a message of " + channel + " failed", e);
        }
    }

    // ---- inbound, on the event loop ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        reading = true;
        try {
            connection.frameArrived();
            if (frame instanceof PingWebSocketFrame) {
                if (!closeSent) {
                    ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
                }
            } else if (frame instanceof CloseWebSocketFrame close) {
                closeReceived(close);
            } else if (!(frame instanceof PongWebSocketFrame) && !closeReceived && !failed) {
                data(frame);
            }
        } finally {
            frame.release();
        }
    }

    /** The end of a read: what the messages it brought wrote to this channel leaves in one flush. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        if (unflushedBytes > 0) {
            flushNow();
        }
        ctx.fireChannelReadComplete();
    }

    private void data(WebSocketFrame frame) {
        boolean continuation = frame instanceof ContinuationWebSocketFrame;
        if (!continuation && frame.isFinalFragment()) {
            if (frame instanceof TextWebSocketFrame text) {
                String message = text.text();
                dispatch(() -> connection.text(message));
            } else if (frame instanceof BinaryWebSocketFrame) {
                int size = frame.content().readableBytes();
                dispatch(() -> connection.binary(size));
            }
            return;
        }
        if (!continuation) {
            fragmentedText = frame instanceof TextWebSocketFrame;
            fragments = channel.alloc().compositeBuffer();
        }
        if (fragments.readableBytes() + frame.content().readableBytes() > maxMessageBytes) {
            failed = true;
            releaseFragments();
            dispatch(() -> connection.tooBig());
            return;
        }
        fragments.addComponent(true, frame.content().retain());
        if (frame.isFinalFragment()) {
            CompositeByteBuf whole = fragments;
            fragments = null;
            try {
                if (fragmentedText) {
                    String message = whole.toString(StandardCharsets.UTF_8);
                    dispatch(() -> connection.text(message));
                } else {
                    int size = whole.readableBytes();
                    dispatch(() -> connection.binary(size));
                }
            } finally {
                whole.release();
            }
        }
    }

    private void closeReceived(CloseWebSocketFrame close) {
        if (closeReceived) {
            return;
        }
        closeReceived = true;
        int code = close.statusCode(); // -1 without a code
        String reason = code < 0 ? "" : close.reasonText();
        if (closeSent) {
            channel.close(); // the handshake is complete
            return;
        }
        closeSent = true;
        sentCode = code < 0 ? 1005 : code;
        sentReason = reason;
        CloseWebSocketFrame echo = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
        channel.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            // Netty's decoder refused a frame and now discards the rest of the stream.
            failed = true;
            releaseFragments();
            int code = corrupted.closeStatus().code();
            if (code == 1009) {
                dispatch(() -> connection.tooBig());
            } else {
                String reason = corrupted.closeStatus().reasonText();
                dispatch(() -> close(code, reason));
            }
            return;
        }
        LOG.log(Level.FINE, "connection " + channel + " failed", cause);
        GatewayConnection c = connection;
        if (c != null) {
            c.failed(cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseFragments();
        if (!reported && connection != null) {
            reported = true;
            int code = closeSent ? sentCode : 1006;
            String reason = closeSent ? sentReason : "";
            dispatch(() -> connection.closed(code, reason));
        }
    }

    private void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }

    // ---- the transport ----

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
        ByteBuf bytes;
        if (frames.size() == 1) {
            bytes = bufferOf(frames.get(0));
        } else {
            CompositeByteBuf batch = channel.alloc().compositeDirectBuffer(frames.size());
            for (OutboundFrame frame : frames) {
                batch.addComponent(true, bufferOf(frame));
            }
            bytes = batch;
        }
        if (channel.eventLoop().inEventLoop()) {
            // On the event loop (a @NonBlocking gateway's reply or fanout, a completion's next write): written now,
            // flushed later with whatever else this connection gets meanwhile (one system call, not one per frame):
            // at the end of its own read when that is what runs, else at the end of the current task; at once past a
            // batch, so that what waits unflushed stays small beside the window and never fills a reader's queue.
            int size = bytes.readableBytes();
            writePending(); // what other threads handed over goes first
            if (writeNow(bytes, done)) {
                unflushedBytes += size;
                if (unflushedBytes >= MAX_BATCH_BYTES) {
                    flushNow();
                } else if (!reading && !writeScheduled.getAndSet(true)) {
                    channel.eventLoop().execute(this::flushHandedOver);
                }
            }
            return;
        }
        handedOver.add(new HandedOver(bytes, done));
        if (!writeScheduled.getAndSet(true)) {
            channel.eventLoop().execute(this::flushHandedOver);
        }
    }

    /** A write handed over by another thread, waiting for the event loop. */
    private record HandedOver(ByteBuf bytes, Consumer<Throwable> done) {
    }

    /**
     * Writes everything other threads handed over, in order, then flushes once, with what the event loop wrote itself
     * meanwhile: one event-loop task and one system call for however many writes piled up, so that a busy event loop
     * catches up instead of falling behind.
     */
    private void flushHandedOver() {
        writeScheduled.set(false);
        boolean wrote = writePending();
        if (wrote || unflushedBytes > 0) {
            flushNow();
        }
    }

    /** Flushes what this channel was given, the event loop's own unflushed writes included. */
    private void flushNow() {
        unflushedBytes = 0;
        channel.flush();
    }

    /** @return whether anything was written */
    private boolean writePending() {
        boolean any = false;
        for (HandedOver w; (w = handedOver.poll()) != null; ) {
            any |= writeNow(w.bytes(), w.done());
        }
        return any;
    }

    /** @return whether it was written (not refused after the close) */
    private boolean writeNow(ByteBuf bytes, Consumer<Throwable> done) {
        if (closeSent || !channel.isActive()) {
            bytes.release();
            done.accept(CLOSED);
            return false;
        }
        channel.write(bytes).addListener(f -> done.accept(f.isSuccess() ? null : f.cause()));
        return true;
    }

    /** The frame's bytes: a view of the delivery's one shared direct buffer, or a wrapper of a frame for one client. */
    private static ByteBuf bufferOf(OutboundFrame frame) {
        if (!frame.isDelivery()) {
            return Unpooled.wrappedBuffer(frame.encoded());
        }
        return frame.shared(ByteBuf.class, GatewayChannel::sharedCopy).duplicate();
    }

    /**
     * A direct copy of a delivery's frame that no write can free: each write releases its own view, and the memory
     * goes back with the frame, through the JDK buffer's cleaner, once no recipient holds it.
     */
    private static ByteBuf sharedCopy(OutboundFrame frame) {
        byte[] encoded = frame.encoded();
        ByteBuffer direct = ByteBuffer.allocateDirect(encoded.length).put(encoded).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
    }

    @Override
    public void close(int code, String reason) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            closeNow(code, reason);
        } else {
            try {
                loop.execute(() -> closeNow(code, reason));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the server is stopping: its channels close with it
            }
        }
    }

    private void closeNow(int code, String reason) {
        if (writePending()) { // the writes handed over before the close go first
            flushNow();
        }
        if (closeSent || !channel.isActive()) {
            return;
        }
        closeSent = true;
        sentCode = code;
        sentReason = reason == null ? "" : reason;
        channel.writeAndFlush(new CloseWebSocketFrame(code, truncated(sentReason))).addListener(f -> {
            if (!f.isSuccess() || closeReceived) {
                channel.close();
            } else if (channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput(); // FIN; reading goes on until the client's close frame or end of stream
            }
        });
    }

    /** {@code reason} cut to the 123 bytes of UTF-8 a close frame holds, on a character boundary. */
    static String truncated(String reason) {
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= 123) {
            return reason;
        }
        int end = reason.length();
        while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > 123) {
            end--;
            if (end > 0 && Character.isLowSurrogate(reason.charAt(end)) && Character.isHighSurrogate(reason.charAt(end - 1))) {
                end--;
            }
        }
        return reason.substring(0, end);
    }

    @Override
    public void abort() {
        channel.close();
    }

    @Override
    public boolean canAbort() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }
}
