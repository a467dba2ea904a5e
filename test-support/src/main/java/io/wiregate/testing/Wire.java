package io.wiregate.testing;

import java.io.StringReader;
import java.util.List;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * JSON helpers for protocol tests: frames are written with single quotes for readability
 * ({@code json("{'event':'echo'}")}) and compared as parsed JSON values, so key order and whitespace never matter;
 * the predicates pick frames of the Wiregate protocol (by event, id or error code) for {@link RawWebSocket#next}.
 */
public final class Wire {

    private Wire() {
    }

    /** Turns single quotes into double quotes: {@code {'event':'echo'}} becomes {@code {"event":"echo"}}. */
    public static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** Parses a JSON object written with single quotes. */
    public static JsonObject obj(String singleQuoted) {
        return (JsonObject) parse(json(singleQuoted));
    }

    /** Parses JSON text (double quotes). */
    public static JsonValue parse(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    /** The frame's {@code event}, or null. */
    public static String event(JsonObject frame) {
        JsonValue e = frame.get("event");
        return e instanceof JsonString s ? s.getString() : null;
    }

    /** The frame's {@code data}, {@link JsonValue#NULL} when absent. */
    public static JsonValue data(JsonObject frame) {
        return frame.getOrDefault("data", JsonValue.NULL);
    }

    /** The {@code data.code} of an {@code error} frame, or null. */
    public static String errorCode(JsonObject frame) {
        return data(frame) instanceof JsonObject d && d.get("code") instanceof JsonString s ? s.getString() : null;
    }

    /** The {@code data.message} of an {@code error} frame, or null. */
    public static String errorMessage(JsonObject frame) {
        return data(frame) instanceof JsonObject d && d.get("message") instanceof JsonString s ? s.getString() : null;
    }

    /** The {@code data.violations} of an {@code error} frame, or null. */
    public static JsonArray violations(JsonObject frame) {
        return data(frame) instanceof JsonObject d && d.get("violations") instanceof JsonArray a ? a : null;
    }

    /** The paths of the violations of a validation error, in order. */
    public static List<String> violationPaths(JsonObject frame) {
        JsonArray v = violations(frame);
        return v == null ? null : v.stream().map(x -> x.asJsonObject().getString("path")).toList();
    }

    /** The {@code data.rooms} strings of a {@code joined}/{@code left}/{@code connected} frame. */
    public static List<String> rooms(JsonObject frame) {
        return data(frame).asJsonObject().getJsonArray("rooms").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList();
    }

    /** A string id, as JSON. */
    public static JsonValue id(String id) {
        return Json.createValue(id);
    }

    /** A number id, as JSON. */
    public static JsonValue id(long id) {
        return Json.createValue(id);
    }

    // ------------------------------------------------------------------ predicates

    /** Frames whose {@code event} is {@code event}. */
    public static Predicate<JsonObject> isEvent(String event) {
        return f -> event.equals(event(f));
    }

    /** Frames whose {@code id} is the string {@code id}. */
    public static Predicate<JsonObject> hasId(String id) {
        return f -> f.get("id") instanceof JsonString s && s.getString().equals(id);
    }

    /** Frames whose {@code id} is the integral number {@code id}. */
    public static Predicate<JsonObject> hasId(long id) {
        return f -> f.get("id") instanceof JsonNumber n && n.isIntegral() && n.longValue() == id;
    }
}
