package io.wiregate.client;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks one at a time, in submission order, on a shared pool of daemon threads: each client has one, so its
 * listeners are called in the order frames arrived, never on the WebSocket's I/O thread, and a slow listener delays
 * only its own client. A task that throws is logged and does not stop the ones after it.
 */
final class SerialExecutor implements Executor {

    private static final System.Logger LOG = System.getLogger(WiregateClient.class.getName());

    /** Threads of every client's listeners: created on demand, gone after a minute idle. */
    static final ExecutorService POOL = Executors.newCachedThreadPool(daemon("wiregate-client-events-"));

    /** Timers of every client (timeouts, heartbeats, reconnect delays); their tasks only hand work on. */
    static final ScheduledExecutorService TIMERS = timers();

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        POOL.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (Throwable t) { // a listener's bug is reported and does not stop the others
                LOG.log(System.Logger.Level.WARNING, "A Wiregate client listener failed", t);
            }
        }
    }

    private static ScheduledExecutorService timers() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemon("wiregate-client-timer-"));
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
