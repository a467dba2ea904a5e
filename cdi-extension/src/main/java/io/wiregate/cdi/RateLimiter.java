package io.wiregate.cdi;

/**
 * The inbound rate limit of one connection: a token bucket of {@code burst} frames refilled at {@code rate}
 * frames per second. A frame over the limit is refused ({@code rate_limited}); a client that keeps sending
 * past a whole extra burst of refused frames without pausing is abusive (close 1008).
 *
 * <p>Thread-safety: synchronized; frames of one connection arrive one at a time, so it is never contended.
 */
final class RateLimiter {

    /** What to do with one frame. */
    public enum Verdict {
        /** Within the limit. */
        ACCEPT,
        /** Over the limit: answer {@code rate_limited}. */
        REFUSE,
        /** Sustained abuse: close with 1008. */
        CLOSE
    }

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;
    private int refusedInARow;

    /**
     * @param ratePerSecond frames per second, more than 0
     * @param burst         frames accepted at once, at least 1
     */
    public RateLimiter(long ratePerSecond, long burst) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.last = System.nanoTime();
    }

    /** Accounts for one inbound frame arriving now. */
    public synchronized Verdict onFrame() {
        return onFrame(System.nanoTime());
    }

    /** Accounts for one inbound frame arriving at {@code nanoTime} (for tests). */
    synchronized Verdict onFrame(long nanoTime) {
        tokens = Math.min(burst, tokens + Math.max(0, nanoTime - last) * ratePerNano);
        last = nanoTime;
        if (tokens >= 1) {
            tokens -= 1;
            refusedInARow = 0;
            return Verdict.ACCEPT;
        }
        return ++refusedInARow > burst ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
