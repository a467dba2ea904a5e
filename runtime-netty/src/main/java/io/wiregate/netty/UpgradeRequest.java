package io.wiregate.netty;

import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;

import io.wiregate.HandshakeRequest;

/** A WebSocket upgrade request as a gateway's handshake guard sees it. Headers and query are read on first use. */
final class UpgradeRequest implements HandshakeRequest {

    private final HttpRequest request;
    private final String path;
    private Map<String, List<String>> headers;
    private final Map<String, List<String>> query;

    /**
     * @param path the request's path as received (no query)
     * @throws IllegalArgumentException if the query string has a malformed escape
     */
    UpgradeRequest(HttpRequest request, String path) {
        this.request = request;
        this.path = path;
        Map<String, List<String>> decoded = new QueryStringDecoder(request.uri(), true).parameters();
        Map<String, List<String>> copy = new LinkedHashMap<>();
        decoded.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.query = Map.copyOf(copy);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String header(String name) {
        return request.headers().get(name);
    }

    @Override
    public Map<String, List<String>> headers() {
        if (headers == null) {
            Map<String, List<String>> all = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : request.headers()) {
                all.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
            }
            all.replaceAll((k, v) -> List.copyOf(v));
            headers = Map.copyOf(all);
        }
        return headers;
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        return query;
    }

    /** No container authentication standalone. */
    @Override
    public Principal principal() {
        return null;
    }
}
