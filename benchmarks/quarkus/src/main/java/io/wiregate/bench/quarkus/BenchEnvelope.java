package io.wiregate.bench.quarkus;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * How the Quarkus endpoint reads an envelope: its top-level {@code event} with Jackson's streaming parser (the JSON
 * library Quarkus ships) from a factory made once, no tree, no binding: the counterpart of the raw Tyrus endpoint's
 * JSON-P reader in {@code benchmarks}.
 */
final class BenchEnvelope {

    private static final JsonFactory JSON = new JsonFactory();

    private BenchEnvelope() {
    }

    /** The top-level {@code event} string of an envelope, or null. */
    static String event(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("event".equals(key)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
