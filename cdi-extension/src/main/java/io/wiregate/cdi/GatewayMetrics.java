package io.wiregate.cdi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

import io.wiregate.protocol.ErrorCode;

/**
 * The figures of one gateway on this node, counted where they happen and read by a metrics binding
 * ({@link MicrometerMetrics}). Until a binding turns them on ({@link #enable}), nothing is counted and nothing is
 * measured: one volatile read per event is the whole cost. Counters are {@link LongAdder}s, so concurrent connections
 * never contend on them. Thread-safe.
 */
final class GatewayMetrics {

    /** The most distinct close codes counted one by one; others count as code 0. */
    static final int MAX_CLOSE_CODES = 64;

    /** Receives handler durations, by event. */
    interface HandlerTimer {
        void record(String event, long nanos);
    }

    private volatile boolean enabled;
    private volatile HandlerTimer handlerTimer;
    /** Told of each close code seen for the first time (a binding registers a meter for it). */
    private volatile BiConsumer<Integer, LongAdder> newCloseCode = (code, counter) -> { };

    final LongAdder connected = new LongAdder();
    final LongAdder framesIn = new LongAdder();
    final LongAdder deliveries = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder volatileDropped = new LongAdder();
    final LongAdder recovered = new LongAdder();
    final LongAdder notRecovered = new LongAdder();
    private final Map<ErrorCode, LongAdder> errors = new java.util.EnumMap<>(ErrorCode.class);
    private final ConcurrentHashMap<Integer, LongAdder> closes = new ConcurrentHashMap<>();

    GatewayMetrics() {
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, new LongAdder());
        }
    }

    /**
     * Starts counting.
     *
     * @param timer        receives handler durations, or null to measure none
     * @param newCloseCode told of every close code counted so far, then of each new one
     */
    void enable(HandlerTimer timer, BiConsumer<Integer, LongAdder> newCloseCode) {
        this.handlerTimer = timer;
        this.newCloseCode = newCloseCode;
        closes.forEach(newCloseCode);
        enabled = true;
    }

    boolean enabled() {
        return enabled;
    }

    /** The counter of one error code. */
    LongAdder errors(ErrorCode code) {
        return errors.get(code);
    }

    void connected() {
        if (enabled) {
            connected.increment();
        }
    }

    void frameIn() {
        if (enabled) {
            framesIn.increment();
        }
    }

    void error(ErrorCode code) {
        if (enabled) {
            errors.get(code).increment();
        }
    }

    void closed(int code) {
        if (!enabled) {
            return;
        }
        LongAdder counter = closes.get(code);
        if (counter == null) {
            int key = closes.size() >= MAX_CLOSE_CODES ? 0 : code;
            boolean[] fresh = {false};
            counter = closes.computeIfAbsent(key, k -> {
                fresh[0] = true;
                return new LongAdder();
            });
            if (fresh[0]) {
                newCloseCode.accept(key, counter);
            }
        }
        counter.increment();
    }

    /** A delivery's frame {@code text} was queued for {@code recipients} connections. */
    void delivered(int recipients, String text) {
        if (enabled && recipients > 0) {
            deliveries.add(recipients);
            bytesOut.add((long) recipients * utf8Length(text));
        }
    }

    void volatileDropped() {
        if (enabled) {
            volatileDropped.increment();
        }
    }

    /** A client presented a session to resume: {@code exact} whether it was recovered. */
    void resumed(boolean exact) {
        if (enabled) {
            (exact ? recovered : notRecovered).increment();
        }
    }

    /** When handler durations are measured: {@link System#nanoTime()}; else 0, and {@link #handled} ignores it. */
    long handlerStart() {
        return handlerTimer == null ? 0 : System.nanoTime();
    }

    void handled(String event, long start) {
        HandlerTimer t = handlerTimer;
        if (t != null && start != 0) {
            t.record(event, System.nanoTime() - start);
        }
    }

    /** The sum of the error counters. */
    long errorsTotal() {
        long n = 0;
        for (LongAdder a : errors.values()) {
            n += a.sum();
        }
        return n;
    }

    static long utf8Length(String s) {
        int n = s.length();
        long bytes = n;
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch >= 0x80) {
                bytes += ch < 0x800 || Character.isSurrogate(ch) ? 1 : 2; // a surrogate pair: 4 bytes for its 2 chars
            }
        }
        return bytes;
    }
}
