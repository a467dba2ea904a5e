package io.wiregate.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A WebSocket client written by hand on a plain socket, for what a well-behaved client library will not do or will
 * not show: stop reading its socket, send a frame header without its payload or a text that is not JSON, see the
 * exact frames (ids and all) or the HTTP status of a refused upgrade. The tests' only WebSocket code besides
 * wiregate-client.
 */
public final class RawWebSocket {

    private RawWebSocket() {
    }

    /**
     * Opens a socket to {@code path} on 127.0.0.1 and completes the upgrade.
     *
     * @param path          the request target: path and query
     * @param receiveBuffer the socket's receive buffer in bytes, or 0 for the system's default
     * @throws AssertionError if the server does not answer 101
     */
    public static Socket open(int port, String path, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        writeUpgrade(socket, path, "127.0.0.1:" + port, null);
        String head = readHead(socket.getInputStream());
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new AssertionError("the upgrade to " + path + " was refused: " + head.lines().findFirst().orElse(""));
        }
        socket.setSoTimeout(0);
        return socket;
    }

    /** Opens a socket to the path and query of a {@code ws://127.0.0.1:PORT/...} address; see {@link #open(int, String, int)}. */
    public static Socket open(URI uri) throws IOException {
        return open(uri.getPort(), target(uri), 0);
    }

    /**
     * Sends an upgrade request to {@code uri} and returns the HTTP status of the answer (101 when upgraded), to see the
     * statuses that WebSocket clients hide.
     *
     * @param origin the {@code Origin} header, or null for none
     */
    public static int handshakeStatus(URI uri, String origin) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            writeUpgrade(socket, target(uri), uri.getHost() + ":" + uri.getPort(), origin);
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != -1 && b != '\n'; ) {
                line.append((char) b);
            }
            String[] parts = line.toString().trim().split(" ");
            if (parts.length < 2) {
                throw new IOException("no HTTP status line: '" + line + "'");
            }
            return Integer.parseInt(parts[1]);
        }
    }

    /** Sends {@code text} as one masked text frame, whatever it is (JSON or not). */
    public static void sendText(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(maskedText(text));
        out.flush();
    }

    /** A frame the server sent: its opcode (1 text, 8 close, ...) and its payload, continuations joined. */
    public record Frame(int opcode, byte[] payload) {

        /** Whether this is a text frame. */
        public boolean isText() {
            return opcode == 1;
        }

        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame; 1005 when it carries none; -1 when this is not a close frame. */
        public int closeCode() {
            if (opcode != 8) {
                return -1;
            }
            return payload.length < 2 ? 1005 : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        }

        @Override
        public String toString() {
            return opcode == 8 ? "close " + closeCode() : opcode == 1 ? text() : "opcode " + opcode;
        }
    }

    /**
     * The next frame from the server (a message's fragments joined), waiting at most {@code timeout} for it to start.
     *
     * @return the frame, or null when none started within {@code timeout}
     * @throws IOException when the connection ended
     */
    public static Frame next(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException none) {
            return null;
        }
        if (first < 0) {
            throw new IOException("the connection ended");
        }
        socket.setSoTimeout(10_000); // the rest of a frame that started follows at once
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int opcode = first & 0x0F;
        boolean fin = readPayload(in, first, payload);
        while (!fin) {
            int next = in.readUnsignedByte();
            fin = readPayload(in, next, payload);
        }
        return new Frame(opcode, payload.toByteArray());
    }

    /**
     * The next text frame from the server, waiting at most {@code timeout}.
     *
     * @return its text, or null when nothing arrived within {@code timeout}
     * @throws AssertionError when the server sent a close frame (or anything else) instead
     */
    public static String nextText(Socket socket, Duration timeout) throws IOException {
        Frame frame = next(socket, timeout);
        if (frame == null) {
            return null;
        }
        if (!frame.isText()) {
            throw new AssertionError("expected a text frame, got " + frame);
        }
        return frame.text();
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

    /** Reads the rest of a frame whose first byte was {@code first} into {@code payload}; whether it was final. */
    private static boolean readPayload(DataInputStream in, int first, ByteArrayOutputStream payload) throws IOException {
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] mask = null;
        if ((second & 0x80) != 0) { // servers do not mask; tolerated
            mask = in.readNBytes(4);
        }
        byte[] data = in.readNBytes((int) length);
        if (data.length != length) {
            throw new IOException("the connection ended in a frame");
        }
        if (mask != null) {
            for (int i = 0; i < data.length; i++) {
                data[i] ^= mask[i % 4];
            }
        }
        payload.writeBytes(data);
        return (first & 0x80) != 0;
    }

    private static void writeUpgrade(Socket socket, String target, String host, String origin) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the connection ended in the handshake response: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static String target(URI uri) {
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
