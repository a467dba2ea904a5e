package io.wiregate.bench.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void percentilesInMicroseconds() {
        LatencyStats s = new LatencyStats();
        for (int us = 1; us <= 1000; us++) {
            s.record(us * 1000L);
        }
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.percentileMicros(50)).isCloseTo(500, within(1.0));
        assertThat(s.percentileMicros(99)).isCloseTo(990, within(1.0));
        assertThat(s.maxMicros()).isCloseTo(1000, within(1.0));
        assertThat(s.meanMicros()).isCloseTo(500.5, within(1.0));
    }

    @Test
    void mergesPerThreadHistogramsAndIgnoresNegativeValues() {
        LatencyStats a = new LatencyStats();
        LatencyStats b = new LatencyStats();
        a.record(10_000);
        b.record(30_000);
        b.record(-5);
        LatencyStats all = new LatencyStats();
        all.add(a);
        all.add(b);
        assertThat(all.count()).isEqualTo(3);
        assertThat(all.maxMicros()).isCloseTo(30, within(0.1));
        assertThat(new LatencyStats().percentileMicros(99)).isZero();
    }
}
