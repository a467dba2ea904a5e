package io.wiregate.protocol;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
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

import static io.wiregate.protocol.Frames.quote;

/**
 * The cluster message of docs/protocol.md section 8, both ways: the one place that knows its shape, whatever
 * carries it (the Redis bus of the nodes, the Emitter). Writing builds each message's text once; reading never
 * trusts the input: it bounds the size and the nesting depth before parsing, then checks every field.
 *
 * <pre>{@code {"serverId":"...","type":"room","namespace":"/chat","target":"lobby","event":"messageCreated",
 *  "data":{...},"exclude":["..."]}}</pre>
 *
 * <p>One field beyond section 8 is written and read: {@code "volatile": true} marks a volatile delivery
 * (absent otherwise), so a full outbound queue on another node drops it, as on the sending node.
 *
 * @param serverId      who published it: a node's id, or {@link #EMITTER_SERVER_ID}; {@code null} when a message
 *                      read had none
 * @param namespace     the gateway's declared path ({@code /rooms/{roomId}}), or {@code null} for every gateway
 * @param target        who receives it
 * @param event         the event name
 * @param dataJson      the payload as JSON text ({@code null} JSON for no payload)
 * @param volatileEvent whether a full outbound queue drops the event instead of closing the client
 */
public record ClusterMessage(String serverId, String namespace, Target target, String event, String dataJson,
                             boolean volatileEvent) {

    /** Messages of more characters (or bytes, as received from Redis) are rejected unparsed. */
    public static final int MAX_SIZE = 1024 * 1024;
    /** The {@code serverId} of emitters, whose messages every node delivers. */
    public static final String EMITTER_SERVER_ID = "emitter";
    /** Deeper nesting of arrays and objects (the message itself counting as 1) is rejected unparsed. */
    static final int MAX_DEPTH = 64;

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final JsonParserFactory PARSERS = JSON.createParserFactory(Map.of());
    private static final JsonWriterFactory WRITERS = JSON.createWriterFactory(Map.of());

    /**
     * Checks that the required parts are there.
     *
     * @throws NullPointerException if {@code target}, {@code event} or {@code dataJson} is null
     */
    public ClusterMessage {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(dataJson, "dataJson");
    }

    /**
     * The message's text, in section 8's field order; {@code dataJson} is embedded as it is. It may be longer than
     * {@link #MAX_SIZE}, which nodes refuse: a publisher checks.
     *
     * @throws NullPointerException if {@code serverId} is null
     */
    public String toJson() {
        StringBuilder b = new StringBuilder(dataJson.length() + 160)
                .append("{\"serverId\":").append(quote(Objects.requireNonNull(serverId, "serverId")))
                .append(",\"type\":\"").append(target.kind().wire()).append('"');
        if (namespace != null) {
            b.append(",\"namespace\":").append(quote(namespace));
        }
        if (target.kind() != Target.Kind.BROADCAST) {
            b.append(",\"target\":").append(quote(target.id()));
        }
        b.append(",\"event\":").append(quote(event)).append(",\"data\":").append(dataJson);
        if (!target.exclude().isEmpty()) {
            b.append(",\"exclude\":[");
            boolean first = true;
            for (String id : target.exclude()) {
                b.append(first ? "" : ",").append(quote(id));
                first = false;
            }
            b.append(']');
        }
        if (volatileEvent) {
            b.append(",\"volatile\":true");
        }
        return b.append('}').toString();
    }

    /**
     * Reads a message from untrusted text. Fields other than section 8's (and {@code volatile}) are ignored; a
     * broadcast's {@code target}, a string or null, is ignored too.
     *
     * @param text the message as received, possibly null
     * @return the message; {@code data} is kept as JSON text, as JSON-P writes it
     * @throws MalformedMessageException with the reason, if the text is not a valid section 8 message
     */
    public static ClusterMessage parse(String text) throws MalformedMessageException {
        if (text == null) {
            throw new MalformedMessageException("no message");
        }
        if (text.length() > MAX_SIZE) {
            throw new MalformedMessageException("larger than " + MAX_SIZE + " characters");
        }
        if (!EnvelopeParser.nestingWithin(text, MAX_DEPTH)) { // before a parser, which may recurse, sees it
            throw new MalformedMessageException("nested deeper than " + MAX_DEPTH);
        }
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
        Target.Kind kind = kind(requiredString(o, "type"));
        String namespace = null; // absent: every gateway of the node
        if (o.containsKey("namespace")) {
            if (!(o.get("namespace") instanceof JsonString ns)) {
                throw new MalformedMessageException("namespace is present but not a string");
            }
            namespace = ns.getString();
        }
        String target = null;
        if (kind != Target.Kind.BROADCAST) {
            target = requiredString(o, "target");
            if (target.isEmpty()) {
                throw new MalformedMessageException("empty target");
            }
            if (kind == Target.Kind.ROOM && !EventNames.isValidRoom(target)) {
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
        return new ClusterMessage(serverId, namespace, new Target(kind, target, exclude), event, dataJson(data), volatileEvent);
    }

    /**
     * The JSON text of a JSON-P value, written as the data of a message read is: how a publisher embeds a payload
     * it holds as JSON-P.
     *
     * @param value the value; {@code null} and {@link JsonValue#NULL} give {@code null}
     * @return its JSON text
     */
    public static String dataJson(JsonValue value) {
        if (value == null || value == JsonValue.NULL) {
            return "null";
        }
        StringWriter out = new StringWriter();
        try (JsonWriter w = WRITERS.createWriter(out)) {
            w.write(value);
        }
        return out.toString();
    }

    private static Target.Kind kind(String type) throws MalformedMessageException {
        Target.Kind kind = Target.Kind.ofWire(type);
        if (kind == null) {
            throw new MalformedMessageException("unknown type '" + abbreviate(type) + "'");
        }
        return kind;
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
