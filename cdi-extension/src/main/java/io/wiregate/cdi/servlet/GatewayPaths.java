package io.wiregate.cdi.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.wiregate.cdi.GatewayRuntime;

/**
 * Finds the gateway of a request path (relative to the context root) among the registered path templates, with
 * the WebSocket rule: a literal path wins over a template, and a template segment {@code {name}} matches one
 * whole, non-empty segment. Immutable.
 */
final class GatewayPaths {

    private record Template(String[] segments, boolean literal, GatewayRuntime gateway) {
    }

    private final List<Template> templates = new ArrayList<>();

    GatewayPaths(Map<String, GatewayRuntime> byPath) {
        byPath.forEach((path, gateway) -> templates.add(
                new Template(segments(path), !path.contains("{"), gateway)));
        templates.sort((a, b) -> Boolean.compare(b.literal(), a.literal()));
    }

    /** The gateway serving {@code path}, or null. */
    GatewayRuntime find(String path) {
        String[] actual = segments(path);
        for (Template t : templates) {
            if (matches(t.segments(), actual)) {
                return t.gateway();
            }
        }
        return null;
    }

    private static boolean matches(String[] template, String[] actual) {
        if (template.length != actual.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            boolean variable = t.startsWith("{") && t.endsWith("}");
            if (variable ? actual[i].isEmpty() : !t.equals(actual[i])) {
                return false;
            }
        }
        return true;
    }

    private static String[] segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
