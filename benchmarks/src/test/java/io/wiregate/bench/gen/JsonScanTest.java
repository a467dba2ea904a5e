package io.wiregate.bench.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class JsonScanTest {

    private static ByteBuffer direct(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocateDirect(b.length + 8);
        buf.put(new byte[] {9, 9, 9}); // the frame does not start at 0
        buf.put(b);
        return buf;
    }

    @Test
    void readsTheEventAndTheNumbersOfAFanoutFrame() {
        String text = "{\"event\":\"fanout\",\"data\":{\"run\":2,\"seq\":1234,\"ts\":987654321012,\"pad\":\"xx\"}}";
        ByteBuffer b = direct(text);
        int from = 3;
        int to = 3 + text.length();
        assertThat(JsonScan.eventIs(b, from, to, Payloads.FANOUT)).isTrue();
        assertThat(JsonScan.eventIs(b, from, to, Payloads.ECHO)).isFalse();
        int[] end = {from};
        assertThat(JsonScan.longValue(b, from, from, to, Payloads.RUN, -1, end)).isEqualTo(2);
        assertThat(JsonScan.longValue(b, from, end[0], to, Payloads.SEQ, -1, end)).isEqualTo(1234);
        assertThat(JsonScan.longValue(b, from, end[0], to, Payloads.TS, -1, end)).isEqualTo(987654321012L);
    }

    @Test
    void findsKeysInAnyOrderAndWithBlanks() {
        String text = "{ \"id\" : \"17\", \"data\" : {\"ts\" : -5}, \"event\" : \"echo\" }";
        ByteBuffer b = direct(text);
        int to = 3 + text.length();
        assertThat(JsonScan.eventIs(b, 3, to, Payloads.ECHO)).isTrue();
        int[] end = {3};
        assertThat(JsonScan.longValue(b, 3, 3, to, Payloads.TS, -1, end)).isEqualTo(-5);
        // searched after ts first, then from the start
        assertThat(JsonScan.longValue(b, 3, end[0], to, Payloads.ID, -1, end)).isEqualTo(17);
    }

    @Test
    void otherFramesDoNotMatch() {
        String text = "{\"event\":\"connected\",\"data\":{\"id\":\"abc\",\"time\":1700000000000}}";
        ByteBuffer b = direct(text);
        int to = 3 + text.length();
        assertThat(JsonScan.eventIs(b, 3, to, Payloads.FANOUT)).isFalse();
        assertThat(JsonScan.longValue(b, 3, 3, to, Payloads.TS, -1, null)).isEqualTo(-1);
        assertThat(JsonScan.longValue(b, 3, 3, to, Payloads.ID, -1, null)).isEqualTo(-1);
    }
}
