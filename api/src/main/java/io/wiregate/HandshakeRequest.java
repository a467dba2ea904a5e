package io.wiregate;

import java.security.Principal;
import java.util.List;
import java.util.Map;

/**
 * The HTTP upgrade request of a connection, as an {@link Auth#HANDSHAKE} gateway's {@link Authenticate} method
 * sees it, before any upgrade. Read-only.
 */
public interface HandshakeRequest {

    /** The request path, without the query string. */
    String path();

    /** The first value of a header, matched case-insensitively, or null. */
    String header(String name);

    /** Every header, names as the container gives them. */
    Map<String, List<String>> headers();

    /** The first value of a query parameter, or null. */
    default String queryParameter(String name) {
        List<String> values = queryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every query parameter. */
    Map<String, List<String>> queryParameters();

    /** The principal the container authenticated, or null. */
    Principal principal();

    /** The {@code Origin} header, or null when absent (non-browser clients). */
    default String origin() {
        return header("Origin");
    }
}
