package io.wiregate.protocol;

import jakarta.json.JsonValue;

/**
 * A parsed client frame (docs/protocol.md section 2), already checked: the event name is valid and the id, if
 * any, is a string of at most 64 characters or a number.
 *
 * @param event the event name
 * @param data  the payload, {@link JsonValue#NULL} when absent
 * @param id    the correlation id as JSON text ({@code "abc"} with its quotes, or {@code 42}), or {@code null}
 */
public record Envelope(String event, JsonValue data, String id) {

    /** Whether the client asked for an answer. */
    public boolean hasId() {
        return id != null;
    }
}
