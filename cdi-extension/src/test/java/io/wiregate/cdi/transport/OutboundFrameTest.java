package io.wiregate.cdi.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class OutboundFrameTest {

    @Test
    void aDeliveryFrameIsMadeOnceInATransportsFormForEveryRecipient() {
        OutboundFrame frame = OutboundFrame.delivery("{\"event\":\"e\"}");
        AtomicInteger made = new AtomicInteger();
        StringBuilder first = frame.shared(StringBuilder.class, f -> {
            made.incrementAndGet();
            return new StringBuilder(f.text());
        });
        StringBuilder second = frame.shared(StringBuilder.class, f -> {
            made.incrementAndGet();
            return new StringBuilder();
        });
        assertThat(second).isSameAs(first);
        assertThat(made).hasValue(1);
        assertThat(frame.isDelivery()).isTrue();
    }

    @Test
    void anotherTypeGetsAFreshObjectAndLeavesTheStoredOne() {
        OutboundFrame frame = OutboundFrame.delivery("x");
        StringBuilder stored = frame.shared(StringBuilder.class, f -> new StringBuilder("a"));
        assertThat(frame.shared(String.class, f -> "other")).isEqualTo("other");
        assertThat(frame.shared(StringBuilder.class, f -> new StringBuilder("b"))).isSameAs(stored);
    }

    @Test
    void aFrameForOneClientIsNoDelivery() {
        assertThat(new OutboundFrame("x").isDelivery()).isFalse();
        assertThat(OutboundFrame.PING.isDelivery()).isFalse();
    }
}
