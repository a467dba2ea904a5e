package io.wiregate.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RawBenchEndpointTest {

    @Test
    void readsTheTopLevelEventOnly() {
        assertThat(RawBenchEndpoint.event("{\"event\":\"fanout\",\"data\":{\"event\":\"x\"}}")).isEqualTo("fanout");
        assertThat(RawBenchEndpoint.event("{\"data\":{\"event\":\"x\"},\"id\":3,\"event\":\"echo\"}")).isEqualTo("echo");
        assertThat(RawBenchEndpoint.event("{\"data\":[1,{\"event\":\"x\"}]}")).isNull();
        assertThat(RawBenchEndpoint.event("{\"event\":3}")).isNull();
        assertThat(RawBenchEndpoint.event("not json")).isNull();
        assertThat(RawBenchEndpoint.event("[]")).isNull();
    }
}
