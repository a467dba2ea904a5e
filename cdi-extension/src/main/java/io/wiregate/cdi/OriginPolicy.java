package io.wiregate.cdi;

import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may open a connection to a gateway, checked on every runtime before anything else of
 * the handshake. A handshake without {@code Origin} (a non-browser client) passes. Without {@code allowed-origins}
 * only the request's own host may connect, as Spring does: the origin's host and port must be those of the
 * {@code Host} header, whatever the scheme, a missing port meaning 80 for {@code http} and 443 for
 * {@code https} (a {@code Host} without port accepts an origin on its scheme's default port). With
 * {@code allowed-origins}, the origin must be listed exactly as the browser sends it, unless the list holds
 * {@code *}, which allows any origin.
 */
final class OriginPolicy {

    /** The {@code allowed-origins} entry that allows any origin. */
    static final String ANY = "*";

    private OriginPolicy() {
    }

    /**
     * Whether a handshake may proceed.
     *
     * @param allowedOrigins the gateway's {@code allowed-origins}; empty: same origin only
     * @param origin         the {@code Origin} header, or null when absent
     * @param host           the {@code Host} header, or null when absent
     */
    static boolean allowed(List<String> allowedOrigins, String origin, String host) {
        if (origin == null) {
            return true;
        }
        if (allowedOrigins.isEmpty()) {
            return sameOrigin(origin, host);
        }
        return allowedOrigins.contains(ANY) || allowedOrigins.contains(origin);
    }

    /**
     * What can be decided from the {@code Origin} alone, as a Jakarta {@code Configurator#checkOrigin} must: false
     * only for a present origin that a non-empty {@code allowed-origins} does not list. The same-origin rule needs
     * the {@code Host} header and is applied with the rest of the handshake.
     */
    static boolean allowedByList(List<String> allowedOrigins, String origin) {
        return origin == null || allowedOrigins.isEmpty() || allowedOrigins.contains(ANY) || allowedOrigins.contains(origin);
    }

    /** Whether {@code origin} ({@code http(s)://host[:port]}) names the host and port of {@code host}. */
    static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        String lower = origin.trim().toLowerCase(Locale.ROOT);
        int defaultPort;
        String authority;
        if (lower.startsWith("http://")) {
            defaultPort = 80;
            authority = lower.substring("http://".length());
        } else if (lower.startsWith("https://")) {
            defaultPort = 443;
            authority = lower.substring("https://".length());
        } else {
            return false; // "null" (sandboxed pages, files) and other schemes: only when listed
        }
        Authority from = Authority.parse(authority);
        Authority to = Authority.parse(host.trim().toLowerCase(Locale.ROOT));
        if (from == null || to == null || !from.host.equals(to.host)) {
            return false;
        }
        int fromPort = from.port < 0 ? defaultPort : from.port;
        return to.port < 0 ? fromPort == defaultPort : fromPort == to.port;
    }

    /** {@code host[:port]}, the host a name, an IPv4 address or a bracketed IPv6 address; port -1 when absent. */
    private record Authority(String host, int port) {

        static Authority parse(String text) {
            String host;
            String rest;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 2) {
                    return null;
                }
                host = text.substring(0, close + 1);
                rest = text.substring(close + 1);
                for (int i = 1; i < close; i++) {
                    char c = host.charAt(i);
                    if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == ':' || c == '.')) {
                        return null;
                    }
                }
            } else {
                int colon = text.indexOf(':');
                host = colon < 0 ? text : text.substring(0, colon);
                rest = colon < 0 ? "" : text.substring(colon);
                if (host.isEmpty()) {
                    return null;
                }
                for (int i = 0; i < host.length(); i++) {
                    char c = host.charAt(i);
                    if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_')) {
                        return null;
                    }
                }
            }
            if (rest.isEmpty()) {
                return new Authority(host, -1);
            }
            if (rest.charAt(0) != ':' || rest.length() < 2 || rest.length() > 6) {
                return null;
            }
            int port = 0;
            for (int i = 1; i < rest.length(); i++) {
                char c = rest.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                port = port * 10 + (c - '0');
            }
            return port <= 65535 ? new Authority(host, port) : null;
        }
    }
}
