package io.wiregate.cdi.transport;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

/**
 * A {@link RemoteEndpoint.Async} for tests: records every text it is asked to send, in order, and either
 * completes each send inline (on the calling thread, inside {@code sendText}) or keeps its handler until the
 * test completes it. Thread-safe.
 */
public final class FakeAsyncRemote implements RemoteEndpoint.Async {

    private final List<String> sent = new ArrayList<>();
    private final Deque<SendHandler> pending = new ArrayDeque<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final ThreadLocal<Integer> nesting = ThreadLocal.withInitial(() -> 0);
    private final AtomicInteger maxNesting = new AtomicInteger();
    private volatile boolean inline;
    private volatile RuntimeException throwOnSend;
    private volatile boolean refuseOverlap;
    private volatile boolean refuseOverlapThroughHandler;

    /** A remote whose sends wait for {@link #completeNext()}. */
    public static FakeAsyncRemote manual() {
        return new FakeAsyncRemote();
    }

    /** A remote whose sends complete inline, successfully. */
    public static FakeAsyncRemote inline() {
        FakeAsyncRemote r = new FakeAsyncRemote();
        r.inline = true;
        return r;
    }

    /**
     * A remote that, like some containers, refuses to start a send while another is in flight: it throws
     * {@link IllegalStateException}, as {@code RemoteEndpoint} allows.
     */
    public static FakeAsyncRemote refusingOverlap() {
        FakeAsyncRemote r = new FakeAsyncRemote();
        r.refuseOverlap = true;
        return r;
    }

    /**
     * A remote that refuses to start a send while another is in flight by failing its handler at once, inside
     * {@code sendText}, as Open Liberty does ("write not allowed").
     */
    public static FakeAsyncRemote refusingOverlapThroughHandler() {
        FakeAsyncRemote r = new FakeAsyncRemote();
        r.refuseOverlapThroughHandler = true;
        return r;
    }

    /** From now on, complete sends inline. */
    public void completeInline() {
        inline = true;
    }

    /** From now on, make {@code sendText} throw. */
    public void throwOnSend(RuntimeException e) {
        throwOnSend = e;
    }

    @Override
    public void sendText(String text, SendHandler handler) {
        if (throwOnSend != null) {
            throw throwOnSend;
        }
        if (refuseOverlap && inFlight.get() > 0) {
            throw new IllegalStateException("a message is being sent");
        }
        if (refuseOverlapThroughHandler && inFlight.get() > 0) {
            handler.onResult(new SendResult(new java.io.IOException("write not allowed")));
            return;
        }
        int depth = nesting.get() + 1;
        nesting.set(depth);
        maxNesting.accumulateAndGet(depth, Math::max);
        try {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            synchronized (this) {
                sent.add(text);
                if (!inline) {
                    pending.add(handler);
                    return;
                }
            }
            inFlight.decrementAndGet();
            handler.onResult(new SendResult());
        } finally {
            nesting.set(depth - 1);
        }
    }

    /** Completes the oldest pending send successfully. */
    public void completeNext() {
        complete(new SendResult());
    }

    /** Completes the oldest pending send with a failure. */
    public void failNext(Throwable cause) {
        complete(new SendResult(cause));
    }

    /** Completes pending sends, including those they start, until none is pending. */
    public void completeAll() {
        while (pendingCount() > 0) {
            completeNext();
        }
    }

    private void complete(SendResult result) {
        SendHandler handler;
        synchronized (this) {
            handler = pending.poll();
        }
        if (handler == null) {
            throw new AssertionError("no send is pending");
        }
        inFlight.decrementAndGet();
        handler.onResult(result);
    }

    /** Sends waiting for completion. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    /** Every text sent so far, in order (the same String instances as given). */
    public synchronized List<String> sent() {
        return new ArrayList<>(sent);
    }

    /** Most sends that were ever in flight at once. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Deepest nesting of {@code sendText} calls on one thread (1 means never re-entered). */
    public int maxNesting() {
        return maxNesting.get();
    }

    @Override
    public long getSendTimeout() {
        return 0;
    }

    @Override
    public void setSendTimeout(long timeoutMillis) {
    }

    @Override
    public Future<Void> sendText(String text) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> sendBinary(ByteBuffer data) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendBinary(ByteBuffer data, SendHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> sendObject(Object data) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendObject(Object data, SendHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setBatchingAllowed(boolean allowed) {
    }

    @Override
    public boolean getBatchingAllowed() {
        return false;
    }

    @Override
    public void flushBatch() {
    }

    /** Records a ping among the texts sent, as {@link #PING}. */
    @Override
    public synchronized void sendPing(ByteBuffer applicationData) {
        sent.add(PING);
    }

    /** What {@link #sent()} holds for a ping. */
    public static final String PING = "<ping>";

    @Override
    public void sendPong(ByteBuffer applicationData) {
        throw new UnsupportedOperationException();
    }
}
