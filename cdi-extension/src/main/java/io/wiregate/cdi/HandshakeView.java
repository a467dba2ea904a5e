package io.wiregate.cdi;

import java.security.Principal;
import java.util.List;
import java.util.Map;

/** The container's handshake request seen through Wiregate's read-only {@link io.wiregate.HandshakeRequest}. */
final class HandshakeView implements io.wiregate.HandshakeRequest {

    private final jakarta.websocket.server.HandshakeRequest request;

    HandshakeView(jakarta.websocket.server.HandshakeRequest request) {
        this.request = request;
    }

    @Override
    public String path() {
        return request.getRequestURI() == null ? "" : request.getRequestURI().getPath();
    }

    @Override
    public String header(String name) {
        Map<String, List<String>> headers = request.getHeaders();
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    @Override
    public Map<String, List<String>> headers() {
        return request.getHeaders() == null ? Map.of() : Map.copyOf(request.getHeaders());
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        Map<String, List<String>> map = request.getParameterMap();
        return map == null ? Map.of() : map;
    }

    @Override
    public Principal principal() {
        return request.getUserPrincipal();
    }
}
