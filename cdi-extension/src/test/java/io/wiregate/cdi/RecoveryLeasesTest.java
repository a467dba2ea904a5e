package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.wiregate.spi.RecoveryLog;

/**
 * The sessions of a node that died without writing their closes (a shared recovery log, docs/protocol.md section 9):
 * every node says it is alive once an interval (at least 1 s), and a node silent for three intervals, by the log's
 * clock, has its sessions closed, so that they expire after the window instead of staying forever.
 */
class RecoveryLeasesTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    /** A log whose records the test writes, with the log's clock it chooses. */
    private static final class HandFedLog implements RecoveryLog {
        Reader reader;
        long position;

        @Override
        public void start(Reader r) {
            this.reader = r;
        }

        @Override
        public boolean append(String record) {
            return true; // this node's own records are not needed here
        }

        @Override
        public void stop() {
        }

        void feed(long millis, String record) {
            reader.record("EPOCH", ++position, millis, record);
        }
    }

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void theSessionsOfANodeSilentForThreeIntervalsAreClosedAndExpireAfterTheWindow() throws Exception {
        Recovery recovery = new Recovery(new ClientRegistry(), timers, 300, 100, 64);
        HandFedLog log = new HandFedLog();
        recovery.share(log);
        long t = 1_000_000;
        log.feed(t, RecoveryRecords.alive("doomed"));
        log.feed(t + 1, RecoveryRecords.connect(Recovery.hash("a-token-of-the-doomed-node"), "client-1", "ann", List.of("lobby"),
                null, null, "doomed"));
        for (long at = t + 500; at <= t + 2_900; at += 500) {
            log.feed(at, RecoveryRecords.alive("healthy"));
        }
        await("the session stays open while its node may still be alive").during(Duration.ofMillis(600))
                .atMost(Duration.ofSeconds(2)).until(() -> recovery.sessionCount() == 1);

        log.feed(t + 4_100, RecoveryRecords.alive("healthy")); // three intervals and more since "doomed" spoke
        await("closed, then expired after the window (300 ms)").atMost(Duration.ofSeconds(3))
                .until(() -> recovery.sessionCount() == 0);
    }

    @Test
    void theSessionsOfANodeThatKeepsSayingItIsAliveStayOpen() {
        Recovery recovery = new Recovery(new ClientRegistry(), timers, 300, 100, 64);
        HandFedLog log = new HandFedLog();
        try {
            recovery.share(log);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        long t = 1_000_000;
        log.feed(t, RecoveryRecords.connect(Recovery.hash("a-token-of-the-healthy-node"), "client-2", "bo", List.of(), null, null,
                "healthy"));
        for (long at = t + 1_000; at <= t + 10_000; at += 1_000) {
            log.feed(at, RecoveryRecords.alive("healthy"));
        }
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> recovery.sessionCount() == 1);
    }
}
