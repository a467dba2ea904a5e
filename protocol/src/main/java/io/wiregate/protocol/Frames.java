package io.wiregate.protocol;

import java.util.List;

/**
 * Writes the server's frames (docs/protocol.md sections 3 to 5) as JSON text. Payloads arrive already
 * serialized, so a delivery's text is built once and shared by all its recipients. JSON text arguments
 * ({@code dataJson}, {@code idJson}) are embedded as they are, unchecked; a null where a value is required throws
 * {@link NullPointerException}. Stateless.
 */
public final class Frames {

    private Frames() {
    }

    /** {@code {"event":EVENT,"data":DATA}}: a server event without id. */
    public static String event(String event, String dataJson) {
        return new StringBuilder(dataJson.length() + event.length() + 24)
                .append("{\"event\":").append(quote(event)).append(",\"data\":").append(dataJson).append('}').toString();
    }

    /**
     * {@code {"event":EVENT,"data":DATA,"offset":OFFSET}}: a recoverable server event (docs/protocol.md section 9).
     * {@code offset} is written as it is, quoted: it must be of the offset alphabet {@code [A-Za-z0-9_.:-]}.
     */
    public static String event(String event, String dataJson, String offset) {
        return new StringBuilder(dataJson.length() + event.length() + offset.length() + 36)
                .append("{\"event\":").append(quote(event)).append(",\"data\":").append(dataJson)
                .append(",\"offset\":\"").append(offset).append("\"}").toString();
    }

    /** A reply to a client frame: {@code {"event":EVENT,"data":DATA,"id":ID}}, without id when {@code idJson} is null. */
    public static String reply(String event, String dataJson, String idJson) {
        if (idJson == null) {
            return event(event, dataJson);
        }
        return new StringBuilder(dataJson.length() + event.length() + idJson.length() + 32)
                .append("{\"event\":").append(quote(event)).append(",\"data\":").append(dataJson)
                .append(",\"id\":").append(idJson).append('}').toString();
    }

    /** {@code {"event":"ack","id":ID}}. */
    public static String ack(String idJson) {
        return "{\"event\":\"ack\",\"id\":" + idJson + '}';
    }

    /** An {@code error} event; {@code violations} may be null, {@code idJson} may be null. */
    public static String error(ErrorCode code, String message, List<Violation> violations, String idJson) {
        StringBuilder b = new StringBuilder(96).append("{\"event\":\"error\",\"data\":{\"code\":\"").append(code.wire())
                .append("\",\"message\":").append(quote(message));
        if (violations != null) {
            b.append(",\"violations\":[");
            for (int i = 0; i < violations.size(); i++) {
                Violation v = violations.get(i);
                b.append(i == 0 ? "" : ",").append("{\"path\":").append(quote(v.path()))
                        .append(",\"message\":").append(quote(v.message())).append('}');
            }
            b.append(']');
        }
        b.append('}');
        if (idJson != null) {
            b.append(",\"id\":").append(idJson);
        }
        return b.append('}').toString();
    }

    /** The {@code disconnect} event announcing a close that the server starts. */
    public static String disconnect(int code, String reason) {
        return event("disconnect", "{\"code\":" + code + ",\"reason\":" + quote(reason) + '}');
    }

    /** The {@code connected} event. */
    public static String connected(String clientId, String userId, long time, Iterable<String> rooms) {
        return event("connected", connectedData(clientId, userId, time, rooms).append('}').toString());
    }

    /**
     * The {@code connected} event of a gateway with recovery (docs/protocol.md section 9): the members of
     * {@link #connected} and {@code session}, {@code offset} and {@code recovered}. {@code session} and {@code
     * offset} are written as they are, quoted: they must be of their alphabets ({@code [A-Za-z0-9_-]}, {@code
     * [A-Za-z0-9_.:-]}).
     */
    public static String connected(String clientId, String userId, long time, Iterable<String> rooms,
                                   String session, String offset, boolean recovered) {
        return event("connected", connectedData(clientId, userId, time, rooms)
                .append(",\"session\":\"").append(session).append("\",\"offset\":\"").append(offset)
                .append("\",\"recovered\":").append(recovered).append('}').toString());
    }

    private static StringBuilder connectedData(String clientId, String userId, long time, Iterable<String> rooms) {
        StringBuilder b = new StringBuilder(192).append("{\"id\":").append(quote(clientId))
                .append(",\"userId\":").append(userId == null ? "null" : quote(userId))
                .append(",\"time\":").append(time).append(",\"rooms\":[");
        boolean first = true;
        for (String room : rooms) {
            b.append(first ? "" : ",").append(quote(room));
            first = false;
        }
        return b.append(']');
    }

    /** A JSON string literal for {@code s}, escaped per RFC 8259. */
    public static String quote(String s) {
        StringBuilder b = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x2028 || c == 0x2029) {
                if (b == null) {
                    b = new StringBuilder(n + 16).append('"').append(s, 0, i);
                }
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> b.append(String.format("\\u%04x", (int) c));
                }
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? '"' + s + '"' : b.append('"').toString();
    }
}
