package io.wiregate.protocol;

import java.io.StringReader;
import java.util.Map;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Turns the text of a client frame into an {@link Envelope}, trusting nothing: the nesting depth is checked
 * before any parsing (so no provider recurses on hostile input), and every field is checked against
 * docs/protocol.md section 2. Thread-safe and stateless.
 */
public final class EnvelopeParser {

    /** Deepest nesting of arrays and objects accepted in a frame, the envelope itself included. */
    public static final int MAX_DEPTH = 64;
    /** Longest accepted {@code id}, in characters (a number: in characters of its JSON text). */
    public static final int MAX_ID_LENGTH = 64;

    private final JsonParserFactory parsers;

    /** A parser on the JSON-P provider found at run time. */
    public EnvelopeParser() {
        this(JsonProvider.provider());
    }

    /** A parser on the given JSON-P provider. */
    public EnvelopeParser(JsonProvider provider) {
        this.parsers = provider.createParserFactory(Map.of());
    }

    /** The outcome of parsing one frame. */
    public sealed interface Result permits Parsed, Rejected {
    }

    /** A well-formed envelope. */
    public record Parsed(Envelope envelope) implements Result {
    }

    /**
     * A frame that is not a valid envelope: answer it with {@code bad_frame}.
     *
     * @param message what is wrong, safe to send to the client
     * @param id      the frame's id as JSON text when the frame was an object with a well-formed id, else null
     */
    public record Rejected(String message, String id) implements Result {
    }

    /**
     * Parses one text frame. Whatever the text, the outcome is a result, never an exception.
     *
     * @throws NullPointerException if {@code text} is null (no frame has null text)
     */
    public Result parse(String text) {
        if (!nestingWithin(text, MAX_DEPTH)) {
            return new Rejected("frame nests deeper than " + MAX_DEPTH + " levels", null);
        }
        JsonValue value;
        try (JsonParser parser = parsers.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                return new Rejected("frame is not JSON", null);
            }
            parser.next();
            value = parser.getValue();
            if (parser.hasNext()) { // one JSON value per frame: anything after it is not an envelope
                return new Rejected("frame has content after its JSON value", null);
            }
        } catch (JsonException | IllegalStateException | ArithmeticException | NumberFormatException
                 | java.util.NoSuchElementException e) {
            return new Rejected("frame is not JSON", null);
        }
        if (!(value instanceof JsonObject frame)) {
            return new Rejected("frame is not a JSON object", null);
        }
        JsonValue rawId = frame.get("id");
        String id = null;
        if (rawId != null && rawId.getValueType() != JsonValue.ValueType.NULL) {
            id = idText(rawId);
            if (id == null) {
                return new Rejected("id must be a string of at most 64 characters or a number", null);
            }
        }
        JsonValue rawEvent = frame.get("event");
        if (!(rawEvent instanceof JsonString eventString) || !EventNames.isValidEvent(eventString.getString())) {
            return new Rejected("event must be 1 to 128 characters of [A-Za-z0-9_.:/-]", id);
        }
        JsonValue data = frame.getOrDefault("data", JsonValue.NULL);
        return new Parsed(new Envelope(eventString.getString(), data, id));
    }

    private static String idText(JsonValue rawId) {
        if (rawId instanceof JsonString s) {
            return s.getString().length() <= MAX_ID_LENGTH ? Frames.quote(s.getString()) : null;
        }
        if (rawId instanceof JsonNumber n) {
            String text = n.toString();
            return text.length() <= MAX_ID_LENGTH ? text : null;
        }
        return null;
    }

    /**
     * Whether arrays and objects nest at most {@code max} deep, looking only at brackets outside strings: a
     * check that costs one pass and no allocation, made before any parser (which may recurse) sees the text.
     */
    static boolean nestingWithin(String text, int max) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > max) {
                    return false;
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return true;
    }
}
