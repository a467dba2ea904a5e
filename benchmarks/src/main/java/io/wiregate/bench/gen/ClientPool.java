package io.wiregate.bench.gen;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load generator's connections, spread over a few {@link IoLoop}s. Connections are opened with a bounded
 * number of handshakes in flight, so that a burst of thousands of connects never overflows the server's
 * accept backlog.
 */
public final class ClientPool implements AutoCloseable {

    private final List<IoLoop> loops = new ArrayList<>();
    private final List<Conn> conns = new ArrayList<>();
    private final InetSocketAddress address;
    private final String path;
    private final int maxHandshakes;

    /**
     * @param uri            {@code ws://host:port/path}
     * @param ioThreads      number of I/O loops
     * @param keepAliveNanos send a heartbeat frame on connections silent for this long (0: never)
     * @param maxHandshakes  handshakes in flight at most
     */
    public ClientPool(URI uri, int ioThreads, Handler handler, long keepAliveNanos, int maxHandshakes) {
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        this.maxHandshakes = maxHandshakes;
        for (int i = 0; i < ioThreads; i++) {
            IoLoop loop = new IoLoop("gen-io-" + i, handler, keepAliveNanos);
            loops.add(loop);
            loop.start();
        }
    }

    public List<IoLoop> loops() {
        return loops;
    }

    public List<Conn> conns() {
        return conns;
    }

    /**
     * Opens {@code count} more connections, round-robin over the loops, and waits until each is open or failed.
     *
     * @return the new connections that are open
     */
    public List<Conn> open(int count, long timeoutMillis) throws InterruptedException {
        Semaphore permits = new Semaphore(maxHandshakes);
        CountDownLatch done = new CountDownLatch(count);
        AtomicInteger failed = new AtomicInteger();
        List<Conn> added = new ArrayList<>(count);
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (int i = 0; i < count; i++) {
            IoLoop loop = loops.get(conns.size() % loops.size());
            Conn conn = new Conn(conns.size(), loop, address, path);
            conns.add(conn);
            added.add(conn);
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || !permits.tryAcquire(left, TimeUnit.MILLISECONDS)) {
                break;
            }
            loop.execute(() -> {
                loop.add(conn);
                conn.connect(() -> {
                    if (!conn.isOpen()) {
                        failed.incrementAndGet();
                    }
                    permits.release();
                    done.countDown();
                });
            });
        }
        done.await(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        List<Conn> open = new ArrayList<>(count);
        for (Conn c : added) {
            if (c.isOpen()) {
                open.add(c);
            }
        }
        return open;
    }

    /** Connections that ended (close frame or dropped socket) while the pool was open. */
    public int closedCount() {
        int n = 0;
        for (Conn c : conns) {
            if (c.closeCode() != Integer.MIN_VALUE) {
                n++;
            }
        }
        return n;
    }

    /** The close codes seen, as "code x count". */
    public String closeCodes() {
        java.util.TreeMap<Integer, Integer> codes = new java.util.TreeMap<>();
        for (Conn c : conns) {
            if (c.closeCode() != Integer.MIN_VALUE) {
                codes.merge(c.closeCode(), 1, Integer::sum);
            }
        }
        return codes.toString();
    }

    /** Closes every socket at once and stops the loops. */
    @Override
    public void close() {
        for (IoLoop loop : loops) {
            loop.stop();
        }
    }
}
