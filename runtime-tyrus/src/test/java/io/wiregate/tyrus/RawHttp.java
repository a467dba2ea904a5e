package io.wiregate.tyrus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP requests written by hand on a plain socket, their request targets exactly as given (no client library sends
 * {@code /../x} unnormalized), read until the server closes the connection. The HTTP status of a WebSocket upgrade
 * is {@link io.wiregate.testing.RawWebSocket#handshakeStatus}'s.
 */
final class RawHttp {

    private static final int TIMEOUT_MS = 5000;

    private RawHttp() {
    }

    /**
     * Sends {@code GET target HTTP/1.1} with {@code Connection: close} and the extra headers, the target written
     * byte for byte as given, and returns the whole response (status line, headers, body) read until the server
     * closes the connection.
     */
    static String get(int port, String target, Map<String, String> extraHeaders) throws IOException {
        return request(port, "GET", target, extraHeaders);
    }

    /** As {@link #get}, with another method. */
    static String request(int port, String method, String target, Map<String, String> extraHeaders) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "127.0.0.1:" + port);
        headers.putAll(extraHeaders);
        headers.put("Connection", "close");
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // bounded: SO_TIMEOUT fails a read if the server neither answers nor closes
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(received);
            } catch (SocketTimeoutException e) {
                throw new IOException(method + " " + target + ": the connection was not closed within " + TIMEOUT_MS
                        + " ms; received '" + received.toString(StandardCharsets.ISO_8859_1) + "'", e);
            }
            String response = received.toString(StandardCharsets.ISO_8859_1);
            if (!response.startsWith("HTTP/")) {
                throw new IOException(method + " " + target + ": not an HTTP response: '" + response + "'");
            }
            return response;
        }
    }
}
