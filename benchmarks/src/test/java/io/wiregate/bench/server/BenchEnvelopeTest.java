package io.wiregate.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchEnvelopeTest {

    @Test
    void readsTheTopLevelEventOnly() {
        assertThat(BenchEnvelope.event("{\"event\":\"fanout\",\"data\":{\"event\":\"x\"}}")).isEqualTo("fanout");
        assertThat(BenchEnvelope.event("{\"data\":{\"event\":\"x\"},\"id\":3,\"event\":\"echo\"}")).isEqualTo("echo");
        assertThat(BenchEnvelope.event("{\"data\":[1,{\"event\":\"x\"}]}")).isNull();
        assertThat(BenchEnvelope.event("{\"event\":3}")).isNull();
        assertThat(BenchEnvelope.event("not json")).isNull();
        assertThat(BenchEnvelope.event("[]")).isNull();
    }
}
