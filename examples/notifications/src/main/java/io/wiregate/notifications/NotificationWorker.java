package io.wiregate.notifications;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import io.wiregate.redisson.Emitter;

/**
 * A worker process with no WebSocket server: every few seconds it pushes a {@code notification} to every
 * client of {@code /notifications} on every node, and every third time a {@code personal} one to the user
 * {@code alice} only. Options (system properties): {@code wiregate.redis.address} (default
 * {@code redis://127.0.0.1:6379}), {@code wiregate.redis.prefix}, {@code wiregate.redis.password},
 * {@code notifications.period-ms} (default 3000). Stops on Ctrl-C.
 */
public final class NotificationWorker {

    private static final Logger LOG = Logger.getLogger(NotificationWorker.class.getName());

    /** What the browsers receive as {@code data}. */
    public record Notification(long seq, String text, String time) {
    }

    private NotificationWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        String address = System.getProperty("wiregate.redis.address", "redis://127.0.0.1:6379");
        long period = Long.getLong("notifications.period-ms", 3000);
        Emitter emitter = Emitter.builder()
                .address(address)
                .prefix(System.getProperty("wiregate.redis.prefix", "ws"))
                .password(System.getProperty("wiregate.redis.password"))
                .namespace("/notifications")
                .build();
        AtomicLong seq = new AtomicLong();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(() -> {
            long n = seq.incrementAndGet();
            String time = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
            emitter.toAll().emit("notification", new Notification(n, "Build #" + n + " passed", time))
                    .whenComplete((receivers, failure) -> {
                        if (failure != null) {
                            LOG.warning("notification " + n + " not published: " + failure);
                        } else {
                            LOG.info("notification " + n + " published to " + receivers + " node subscription(s)");
                        }
                    });
            if (n % 3 == 0) {
                emitter.toUser("alice").emit("personal", new Notification(n, "Alice, your report is ready", time));
            }
        }, 0, period, TimeUnit.MILLISECONDS);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            timer.shutdown();
            emitter.close();
            stopped.countDown();
        }, "notifications-shutdown"));
        System.out.println("PUSHING to /notifications through " + address + " every " + period + " ms");
        stopped.await();
    }
}
