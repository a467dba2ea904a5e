package io.wiregate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebSocketFramesTest {

    /** The payload of a single unmasked frame, read the way a client reads it (RFC 6455 section 5.2). */
    private static byte[] payloadOf(byte[] frame) {
        ByteBuffer in = ByteBuffer.wrap(frame);
        int first = in.get() & 0xFF;
        assertThat(first).as("FIN and opcode 1 (text), no RSV bits").isEqualTo(0x81);
        int second = in.get() & 0xFF;
        assertThat(second & 0x80).as("a server frame is not masked").isZero();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.getShort() & 0xFFFF;
            assertThat(length).as("16-bit form only when 7 bits do not suffice").isGreaterThanOrEqualTo(126);
        } else if (length == 127) {
            length = in.getLong();
            assertThat(length).as("64-bit form only when 16 bits do not suffice").isGreaterThanOrEqualTo(65536);
        }
        assertThat((long) in.remaining()).as("nothing but the payload follows the header").isEqualTo(length);
        return Arrays.copyOfRange(frame, in.position(), frame.length);
    }

    @Test
    void aShortTextIsOneFinalTextFrameWithATwoByteHeader() {
        assertThat(WebSocketFrames.text("{\"event\":\"ack\"}"))
                .startsWith(0x81, 15)
                .hasSize(2 + 15)
                .endsWith("{\"event\":\"ack\"}".getBytes(StandardCharsets.US_ASCII));
        assertThat(WebSocketFrames.text("")).containsExactly(0x81, 0);
    }

    @Test
    void theLengthCountsUtf8BytesNotCharacters() {
        String text = "caf\u00e9 \ud83d\ude00"; // 7 UTF-16 characters, 10 bytes
        byte[] frame = WebSocketFrames.text(text);

        assertThat(frame[1]).isEqualTo((byte) 10);
        assertThat(new String(payloadOf(frame), StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 70000})
    void everyLengthUsesTheShortestHeaderAndCarriesThePayloadUnchanged(int length) {
        String text = "x".repeat(length);
        byte[] frame = WebSocketFrames.text(text);

        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        assertThat(frame).hasSize(header + length);
        assertThat(payloadOf(frame)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theExtendedLengthsAreBigEndian() {
        assertThat(Arrays.copyOf(WebSocketFrames.text("a".repeat(300)), 4)).containsExactly(0x81, 126, 0x01, 0x2C);
        assertThat(Arrays.copyOf(WebSocketFrames.text("a".repeat(65536)), 10))
                .containsExactly(0x81, 127, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00);
    }

    @Test
    void eachCallReturnsANewArray() {
        assertThat(WebSocketFrames.text("same")).isNotSameAs(WebSocketFrames.text("same")).isEqualTo(WebSocketFrames.text("same"));
    }
}
