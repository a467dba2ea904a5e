package io.wiregate.bench.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class WsFramesTest {

    private static byte[] unmask(ByteBuffer frame, int headerLength, int length) {
        byte[] key = new byte[4];
        frame.get(headerLength - 4, key);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (frame.get(headerLength + i) ^ key[i & 3]);
        }
        return out;
    }

    @Test
    void clientFramesAreFinalMaskedAndCarryThePayload() {
        byte[] payload = "{\"event\":\"echo\"}".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(64);
        WsFrames.writeClientFrame(out, WsFrames.OP_TEXT, payload, 0, payload.length, 0x12345678);
        out.flip();
        assertThat(out.remaining()).isEqualTo(WsFrames.clientFrameLength(payload.length)).isEqualTo(2 + 4 + payload.length);
        assertThat(out.get(0) & 0xFF).isEqualTo(0x81);
        assertThat(out.get(1) & 0xFF).isEqualTo(0x80 | payload.length);
        assertThat(out.getInt(2)).isEqualTo(0x12345678);
        assertThat(unmask(out, 6, payload.length)).isEqualTo(payload);
    }

    @Test
    void mediumPayloadsUseTheSixteenBitLength() {
        byte[] payload = new byte[300];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        ByteBuffer out = ByteBuffer.allocate(400);
        WsFrames.writeClientFrame(out, WsFrames.OP_TEXT, payload, 0, payload.length, 0xCAFEBABE);
        out.flip();
        assertThat(out.get(1) & 0xFF).isEqualTo(0x80 | 126);
        assertThat(out.getShort(2) & 0xFFFF).isEqualTo(300);
        assertThat(unmask(out, 8, 300)).isEqualTo(payload);
    }

    private static byte[] serverFrame(int opcode, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(payload.length + 10);
        b.put((byte) (0x80 | opcode));
        if (payload.length < 126) {
            b.put((byte) payload.length);
        } else {
            b.put((byte) 126).putShort((short) payload.length);
        }
        b.put(payload);
        b.flip();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void parseSplitsCompleteFramesAndLeavesAPartialOneForLater() {
        byte[] a = serverFrame(WsFrames.OP_TEXT, "hello".getBytes(StandardCharsets.US_ASCII));
        byte[] b = serverFrame(WsFrames.OP_TEXT, new byte[200]);
        ByteBuffer buf = ByteBuffer.allocate(512);
        buf.put(a).put(b, 0, 50);
        buf.flip();
        List<String> seen = new ArrayList<>();
        assertThat(WsFrames.parse(buf, (op, fin, data, off, len) -> {
            byte[] p = new byte[len];
            data.get(off, p);
            seen.add(op + ":" + fin + ":" + len + ":" + (len < 10 ? new String(p, StandardCharsets.US_ASCII) : ""));
        })).isTrue();
        assertThat(seen).containsExactly("1:true:5:hello");
        assertThat(buf.position()).isEqualTo(a.length);

        // the rest arrives
        ByteBuffer next = ByteBuffer.allocate(512);
        next.put(b);
        next.flip();
        seen.clear();
        assertThat(WsFrames.parse(next, (op, fin, data, off, len) -> seen.add(op + ":" + len))).isTrue();
        assertThat(seen).containsExactly("1:200");
        assertThat(next.hasRemaining()).isFalse();
    }

    @Test
    void maskedServerFramesAreRejected() {
        ByteBuffer buf = ByteBuffer.wrap(new byte[] {(byte) 0x81, (byte) 0x81, 1, 2, 3, 4, 5});
        assertThat(WsFrames.parse(buf, (op, fin, data, off, len) -> { })).isFalse();
    }
}
