package io.wiregate.redisson;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A warning that repeats under load (a flood of malformed messages, a Redis outage) is logged at most once
 * per interval, with how many were suppressed since; the others go to FINE. Thread-safe.
 */
final class ThrottledLog {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    ThrottledLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    void warn(String message, Throwable cause) {
        long now = System.nanoTime();
        long next = nextAt.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAt.compareAndSet(next, now + intervalNanos)) {
            long skipped = suppressed.getAndSet(0);
            String text = skipped == 0 ? message : message + " (" + skipped + " similar since the last warning)";
            // logp: the record names the logger's class, not this helper
            log.logp(Level.WARNING, log.getName(), null, cause == null ? text : text + ": " + cause);
        } else {
            suppressed.incrementAndGet();
            if (log.isLoggable(Level.FINE)) {
                log.logp(Level.FINE, log.getName(), null, message, cause);
            }
        }
    }
}
