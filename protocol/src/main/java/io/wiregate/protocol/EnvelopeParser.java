package io.wiregate.protocol;

import java.io.StringReader;
import java.util.Map;

import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
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
    /** What {@link #scan} answers once the nesting passes its limit. */
    private static final int TOO_DEEP = -2;

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
        String id = null;
        boolean badId = false;
        String event = null;
        JsonValue data = JsonValue.NULL;
        String dataText = null;
        String offset = null;
        try (JsonParser parser = parsers.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                return new Rejected("frame is not JSON", null);
            }
            if (parser.next() != JsonParser.Event.START_OBJECT) {
                parser.getValue();
                return parser.hasNext() ? new Rejected("frame has content after its JSON value", null)
                        : new Rejected("frame is not a JSON object", null);
            }
            // The envelope's own members, streamed: the last of a repeated name wins, as in a JsonObject.
            for (JsonParser.Event member = parser.next(); member != JsonParser.Event.END_OBJECT; member = parser.next()) {
                String name = parser.getString();
                JsonParser.Event first = parser.next();
                switch (name) {
                    case "id" -> {
                        // As the frame wrote it: a number's own text, a string quoted again.
                        id = first == JsonParser.Event.VALUE_STRING ? stringId(parser.getString())
                                : first == JsonParser.Event.VALUE_NUMBER ? numberId(parser) : null;
                        badId = id == null && first != JsonParser.Event.VALUE_NULL;
                        consume(parser, first);
                    }
                    case "event" -> {
                        event = first == JsonParser.Event.VALUE_STRING ? parser.getString() : null;
                        consume(parser, first);
                    }
                    case "data" -> {
                        long afterFirst = parser.getLocation().getStreamOffset();
                        data = parser.getValue();
                        dataText = first == JsonParser.Event.START_OBJECT || first == JsonParser.Event.START_ARRAY
                                ? span(text, afterFirst - 1, parser.getLocation().getStreamOffset()) : null;
                    }
                    case "offset" -> {
                        offset = first == JsonParser.Event.VALUE_STRING ? parser.getString() : null;
                        consume(parser, first);
                    }
                    default -> consume(parser, first);
                }
            }
            if (parser.hasNext()) { // one JSON value per frame: anything after it is not an envelope
                return new Rejected("frame has content after its JSON value", null);
            }
        } catch (JsonException | IllegalStateException | ArithmeticException | NumberFormatException
                 | java.util.NoSuchElementException e) {
            return new Rejected("frame is not JSON", null);
        }
        if (badId) {
            return new Rejected("id must be a string of at most 64 characters or a number", null);
        }
        if (event == null || !EventNames.isValidEvent(event)) {
            return new Rejected("event must be 1 to 128 characters of [A-Za-z0-9_.:/-]", id);
        }
        return new Parsed(new Envelope(event, data, id, dataText, offset));
    }

    /** Reads the rest of a member's value that {@code first} began (an object or an array), so that it is checked. */
    private static void consume(JsonParser parser, JsonParser.Event first) {
        if (first == JsonParser.Event.START_OBJECT || first == JsonParser.Event.START_ARRAY) {
            parser.getValue();
        }
    }

    private static String stringId(String id) {
        return id.length() <= MAX_ID_LENGTH ? Frames.quote(id) : null;
    }

    /** A number's text, once it is known to be a number a JSON-P provider can read (else "not JSON", as before). */
    private static String numberId(JsonParser parser) {
        parser.isIntegralNumber(); // throws NumberFormatException or ArithmeticException for 1e99999999999999999999
        String text = parser.getString();
        return text.length() <= MAX_ID_LENGTH ? text : null;
    }

    /**
     * The text of the object or array that the parser located between {@code start} and {@code end}, or null
     * unless it is exactly one: its first character opens it and the bracket that closes it ends the range. So the
     * text is right whatever offsets a JSON-P provider reports, or it is not used.
     */
    static String span(String text, long start, long end) {
        if (start < 0 || end > text.length() || start >= end) {
            return null;
        }
        char open = text.charAt((int) start);
        if (open != '{' && open != '[') {
            return null;
        }
        return closingBracket(text, (int) start) == end - 1 ? text.substring((int) start, (int) end) : null;
    }

    /** The index of the bracket that closes the one at {@code open}, brackets inside strings not counted; -1 if none. */
    private static int closingBracket(String text, int open) {
        return scan(text, open, Integer.MAX_VALUE, true);
    }

    /**
     * Whether arrays and objects nest at most {@code max} deep, looking only at brackets outside strings: a
     * check that costs one pass and no allocation, made before any parser (which may recurse) sees the text.
     *
     * @param text JSON text, possibly malformed
     * @param max  the deepest nesting allowed (the outermost object or array counting as 1)
     * @return false as soon as the nesting passes {@code max}
     */
    public static boolean nestingWithin(String text, int max) {
        return scan(text, 0, max, false) != TOO_DEEP;
    }

    /**
     * Walks {@code text} from {@code from}, counting how deep arrays and objects nest outside strings: {@link
     * #TOO_DEEP} as soon as that passes {@code max}; with {@code untilClosed}, the index of the bracket that brings
     * the depth back to zero; otherwise, or if none does, -1.
     */
    private static int scan(String text, int from, int max, boolean untilClosed) {
        int depth = 0;
        boolean inString = false;
        for (int i = from, n = text.length(); i < n; i++) {
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
                    return TOO_DEEP;
                }
            } else if ((c == '}' || c == ']') && --depth == 0 && untilClosed) {
                return i;
            }
        }
        return -1;
    }
}
