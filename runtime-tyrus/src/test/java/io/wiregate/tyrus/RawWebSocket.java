package io.wiregate.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A WebSocket client written by hand on a plain socket, for what a well-behaved client library will not do:
 * stop reading its socket, or send a frame header without its payload.
 */
public final class RawWebSocket {

    private RawWebSocket() {
    }

    /**
     * Opens a socket to {@code path} on 127.0.0.1 and completes the upgrade.
     *
     * @param receiveBuffer the socket's receive buffer in bytes, or 0 for the system's default
     */
    public static Socket open(int port, String path, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("handshake response").isNotNegative();
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        return socket;
    }

    /** Everything the socket receives until a close frame with {@code code}, the end of the stream, or the timeout. */
    public static byte[] readUntilClose(Socket socket, int code, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        InputStream in = socket.getInputStream();
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
                if (containsClose(all.toByteArray(), code)) {
                    break;
                }
            }
        } catch (IOException reset) {
            // the server may drop the connection right after its close frame
        }
        return all.toByteArray();
    }

    /** Whether the bytes hold an unmasked close frame (0x88) whose payload starts with {@code code}. */
    public static boolean containsClose(byte[] bytes, int code) {
        for (int i = 0; i + 3 < bytes.length; i++) {
            if ((bytes[i] & 0xFF) == 0x88 && (bytes[i + 1] & 0x80) == 0 && (bytes[i + 1] & 0x7F) >= 2
                    && (bytes[i + 2] & 0xFF) == (code >> 8) && (bytes[i + 3] & 0xFF) == (code & 0xFF)) {
                return true;
            }
        }
        return false;
    }

    /** The header of a final, masked text frame of {@code length} payload bytes (64-bit length form). */
    public static byte[] textFrameHeader(long length) {
        byte[] header = new byte[14];
        header[0] = (byte) 0x81;
        header[1] = (byte) (0x80 | 127);
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (length >>> (56 - 8 * i));
        }
        // mask key 0: the payload would go as it is
        return header;
    }

    /** A final text frame as a client sends it: masked (with a zero key, so the payload goes as it is). */
    public static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int headerLength = payload.length < 126 ? 6 : payload.length <= 0xFFFF ? 8 : 14;
        byte[] frame = new byte[headerLength + payload.length];
        frame[0] = (byte) 0x81;
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >> 8);
            frame[3] = (byte) payload.length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) payload.length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, headerLength, payload.length);
        return frame;
    }
}
