package io.wiregate.cdi;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

import io.wiregate.protocol.EnvelopeParser;
import io.wiregate.protocol.EventNames;
import io.wiregate.protocol.Frames;

/**
 * The session records of a shared recovery log (docs/protocol.md section 9, "Wiregate on several nodes"), both
 * ways. A log's events are cluster messages of section 8; its session records are JSON objects with a
 * {@code record} member:
 * <pre>{@code {"record":"connect","token":HASH,"client":ID,"user":USER,"rooms":[...],"resume":HASH,"offset":OFFSET}
 * {"record":"rooms","token":HASH,"rooms":[...]}
 * {"record":"close","token":HASH,"rooms":[...]}
 * {"record":"alive","node":NODE}}</pre>
 * A connect names the node that holds the connection ({@code node}); each node says {@code alive} regularly, and the
 * sessions of a node silent for long are closed (it died without writing their closes).
 * Tokens appear only as their SHA-256 (base64url): reading the log never gives a session away. Reading never trusts
 * the text: it bounds its size and nesting and checks every member.
 */
final class RecoveryRecords {

    /** Records of more characters are ignored unparsed. */
    static final int MAX_SIZE = 256 * 1024;
    /** The most rooms a record lists. */
    static final int MAX_ROOMS = 10_000;
    private static final Pattern HASH = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern OFFSET = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final JsonParserFactory PARSERS = JsonProvider.provider().createParserFactory(Map.of());

    private RecoveryRecords() {
    }

    /** What a record of a log asks. */
    sealed interface Record permits Connect, Rooms, Close, Alive {
    }

    /**
     * A connection becomes connected: with the session it resumes if that can be done exactly ({@code resume} and
     * {@code offset} non-null), else with a fresh session.
     */
    record Connect(String token, String client, String user, List<String> rooms, String resume, String offset,
                   String node) implements Record {
    }

    /** The node {@code node} is running. */
    record Alive(String node) implements Record {
    }

    /**
     * The rooms of a session's connection changed; {@code node} and {@code ack} (or null and 0) name the answer that
     * node holds back until the record is in the log.
     */
    record Rooms(String token, List<String> rooms, String node, long ack) implements Record {
    }

    /** A session's connection closed. */
    record Close(String token, List<String> rooms) implements Record {
    }

    /** Whether {@code text} is a session record rather than an event (a cluster message). */
    static boolean isSessionRecord(String text) {
        return text.startsWith("{\"record\":");
    }

    static String connect(Connect r) {
        return connect(r.token(), r.client(), r.user(), r.rooms(), r.resume(), r.offset(), r.node());
    }

    static String alive(String node) {
        return "{\"record\":\"alive\",\"node\":\"" + node + "\"}";
    }

    static String connect(String token, String client, String user, Collection<String> rooms, String resume, String offset,
                          String node) {
        StringBuilder b = new StringBuilder(160).append("{\"record\":\"connect\",\"token\":\"").append(token)
                .append("\",\"client\":").append(Frames.quote(client));
        if (user != null) {
            b.append(",\"user\":").append(Frames.quote(user));
        }
        rooms(b, rooms);
        if (resume != null) {
            b.append(",\"resume\":\"").append(resume).append("\",\"offset\":\"").append(offset).append('"');
        }
        if (node != null) {
            b.append(",\"node\":\"").append(node).append('"');
        }
        return b.append('}').toString();
    }

    static String rooms(String token, Collection<String> rooms, String node, long ack) {
        StringBuilder b = rooms(new StringBuilder(80).append("{\"record\":\"rooms\",\"token\":\"").append(token).append('"'),
                rooms);
        if (node != null) {
            b.append(",\"node\":\"").append(node).append("\",\"ack\":").append(ack);
        }
        return b.append('}').toString();
    }

    static String close(String token, Collection<String> rooms) {
        return rooms(new StringBuilder(80).append("{\"record\":\"close\",\"token\":\"").append(token).append('"'), rooms)
                .append('}').toString();
    }

    /**
     * Reads a session record from untrusted text.
     *
     * @throws IllegalArgumentException with the reason, if it is not a valid record
     */
    static Record parse(String text) {
        if (text.length() > MAX_SIZE) {
            throw new IllegalArgumentException("larger than " + MAX_SIZE + " characters");
        }
        if (!EnvelopeParser.nestingWithin(text, 2)) { // before the parser, which may recurse, sees it
            throw new IllegalArgumentException("nested too deep");
        }
        JsonObject o;
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            parser.next();
            if (!(parser.getValue() instanceof JsonObject object) || parser.hasNext()) {
                throw new IllegalArgumentException("not one JSON object");
            }
            o = object;
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        String kind = string(o, "record", null);
        if (kind.equals("alive")) {
            return new Alive(string(o, "node", HASH));
        }
        String token = string(o, "token", HASH);
        List<String> rooms = rooms(o.get("rooms"));
        return switch (kind) {
            case "connect" -> {
                String client = string(o, "client", null);
                if (client.isEmpty() || client.length() > 128) {
                    throw new IllegalArgumentException("client is not 1 to 128 characters");
                }
                String user = o.containsKey("user") ? string(o, "user", null) : null;
                String resume = o.containsKey("resume") ? string(o, "resume", HASH) : null;
                String offset = resume != null ? string(o, "offset", OFFSET) : null;
                String node = o.containsKey("node") ? string(o, "node", HASH) : null;
                yield new Connect(token, client, user, rooms, resume, offset, node);
            }
            case "rooms" -> {
                String node = o.containsKey("node") ? string(o, "node", HASH) : null;
                long ack = 0;
                if (node != null) {
                    if (!(o.get("ack") instanceof jakarta.json.JsonNumber n) || !n.isIntegral() || n.longValue() <= 0) {
                        throw new IllegalArgumentException("ack is not a positive integer");
                    }
                    ack = n.longValue();
                }
                yield new Rooms(token, rooms, node, ack);
            }
            case "close" -> new Close(token, rooms);
            default -> throw new IllegalArgumentException("unknown record " + o.get("record"));
        };
    }

    private static String string(JsonObject o, String key, Pattern pattern) {
        if (!(o.get(key) instanceof JsonString s)) {
            throw new IllegalArgumentException(key + " is not a string");
        }
        String v = s.getString();
        if (pattern != null && !pattern.matcher(v).matches()) {
            throw new IllegalArgumentException(key + " is malformed");
        }
        return v;
    }

    private static List<String> rooms(JsonValue value) {
        if (!(value instanceof JsonArray array) || array.size() > MAX_ROOMS) {
            throw new IllegalArgumentException("rooms is not an array of at most " + MAX_ROOMS);
        }
        List<String> rooms = new ArrayList<>(array.size());
        for (JsonValue v : array) {
            if (!(v instanceof JsonString s) || !EventNames.isValidRoom(s.getString())) {
                throw new IllegalArgumentException("rooms holds an invalid room name");
            }
            rooms.add(s.getString());
        }
        return List.copyOf(rooms);
    }

    private static StringBuilder rooms(StringBuilder b, Collection<String> rooms) {
        b.append(",\"rooms\":[");
        boolean first = true;
        for (String room : rooms) {
            b.append(first ? "" : ",").append(Frames.quote(room));
            first = false;
        }
        return b.append(']');
    }
}
