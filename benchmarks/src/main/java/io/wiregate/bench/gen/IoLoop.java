package io.wiregate.bench.gen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One thread of the load generator: a selector over its connections, one shared read buffer, a task queue.
 * Scenario code gets per-loop counters here (written by the loop's thread, read by others).
 */
public final class IoLoop implements Runnable {

    final Selector selector;
    final Handler handler;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(WsFrames.MAX_FRAME * 2);
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Conn> conns = new ArrayList<>();
    private final long keepAliveNanos;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private final Thread thread;
    private long lastKeepAliveCheck = System.nanoTime();

    /** Number of scenario counters per loop. */
    public static final int COUNTERS = 8;
    /** Scenario counters, written by this loop's thread only; published to other threads after every round. */
    public final long[] counts = new long[COUNTERS];
    private final long[] lastPublished = new long[COUNTERS];
    private final AtomicLongArray published = new AtomicLongArray(COUNTERS);
    /** Per-loop latencies (this loop's thread only; read through {@link #call}). */
    public final LatencyStats latencies = new LatencyStats();
    /** Scratch space for frames built on this loop's thread. */
    public final byte[] scratch = new byte[WsFrames.MAX_FRAME];
    public final ByteBuffer out = ByteBuffer.allocateDirect(WsFrames.MAX_FRAME + 16);

    IoLoop(String name, Handler handler, long keepAliveNanos) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.handler = handler;
        this.keepAliveNanos = keepAliveNanos;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void add(Conn conn) {
        conns.add(conn);
    }

    /** Runs a task on this loop's thread. */
    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Runs a task on this loop's thread and waits for it (at most 30 s). */
    public void call(Runnable task) {
        CountDownLatch done = new CountDownLatch(1);
        execute(() -> {
            try {
                task.run();
            } finally {
                done.countDown();
            }
        });
        try {
            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("I/O loop did not answer in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean onLoopThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void run() {
        try {
            while (running) {
                selector.select(this::ready, 100);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        e.printStackTrace();
                    }
                }
                publish();
                handler.afterRound(this);
                if (keepAliveNanos > 0) {
                    keepAlive();
                }
            }
        } catch (IOException e) {
            e.printStackTrace();
        } finally {
            for (Conn c : conns) {
                c.closeChannel();
            }
            try {
                selector.close();
            } catch (IOException e) {
                // closing anyway
            }
            stopped.countDown();
        }
    }

    /** A counter as last published by this loop (any thread). */
    public long published(int counter) {
        return published.get(counter);
    }

    private void publish() {
        for (int i = 0; i < COUNTERS; i++) {
            long v = counts[i];
            if (v != lastPublished[i]) {
                lastPublished[i] = v;
                published.lazySet(i, v);
            }
        }
    }

    private void ready(SelectionKey key) {
        Conn conn = (Conn) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                conn.onConnectable();
            } else if (key.isReadable()) {
                conn.onReadable(readBuffer);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            conn.closeChannel();
        }
    }

    /** Sends {@code {"event":"heartbeat"}} on connections that sent nothing for the keep-alive interval. */
    private void keepAlive() {
        long now = System.nanoTime();
        if (now - lastKeepAliveCheck < 1_000_000_000L) {
            return;
        }
        lastKeepAliveCheck = now;
        for (Conn c : conns) {
            if (c.isOpen() && now - c.lastSendNanos > keepAliveNanos) {
                c.sendFrame(WsFrames.OP_TEXT, Payloads.HEARTBEAT, 0, Payloads.HEARTBEAT.length);
            }
        }
    }

    void stop() {
        running = false;
        selector.wakeup();
        try {
            stopped.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
