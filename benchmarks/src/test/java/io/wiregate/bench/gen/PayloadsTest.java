package io.wiregate.bench.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PayloadsTest {

    @Test
    void fanoutFrameText() {
        byte[] dst = new byte[256];
        int n = Payloads.fanout(dst, 2, 42, 123456789L, "xyz".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(dst, 0, n, StandardCharsets.US_ASCII))
                .isEqualTo("{\"event\":\"fanout\",\"data\":{\"run\":2,\"seq\":42,\"ts\":123456789,\"pad\":\"xyz\"}}");
    }

    @Test
    void echoFrameText() {
        byte[] dst = new byte[256];
        int n = Payloads.echo(dst, 0, new byte[0], 7);
        assertThat(new String(dst, 0, n, StandardCharsets.US_ASCII))
                .isEqualTo("{\"event\":\"echo\",\"data\":{\"ts\":0,\"pad\":\"\"},\"id\":7}");
    }

    @Test
    void paddingBringsFramesToTheTargetSize() {
        byte[] dst = new byte[512];
        assertThat(Payloads.fanout(dst, 1, 1_000_000, 1_000_000_000_000_000L, Payloads.fanoutPad(128))).isEqualTo(128);
        assertThat(Payloads.echo(dst, 1_000_000_000_000_000L, Payloads.echoPad(128), 1_000_000)).isEqualTo(128);
        assertThat(Payloads.fanoutPad(10)).isEmpty();
    }

    @Test
    void numbers() {
        byte[] dst = new byte[32];
        assertThat(new String(dst, 0, Payloads.putLong(dst, 0, -9051), StandardCharsets.US_ASCII)).isEqualTo("-9051");
        assertThat(new String(dst, 0, Payloads.putLong(dst, 0, Long.MAX_VALUE), StandardCharsets.US_ASCII))
                .isEqualTo(Long.toString(Long.MAX_VALUE));
    }
}
