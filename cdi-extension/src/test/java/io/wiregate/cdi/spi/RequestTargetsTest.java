package io.wiregate.cdi.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestTargetsTest {

    @Test
    void aPathIsDecodedSegmentBySegmentAndAPlusStaysAPlus() {
        assertThat(RequestTargets.decodedPath("/")).isEqualTo("/");
        assertThat(RequestTargets.decodedPath("/a+b/caf%C3%A9%20x.html")).isEqualTo("/a+b/café x.html");
        assertThat(RequestTargets.decodedPath("/dir/")).isEqualTo("/dir/");
    }

    @Test
    void aPathThatIsNotWellFormedIsRefused() {
        assertThatThrownBy(() -> RequestTargets.decodedPath("/%2e%2e/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
