package io.wiregate.bench.gen;

import java.nio.ByteBuffer;

/**
 * The few pieces of RFC 6455 framing the load generator needs, on {@link ByteBuffer}s and without allocation:
 * writing a masked client frame, and splitting server frames out of what a socket read returned.
 */
public final class WsFrames {

    public static final int OP_CONTINUATION = 0x0;
    public static final int OP_TEXT = 0x1;
    public static final int OP_BINARY = 0x2;
    public static final int OP_CLOSE = 0x8;
    public static final int OP_PING = 0x9;
    public static final int OP_PONG = 0xA;

    /** Largest frame the generator accepts from a server. */
    public static final int MAX_FRAME = 512 * 1024;

    /** Receives the frames that {@link #parse} splits out. */
    public interface Sink {
        /**
         * One complete frame whose payload is {@code buf[offset, offset + length)} (absolute positions).
         * The buffer's content is valid only during the call.
         */
        void frame(int opcode, boolean fin, ByteBuffer buf, int offset, int length);
    }

    private WsFrames() {
    }

    /** Bytes a client frame with this payload length takes (header, mask key, payload). */
    public static int clientFrameLength(int payloadLength) {
        int header = payloadLength < 126 ? 2 : payloadLength < 65536 ? 4 : 10;
        return header + 4 + payloadLength;
    }

    /**
     * Writes one final client frame (masked with {@code mask}, as RFC 6455 requires of clients) at the buffer's
     * position, and advances it.
     */
    public static void writeClientFrame(ByteBuffer out, int opcode, byte[] payload, int offset, int length, int mask) {
        out.put((byte) (0x80 | opcode));
        if (length < 126) {
            out.put((byte) (0x80 | length));
        } else if (length < 65536) {
            out.put((byte) (0x80 | 126));
            out.putShort((short) length);
        } else {
            out.put((byte) (0x80 | 127));
            out.putLong(length);
        }
        out.putInt(mask);
        byte m0 = (byte) (mask >>> 24);
        byte m1 = (byte) (mask >>> 16);
        byte m2 = (byte) (mask >>> 8);
        byte m3 = (byte) mask;
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            out.put((byte) (payload[offset + i] ^ m0));
            out.put((byte) (payload[offset + i + 1] ^ m1));
            out.put((byte) (payload[offset + i + 2] ^ m2));
            out.put((byte) (payload[offset + i + 3] ^ m3));
        }
        for (; i < length; i++) {
            int k = i & 3;
            byte m = k == 0 ? m0 : k == 1 ? m1 : k == 2 ? m2 : m3;
            out.put((byte) (payload[offset + i] ^ m));
        }
    }

    /**
     * Hands every complete (unmasked, server-to-client) frame between the buffer's position and limit to the
     * sink, and leaves the position at the first byte of the first incomplete frame.
     *
     * @return false if a frame is malformed (masked, or larger than {@link #MAX_FRAME}); the position is then
     *         undefined
     */
    public static boolean parse(ByteBuffer buf, Sink sink) {
        int pos = buf.position();
        int limit = buf.limit();
        while (limit - pos >= 2) {
            int b0 = buf.get(pos) & 0xFF;
            int b1 = buf.get(pos + 1) & 0xFF;
            if ((b1 & 0x80) != 0) {
                return false; // a server never masks
            }
            int len = b1 & 0x7F;
            int header = 2;
            long length;
            if (len == 126) {
                if (limit - pos < 4) {
                    break;
                }
                length = buf.getShort(pos + 2) & 0xFFFF;
                header = 4;
            } else if (len == 127) {
                if (limit - pos < 10) {
                    break;
                }
                length = buf.getLong(pos + 2);
                header = 10;
            } else {
                length = len;
            }
            if (length < 0 || length > MAX_FRAME) {
                return false;
            }
            if (limit - pos - header < length) {
                break;
            }
            sink.frame(b0 & 0x0F, (b0 & 0x80) != 0, buf, pos + header, (int) length);
            pos += header + (int) length;
        }
        buf.position(pos);
        return true;
    }
}
