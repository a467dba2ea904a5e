package io.wiregate.bench.server;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

/**
 * How the raw endpoints read an envelope: its top-level {@code event} with a streaming JSON-P parser from a
 * factory made once (no tree, no binding), which is what a hand-written endpoint needs to route a frame.
 */
final class BenchEnvelope {

    /** Looked up once: {@code Json.createParser} would look the provider up (a service-loader scan) on every call. */
    private static final JsonParserFactory PARSERS = Json.createParserFactory(null);

    private BenchEnvelope() {
    }

    /** The top-level {@code event} string of an envelope, or null. */
    static String event(String text) {
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                return null;
            }
            while (parser.hasNext()) {
                JsonParser.Event e = parser.next();
                if (e == JsonParser.Event.KEY_NAME) {
                    String key = parser.getString();
                    JsonParser.Event value = parser.next();
                    if ("event".equals(key)) {
                        return value == JsonParser.Event.VALUE_STRING ? parser.getString() : null;
                    }
                    if (value == JsonParser.Event.START_OBJECT) {
                        parser.skipObject();
                    } else if (value == JsonParser.Event.START_ARRAY) {
                        parser.skipArray();
                    }
                } else if (e == JsonParser.Event.END_OBJECT) {
                    return null;
                }
            }
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
