package io.wiregate.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.wiregate.bench.gen.Payloads;

/** The verbatim endpoint tells the generator's frames apart by their exact text: it must match what the generator writes. */
class RawVerbatimBenchEndpointTest {

    @Test
    void fanoutFramesStartWithThePrefix() {
        byte[] dst = new byte[512];
        int len = Payloads.fanout(dst, 2, 17, 123_456_789L, Payloads.fanoutPad(128));
        assertThat(new String(dst, 0, len, StandardCharsets.US_ASCII)).startsWith(RawVerbatimBenchEndpoint.FANOUT_PREFIX);
    }

    @Test
    void echoFramesDoNotAndTheHeartbeatIsExact() {
        byte[] dst = new byte[512];
        int len = Payloads.echo(dst, 123_456_789L, Payloads.echoPad(128), 5);
        assertThat(new String(dst, 0, len, StandardCharsets.US_ASCII)).doesNotStartWith(RawVerbatimBenchEndpoint.FANOUT_PREFIX)
                .isNotEqualTo(RawVerbatimBenchEndpoint.HEARTBEAT);
        assertThat(new String(Payloads.HEARTBEAT, StandardCharsets.US_ASCII)).isEqualTo(RawVerbatimBenchEndpoint.HEARTBEAT);
    }
}
