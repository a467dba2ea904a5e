package io.wiregate.protocol;

import jakarta.json.JsonValue;

/**
 * A parsed client frame (docs/protocol.md section 2), already checked: the event name is valid and the id, if
 * any, is a string of at most 64 characters or a number.
 *
 * @param event    the event name
 * @param data     the payload, {@link JsonValue#NULL} when absent
 * @param id       the correlation id as JSON text ({@code "abc"} with its quotes, or {@code 42}), or {@code null}
 * @param dataText the JSON text of {@code data} as the frame carried it, when {@code data} is an object or an array
 *                 and the parser could tell (null otherwise): a handler that returns {@code data} unchanged has it
 *                 written back without serializing it again
 * @param offset   the frame's top-level {@code offset} when it is a string (a recoverable server event, section 9:
 *                 what a client reads), else null; a server ignores it in client frames
 */
public record Envelope(String event, JsonValue data, String id, String dataText, String offset) {

    /** An envelope whose data's text is not known. */
    public Envelope(String event, JsonValue data, String id) {
        this(event, data, id, null, null);
    }

    /** An envelope without an offset. */
    public Envelope(String event, JsonValue data, String id, String dataText) {
        this(event, data, id, dataText, null);
    }

    /** Whether the client asked for an answer. */
    public boolean hasId() {
        return id != null;
    }
}
