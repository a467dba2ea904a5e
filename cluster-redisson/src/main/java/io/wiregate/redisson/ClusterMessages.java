package io.wiregate.redisson;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

import io.wiregate.protocol.EnvelopeParser;
import io.wiregate.protocol.EventNames;
import io.wiregate.spi.Delivery;

import static io.wiregate.protocol.Frames.quote;

/**
 * The cluster envelope of docs/protocol.md section 8, both ways: the only code of this module that knows its
 * shape. Writing builds each message's text once; reading never trusts the input: it bounds the size and
 * the nesting depth before parsing, then checks every field. Thread-safe.
 *
 * <pre>{@code {"serverId":"...","type":"room","namespace":"/chat","target":"lobby","event":"messageCreated",
 *  "data":{...},"exclude":["..."]}}</pre>
 *
 * <p>One field beyond section 8 is written and read: {@code "volatile": true} marks a volatile delivery
 * (absent otherwise), so a full outbound queue on another node drops it, as on the sending node.
 */
final class ClusterMessages {

    /** Messages of more characters (or bytes, as received from Redis) are rejected unparsed. */
    static final int MAX_MESSAGE_SIZE = 1024 * 1024;
    /** Deeper nesting of arrays and objects (the envelope itself counting as 1) is rejected unparsed. */
    static final int MAX_DEPTH = 64;
    /** The {@code serverId} of emitters, whose messages every node delivers. */
    static final String EMITTER_SERVER_ID = "emitter";

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final JsonParserFactory PARSERS = JSON.createParserFactory(Map.of());
    private static final JsonWriterFactory WRITERS = JSON.createWriterFactory(Map.of());

    private ClusterMessages() {
    }

    /** A valid message: who published it and what to deliver. */
    record Message(String serverId, Delivery delivery) {
    }

    /** The channel a delivery is published on: {@code PREFIX:broadcast}, {@code PREFIX:room:ROOM}, ... */
    static String channel(String prefix, Delivery d) {
        return switch (d.kind()) {
            case BROADCAST -> prefix + ":broadcast";
            case ROOM -> prefix + ":room:" + d.target();
            case CLIENT -> prefix + ":client:" + d.target();
            case USER -> prefix + ":user:" + d.target();
        };
    }

    /** Whether a channel under {@code prefix} is one of section 8's (others sharing the prefix are not ours). */
    static boolean isBusChannel(String prefix, String channel) {
        if (!channel.startsWith(prefix) || channel.length() <= prefix.length() || channel.charAt(prefix.length()) != ':') {
            return false;
        }
        String rest = channel.substring(prefix.length() + 1);
        return rest.equals("broadcast") || rest.startsWith("room:") || rest.startsWith("client:") || rest.startsWith("user:");
    }

    /** The message text of a delivery: {@code dataJson} is embedded as it is, once. */
    static String write(String serverId, Delivery d) {
        StringBuilder b = new StringBuilder(d.dataJson().length() + 160)
                .append("{\"serverId\":").append(quote(serverId))
                .append(",\"type\":\"").append(typeName(d.kind())).append('"');
        if (d.namespace() != null) {
            b.append(",\"namespace\":").append(quote(d.namespace()));
        }
        if (d.kind() != Delivery.TargetKind.BROADCAST) {
            b.append(",\"target\":").append(quote(d.target()));
        }
        b.append(",\"event\":").append(quote(d.event())).append(",\"data\":").append(d.dataJson());
        if (!d.exclude().isEmpty()) {
            b.append(",\"exclude\":[");
            boolean first = true;
            for (String id : d.exclude()) {
                b.append(first ? "" : ",").append(quote(id));
                first = false;
            }
            b.append(']');
        }
        if (d.volatileEvent()) {
            b.append(",\"volatile\":true");
        }
        return b.append('}').toString();
    }

    /**
     * Reads a message.
     *
     * @throws MalformedMessageException with the reason, if the text is not a valid section 8 message
     */
    static Message read(String text) throws MalformedMessageException {
        if (text == null) {
            throw new MalformedMessageException("no message");
        }
        if (text.length() > MAX_MESSAGE_SIZE) {
            throw new MalformedMessageException("larger than " + MAX_MESSAGE_SIZE + " characters");
        }
        checkDepth(text);
        JsonValue root;
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw new MalformedMessageException("empty");
            }
            parser.next();
            root = parser.getValue();
            if (parser.hasNext()) { // a reader would ignore what follows the first value
                throw new MalformedMessageException("content after the JSON object");
            }
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            throw new MalformedMessageException("not JSON: " + e.getMessage());
        }
        if (!(root instanceof JsonObject o)) {
            throw new MalformedMessageException("not a JSON object");
        }
        String serverId = optionalString(o, "serverId");
        Delivery.TargetKind kind = kind(requiredString(o, "type"));
        String namespace = null; // absent: every gateway of the node
        if (o.containsKey("namespace")) {
            if (!(o.get("namespace") instanceof JsonString ns)) {
                throw new MalformedMessageException("namespace is present but not a string");
            }
            namespace = ns.getString();
        }
        String target = null;
        if (kind != Delivery.TargetKind.BROADCAST) {
            target = requiredString(o, "target");
            if (target.isEmpty()) {
                throw new MalformedMessageException("empty target");
            }
            if (kind == Delivery.TargetKind.ROOM && !EventNames.isValidRoom(target)) {
                throw new MalformedMessageException("target is not a valid room name");
            }
        } else if (o.containsKey("target") && o.get("target") != JsonValue.NULL && !(o.get("target") instanceof JsonString)) {
            throw new MalformedMessageException("target is not a string");
        }
        String event = requiredString(o, "event");
        if (!EventNames.isValidEvent(event)) {
            throw new MalformedMessageException("event is not 1 to 128 characters of [A-Za-z0-9_.:/-]");
        }
        JsonValue data = o.getOrDefault("data", JsonValue.NULL);
        Set<String> exclude = exclude(o.get("exclude"));
        boolean volatileEvent = switch (o.getOrDefault("volatile", JsonValue.FALSE).getValueType()) {
            case TRUE -> true;
            case FALSE, NULL -> false;
            default -> throw new MalformedMessageException("volatile is not a boolean");
        };
        return new Message(serverId, new Delivery(kind, namespace, target, event, toJson(data), exclude, volatileEvent));
    }

    /** JSON text of a JSON-P value, as JSON-P writes it. */
    static String toJson(JsonValue value) {
        if (value == null || value == JsonValue.NULL) {
            return "null";
        }
        StringWriter out = new StringWriter();
        try (JsonWriter w = WRITERS.createWriter(out)) {
            w.write(value);
        }
        return out.toString();
    }

    /** Rejects nesting deeper than {@link #MAX_DEPTH} before a parser sees it (a parser may recurse). */
    static void checkDepth(String text) throws MalformedMessageException {
        if (!EnvelopeParser.nestingWithin(text, MAX_DEPTH)) {
            throw new MalformedMessageException("nested deeper than " + MAX_DEPTH);
        }
    }

    static String typeName(Delivery.TargetKind kind) {
        return switch (kind) {
            case CLIENT -> "client";
            case USER -> "user";
            case ROOM -> "room";
            case BROADCAST -> "broadcast";
        };
    }

    private static Delivery.TargetKind kind(String type) throws MalformedMessageException {
        return switch (type) {
            case "client" -> Delivery.TargetKind.CLIENT;
            case "user" -> Delivery.TargetKind.USER;
            case "room" -> Delivery.TargetKind.ROOM;
            case "broadcast" -> Delivery.TargetKind.BROADCAST;
            default -> throw new MalformedMessageException("unknown type '" + abbreviate(type) + "'");
        };
    }

    private static Set<String> exclude(JsonValue value) throws MalformedMessageException {
        if (value == null || value == JsonValue.NULL) {
            return Set.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw new MalformedMessageException("exclude is not an array");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonValue v : array) {
            if (!(v instanceof JsonString s)) {
                throw new MalformedMessageException("exclude holds something else than strings");
            }
            ids.add(s.getString());
        }
        return ids;
    }

    private static String requiredString(JsonObject o, String key) throws MalformedMessageException {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            throw new MalformedMessageException("no " + key);
        }
        if (!(v instanceof JsonString s)) {
            throw new MalformedMessageException(key + " is not a string");
        }
        return s.getString();
    }

    /** The string, or null when absent or JSON null; a value of another type is malformed. */
    private static String optionalString(JsonObject o, String key) throws MalformedMessageException {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw new MalformedMessageException(key + " is not a string");
        }
        return s.getString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
