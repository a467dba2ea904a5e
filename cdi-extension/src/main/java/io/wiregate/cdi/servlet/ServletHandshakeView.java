package io.wiregate.cdi.servlet;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import io.wiregate.HandshakeRequest;

/** An upgrade request seen by {@link HandshakeFilter}, as a handshake authenticator sees it. */
final class ServletHandshakeView implements HandshakeRequest {

    private final HttpServletRequest request;
    private final String path;

    ServletHandshakeView(HttpServletRequest request, String path) {
        this.request = request;
        this.path = path;
    }

    @Override
    public String path() {
        return request.getRequestURI();
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public Map<String, List<String>> headers() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, List.copyOf(Collections.list(request.getHeaders(name))));
        }
        return Collections.unmodifiableMap(headers);
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        // The query string only (never a request body), as the Jakarta WebSocket HandshakeRequest gives it.
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> parameters.put(name, List.of(values)));
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public Principal principal() {
        return request.getUserPrincipal();
    }

    @Override
    public String toString() {
        return "handshake " + path;
    }
}
