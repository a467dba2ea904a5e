package io.wiregate.tyrus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;
import org.glassfish.tyrus.spi.WriterInfo;

/**
 * The end of a WebSocket connection as RFC 6455 section 7.1.1 wants it: after its close frame the server keeps
 * reading until the client's close frame, the end of the client's stream, or {@code wiregate.close-timeout-ms};
 * only then does it close TCP.
 *
 * <p>Tyrus closes the TCP connection as soon as its close frame is written. A client still sending then has
 * frames unread in the server's socket, and closing a socket with unread input makes the kernel answer with a
 * reset: the client may lose the close frame, and the answers to what it sent before, and see 1006. Here Tyrus's
 * first close of a connection (through its writer, see {@link LingeringWriter}) only makes it linger: what Tyrus
 * queued is written first, then the server half-closes (FIN). Tyrus goes on reading: it drops the frames of a
 * closed session, and the client's close frame makes it close the writer again, which ends the connection.
 *
 * <p>A Grizzly filter placed right after the {@link TransportFilter} (see {@link #addOn()}): it tags the
 * connections it accepts, so that {@link #wrap} finds the server they belong to, and tells a connection's read hook
 * ({@link LingeringWriter#onRead}) that the client sent something: Jakarta WebSocket hides a client's pings, yet
 * docs/protocol.md section 6 lets any frame restart the heartbeat timer. Thread-safety: a connection's
 * state is created once, under its writer's lock, by the first close.
 */
final class LingeringClose extends BaseFilter {

    private static final Logger LOG = Logger.getLogger(LingeringClose.class.getName());
    private static final Attribute<LingeringClose> FILTER =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(LingeringClose.class.getName() + ".filter");
    private static final Attribute<Lingering> LINGERING =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(LingeringClose.class.getName() + ".lingering");
    private static final Attribute<Runnable> ON_READ =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(LingeringClose.class.getName() + ".onRead");

    private final long closeTimeoutMs;
    private final ScheduledExecutorService timer;
    private final java.util.concurrent.atomic.AtomicInteger lingering = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param closeTimeoutMs how long a client may take to answer the close before its connection is dropped
     * @param timer          runs those drops
     */
    LingeringClose(long closeTimeoutMs, ScheduledExecutorService timer) {
        this.closeTimeoutMs = closeTimeoutMs;
        this.timer = timer;
    }

    /** Installs this filter on a listener, right after its transport filter. */
    AddOn addOn() {
        return (NetworkListener listener, FilterChainBuilder builder) ->
                builder.add(builder.indexOfType(TransportFilter.class) + 1, this);
    }

    /**
     * The writer to give Tyrus instead of {@code tyrusWriter}, for the Grizzly {@code connection} under it; null
     * if that connection was not accepted through this filter.
     */
    static LingeringWriter wrap(Writer tyrusWriter, Connection<?> connection) {
        LingeringClose filter = FILTER.get(connection);
        return filter == null ? null : filter.new LingeringWriter(tyrusWriter, connection);
    }

    /**
     * Waits until no connection lingers any more, at most {@code timeoutMs}: a server that stops closes its
     * clients first, and must not reset those still answering their close.
     *
     * @return whether none lingers
     */
    boolean awaitNoneLingering(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (lingering) {
            for (long left = timeoutMs; lingering.get() > 0 && left > 0;
                 left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
                lingering.wait(left);
            }
            return lingering.get() == 0;
        }
    }

    @Override
    public NextAction handleAccept(FilterChainContext ctx) throws IOException {
        FILTER.set(ctx.getConnection(), this);
        return ctx.getInvokeAction();
    }

    /** Bytes from the client, frames of any kind: tells the connection's hook, if it has one. */
    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        Runnable onRead = ON_READ.get(ctx.getConnection());
        if (onRead != null) {
            onRead.run();
        }
        return ctx.getInvokeAction();
    }

    /** What one lingering connection needs: the drop timer. */
    private static final class Lingering {
        volatile ScheduledFuture<?> drop;
    }

    /**
     * Stands in front of Tyrus's writer for one connection: writes go through unchanged; Tyrus's first close makes
     * the connection linger instead of closing it, the second (the client's close frame arrived) ends it.
     */
    final class LingeringWriter extends Writer {
        private final Writer tyrusWriter;
        private final Connection<?> connection;

        private LingeringWriter(Writer tyrusWriter, Connection<?> connection) {
            this.tyrusWriter = tyrusWriter;
            this.connection = connection;
        }

        @Override
        public void write(ByteBuffer buffer, CompletionHandler<ByteBuffer> completionHandler) {
            tyrusWriter.write(buffer, completionHandler);
        }

        @Override
        public void write(ByteBuffer buffer, CompletionHandler<ByteBuffer> completionHandler, WriterInfo writerInfo) {
            tyrusWriter.write(buffer, completionHandler, writerInfo);
        }

        /** Runs {@code hook} whenever bytes arrive from the client from now on. */
        void onRead(Runnable hook) {
            ON_READ.set(connection, hook);
        }

        /** Drops the TCP connection now, unread input or not (a client that never answers its close). */
        void abort() {
            connection.terminateSilently();
        }

        @Override
        public void close() {
            Lingering state = new Lingering();
            synchronized (this) {
                if (!connection.isOpen()) {
                    return;
                }
                if (LINGERING.isSet(connection)) {
                    afterQueued(connection::closeSilently); // the handshake is complete: nothing is left unread
                    return;
                }
                LINGERING.set(connection, state);
            }
            lingering.incrementAndGet();
            connection.addCloseListener((closeable, type) -> {
                synchronized (lingering) {
                    lingering.decrementAndGet();
                    lingering.notifyAll();
                }
                ScheduledFuture<?> drop = state.drop;
                if (drop != null) {
                    drop.cancel(false);
                }
            });
            try {
                state.drop = timer.schedule(this::abort, closeTimeoutMs, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                abort();
                return;
            }
            afterQueued(this::halfClose); // Tyrus's close frame is the last thing it queued
        }

        /** Runs {@code action} once everything queued on this connection so far is written (dropping it if not). */
        private void afterQueued(Runnable action) {
            tyrusWriter.write(ByteBuffer.allocate(0), new CompletionHandler<>() {
                @Override
                public void completed(ByteBuffer result) {
                    action.run();
                }

                @Override
                public void failed(Throwable throwable) {
                    abort();
                }
            });
        }

        private void halfClose() {
            try {
                if (connection instanceof org.glassfish.grizzly.nio.NIOConnection nio
                        && nio.getChannel() instanceof SocketChannel channel) {
                    channel.shutdownOutput();
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "half-closing a connection failed", e);
                abort();
            }
        }
    }
}
