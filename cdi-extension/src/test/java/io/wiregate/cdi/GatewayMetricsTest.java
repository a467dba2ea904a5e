package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

import io.wiregate.protocol.ErrorCode;

class GatewayMetricsTest {

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final Map<Integer, LongAdder> closeCodes = new HashMap<>();

    @Test
    void nothingIsCountedOrTimedUntilABindingTurnsCountingOn() {
        metrics.connected();
        metrics.error(ErrorCode.BAD_FRAME);
        metrics.delivered(3, "x");
        metrics.closed(1000);
        assertThat(metrics.handlerStart()).as("no clock read without a timer").isZero();
        assertThat(metrics.connected.sum() + metrics.errorsTotal() + metrics.deliveries.sum()).isZero();

        metrics.enable((event, nanos) -> { }, closeCodes::put);
        metrics.connected();
        metrics.closed(1000);
        assertThat(metrics.connected.sum()).isEqualTo(1);
        assertThat(closeCodes).containsOnlyKeys(1000);
        assertThat(metrics.handlerStart()).isPositive();
    }

    @Test
    void bytesOutAreTheUtf8LengthOfTheFrameForEveryRecipient() {
        metrics.enable(null, closeCodes::put);
        String text = "{\"data\":\"h\u00e9llo \u20ac \uD83D\uDE00\"}";
        metrics.delivered(3, text);
        assertThat(metrics.deliveries.sum()).isEqualTo(3);
        assertThat(metrics.bytesOut.sum()).isEqualTo(3L * text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(GatewayMetrics.utf8Length("plain ascii")).isEqualTo(11);
    }

    @Test
    void closeCodesBeyondTheBoundCountAsOneOtherCode() {
        metrics.enable(null, closeCodes::put);
        for (int code = 4000; code < 4000 + GatewayMetrics.MAX_CLOSE_CODES + 10; code++) {
            metrics.closed(code);
        }
        assertThat(closeCodes).hasSize(GatewayMetrics.MAX_CLOSE_CODES + 1).containsKey(0);
        assertThat(closeCodes.get(0).sum()).isEqualTo(10);
    }
}
