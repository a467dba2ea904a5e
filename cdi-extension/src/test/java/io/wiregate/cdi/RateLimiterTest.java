package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aFullBurstIsAcceptedAtOnceThenFramesAreRefused() {
        RateLimiter fresh = new RateLimiter(10, 3);
        long now = System.nanoTime();
        assertThat(fresh.onFrame(now)).isEqualTo(RateLimiter.Verdict.ACCEPT);
        assertThat(fresh.onFrame(now)).isEqualTo(RateLimiter.Verdict.ACCEPT);
        assertThat(fresh.onFrame(now)).isEqualTo(RateLimiter.Verdict.ACCEPT);
        assertThat(fresh.onFrame(now)).isEqualTo(RateLimiter.Verdict.REFUSE);
    }

    @Test
    void tokensRefillAtTheRate() {
        long now = System.nanoTime();
        RateLimiter limiter = new RateLimiter(10, 1);
        assertThat(limiter.onFrame(now)).isEqualTo(RateLimiter.Verdict.ACCEPT);
        assertThat(limiter.onFrame(now)).isEqualTo(RateLimiter.Verdict.REFUSE);
        assertThat(limiter.onFrame(now + SECOND / 10)).isEqualTo(RateLimiter.Verdict.ACCEPT);
    }

    @Test
    void sustainedAbusePastAWholeExtraBurstCloses() {
        long now = System.nanoTime();
        RateLimiter limiter = new RateLimiter(1, 2);
        limiter.onFrame(now);
        limiter.onFrame(now);
        assertThat(limiter.onFrame(now)).isEqualTo(RateLimiter.Verdict.REFUSE);
        assertThat(limiter.onFrame(now)).isEqualTo(RateLimiter.Verdict.REFUSE);
        assertThat(limiter.onFrame(now)).isEqualTo(RateLimiter.Verdict.CLOSE);
    }

    @Test
    void anAcceptedFrameForgivesEarlierRefusals() {
        long now = System.nanoTime();
        RateLimiter limiter = new RateLimiter(1, 1);
        limiter.onFrame(now);
        assertThat(limiter.onFrame(now)).isEqualTo(RateLimiter.Verdict.REFUSE);
        assertThat(limiter.onFrame(now + SECOND)).isEqualTo(RateLimiter.Verdict.ACCEPT);
        assertThat(limiter.onFrame(now + SECOND)).isEqualTo(RateLimiter.Verdict.REFUSE);
        assertThat(limiter.onFrame(now + SECOND)).as("one refusal in a row again, within the burst of 1")
                .isEqualTo(RateLimiter.Verdict.CLOSE);
    }
}
