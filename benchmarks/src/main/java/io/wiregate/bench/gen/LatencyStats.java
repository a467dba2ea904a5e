package io.wiregate.bench.gen;

import org.HdrHistogram.Histogram;

/**
 * Latencies in nanoseconds (HdrHistogram, 3 significant digits, up to one hour), reported in microseconds.
 * Not thread-safe: each I/O thread records into its own and the driver {@link #add merges} them afterwards.
 */
public final class LatencyStats {

    private static final long HIGHEST = 3_600_000_000_000L;

    private final Histogram histogram = new Histogram(1, HIGHEST, 3);

    /** Records one latency; negative values (clock skew cannot happen on one machine) count as 0. */
    public void record(long nanos) {
        histogram.recordValue(Math.max(1, Math.min(HIGHEST, nanos)));
    }

    public void add(LatencyStats other) {
        histogram.add(other.histogram);
    }

    public void reset() {
        histogram.reset();
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The latency at this percentile (0 to 100), in microseconds; 0 when nothing was recorded. */
    public double percentileMicros(double percentile) {
        return count() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMicros() {
        return count() == 0 ? 0 : histogram.getMaxValue() / 1000.0;
    }

    public double meanMicros() {
        return count() == 0 ? 0 : histogram.getMean() / 1000.0;
    }

    public LatencyStats copy() {
        LatencyStats c = new LatencyStats();
        c.add(this);
        return c;
    }
}
