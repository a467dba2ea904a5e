package io.wiregate.protocol;

import java.nio.charset.StandardCharsets;

/**
 * WebSocket frames as a server writes them on the wire (RFC 6455 section 5.2), for transports that write raw
 * frames instead of handing text to a container: a delivery's frame is encoded once and the same bytes are
 * written to every recipient. Stateless.
 */
public final class WebSocketFrames {

    private WebSocketFrames() {
    }

    /**
     * Encodes {@code text} as one final, unmasked text frame (a server never masks): the opcode byte, the
     * payload length in the shortest form RFC 6455 allows (7 bits, 16 bits or 64 bits), then the UTF-8 bytes.
     *
     * @param text the frame's text
     * @return a new array holding the whole frame
     * @throws NullPointerException if {@code text} is null
     */
    public static byte[] text(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
        byte[] frame = new byte[header + n];
        frame[0] = (byte) 0x81; // FIN, text
        if (n < 126) {
            frame[1] = (byte) n;
        } else if (n < 65536) {
            frame[1] = 126;
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, n);
        return frame;
    }
}
