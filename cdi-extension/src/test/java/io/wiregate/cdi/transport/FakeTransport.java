package io.wiregate.cdi.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link Transport} for tests, in place of a container and a socket: it records the text of every frame written
 * and every close, completes writes inline or keeps them until the test completes them, and is open until closed
 * or {@linkplain #drop() dropped}. Thread-safe.
 */
public final class FakeTransport implements Transport {

    /** A close the transport was asked for. */
    public record Close(int code, String reason) {
    }

    private final List<String> written = new CopyOnWriteArrayList<>();
    private final List<Close> closes = new CopyOnWriteArrayList<>();
    private final Deque<Consumer<Throwable>> pending = new ArrayDeque<>();
    private final boolean inline;
    private final boolean abortable;
    private volatile boolean failing;
    private volatile boolean open = true;
    private volatile int aborts;

    private FakeTransport(boolean inline, boolean abortable) {
        this.inline = inline;
        this.abortable = abortable;
    }

    /** A transport whose writes complete at once, on the writing thread, and which can abort. */
    public static FakeTransport inline() {
        return new FakeTransport(true, true);
    }

    /** A transport whose every write fails at once (after being recorded), as when the peer went away. */
    public static FakeTransport failing() {
        FakeTransport t = new FakeTransport(true, true);
        t.failing = true;
        return t;
    }

    /** A transport whose writes wait for {@link #completeNext()}: a client that does not read. */
    public static FakeTransport manual() {
        return new FakeTransport(false, true);
    }

    @Override
    public int window() {
        return 1;
    }

    @Override
    public int maxBatch() {
        return 0;
    }

    @Override
    public int sizeOf(OutboundFrame frame) {
        return 1;
    }

    @Override
    public void write(List<OutboundFrame> frames, Consumer<Throwable> done) {
        for (OutboundFrame frame : frames) {
            written.add(frame.isPing() ? "<ping>" : frame.text());
        }
        if (inline) {
            done.accept(failing ? new java.io.IOException("broken pipe") : null);
            return;
        }
        synchronized (pending) {
            pending.add(done);
        }
    }

    /** Completes the oldest pending write successfully. */
    public void completeNext() {
        Consumer<Throwable> done;
        synchronized (pending) {
            done = pending.poll();
        }
        if (done == null) {
            throw new AssertionError("no write is pending");
        }
        done.accept(null);
    }

    @Override
    public void close(int code, String reason) {
        closes.add(new Close(code, reason));
        open = false;
    }

    @Override
    public void abort() {
        aborts++;
        open = false;
    }

    @Override
    public boolean canAbort() {
        return abortable;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** The peer went away without a close. */
    public void drop() {
        open = false;
    }

    /** The text of every frame written so far, in order ({@code <ping>} for pings). */
    public List<String> written() {
        return new ArrayList<>(written);
    }

    /** The closes asked for, in order. */
    public List<Close> closes() {
        return new ArrayList<>(closes);
    }

    /** How many times the connection was aborted. */
    public int aborts() {
        return aborts;
    }
}
