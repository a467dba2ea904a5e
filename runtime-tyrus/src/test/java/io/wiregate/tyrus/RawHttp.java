package io.wiregate.tyrus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A WebSocket upgrade request written by hand on a plain socket, to see the HTTP status a handshake gets
 * ({@code java.net.http.HttpClient} refuses to send {@code Upgrade} headers itself and hides refusals).
 */
final class RawHttp {

    private static final int TIMEOUT_MS = 5000;

    private RawHttp() {
    }

    /** The status code of the answer to a WebSocket upgrade of {@code pathAndQuery}, with extra headers. */
    static int upgradeStatus(int port, String pathAndQuery, Map<String, String> extraHeaders) throws IOException {
        return Integer.parseInt(upgradeStatusLine(port, pathAndQuery, extraHeaders).split(" ")[1]);
    }

    /** The status code of the answer to a WebSocket upgrade of {@code pathAndQuery}. */
    static int upgradeStatus(int port, String pathAndQuery) throws IOException {
        return upgradeStatus(port, pathAndQuery, Map.of());
    }

    /** The first line of the answer, for example {@code HTTP/1.1 404 Not Found}. */
    static String upgradeStatusLine(int port, String pathAndQuery, Map<String, String> extraHeaders) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "127.0.0.1:" + port);
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        headers.put("Sec-WebSocket-Version", "13");
        headers.putAll(extraHeaders);
        StringBuilder request = new StringBuilder("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return readLine(socket.getInputStream());
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        String text = line.toString(StandardCharsets.US_ASCII);
        if (!text.startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: '" + text + "'");
        }
        return text;
    }
}
