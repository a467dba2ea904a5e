package io.wiregate.cdi.spi;

import java.util.HashMap;
import java.util.Map;

/**
 * A gateway's path as a URI template of Jakarta WebSocket (section 3.1.1 of its specification): literal segments,
 * and {@code {name}} segments that match any one non-empty segment. Of several templates that match a path, the
 * one whose literal segments come first wins (so an exact path beats any template).
 */
final class PathTemplate {

    private final String[] segments;

    PathTemplate(String template) {
        this.segments = split(template);
    }

    /**
     * The template's parameters bound to {@code rawPath} (a well-formed request path, see {@link RequestTargets}),
     * or null if it does not match.
     */
    Map<String, String> match(String rawPath) {
        String[] path = split(rawPath);
        if (path.length != segments.length) {
            return null;
        }
        Map<String, String> parameters = null;
        for (int i = 0; i < segments.length; i++) {
            String decoded = RequestTargets.decode(path[i]);
            if (decoded == null) {
                return null;
            }
            String name = parameterName(segments[i]);
            if (name == null) {
                if (!segments[i].equals(decoded)) {
                    return null;
                }
            } else if (decoded.isEmpty()) {
                return null;
            } else {
                if (parameters == null) {
                    parameters = new HashMap<>();
                }
                parameters.put(name, decoded);
            }
        }
        return parameters == null ? Map.of() : parameters;
    }

    /**
     * Compares two templates that both matched one path: negative if {@code this} is the better match, its first
     * literal segment where the other has a parameter.
     */
    int compareSpecificity(PathTemplate other) {
        for (int i = 0; i < segments.length && i < other.segments.length; i++) {
            boolean literal = parameterName(segments[i]) == null;
            boolean otherLiteral = parameterName(other.segments[i]) == null;
            if (literal != otherLiteral) {
                return literal ? -1 : 1;
            }
        }
        return 0;
    }

    private static String parameterName(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}")
                ? segment.substring(1, segment.length() - 1) : null;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
