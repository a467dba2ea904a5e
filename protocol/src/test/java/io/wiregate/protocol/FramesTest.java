package io.wiregate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

class FramesTest {

    private static JsonValue read(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }

    private static JsonObject readObject(String json) {
        return read(json).asJsonObject();
    }

    // ---- quote ----

    @Test
    void quoteOfPlainTextOnlyAddsQuotes() {
        assertThat(Frames.quote("hello world")).isEqualTo("\"hello world\"");
        assertThat(Frames.quote("")).isEqualTo("\"\"");
    }

    @Test
    void quoteEscapesQuotesAndBackslashes() {
        assertThat(Frames.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void quoteEscapesNewlineCarriageReturnAndTabShortly() {
        assertThat(Frames.quote("\n\r\t")).isEqualTo("\"\\n\\r\\t\"");
    }

    @Test
    void quoteEscapesOtherControlCharactersAsUnicodeEscapes() {
        assertThat(Frames.quote("\u0000\u0001\b\f\u001f")).isEqualTo("\"\\u0000\\u0001\\u0008\\u000c\\u001f\"");
    }

    @Test
    void quoteEscapesLineAndParagraphSeparators() {
        assertThat(Frames.quote("a\u2028b\u2029c")).isEqualTo("\"a\\u2028b\\u2029c\"");
    }

    @Test
    void quoteKeepsNonAsciiText() {
        assertThat(Frames.quote("caf\u00e9 \u4e2d \ud83d\ude00")).isEqualTo("\"caf\u00e9 \u4e2d \ud83d\ude00\"");
    }

    @Test
    void quoteOfEveryCharacterBelowSeventeenHundredRoundTripsThroughAJsonParser() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x700; c++) {
            all.append(c);
        }
        all.append('\u2028').append('\u2029').append("\"\\/");
        String s = all.toString();

        assertThat(read(Frames.quote(s))).isEqualTo(Json.createValue(s));
    }

    @Test
    void quotedTextHasNoRawControlCharacterOrLineSeparator() {
        String quoted = Frames.quote("x\u0000\u0007\n\u001f\u2028\u2029y");

        assertThat(quoted.chars()).noneMatch(c -> c < 0x20 || c == 0x2028 || c == 0x2029);
    }

    // ---- error ----

    @Test
    void errorWithoutViolationsAndIdIsAnErrorEventWithCodeAndMessageOnly() {
        JsonObject frame = readObject(Frames.error(ErrorCode.UNKNOWN_EVENT, "no handler for 'x'", null, null));

        assertThat(frame.getString("event")).isEqualTo("error");
        assertThat(frame.containsKey("id")).isFalse();
        JsonObject data = frame.getJsonObject("data");
        assertThat(data.getString("code")).isEqualTo("unknown_event");
        assertThat(data.getString("message")).isEqualTo("no handler for 'x'");
        assertThat(data.containsKey("violations")).isFalse();
    }

    @Test
    void errorCarriesAStringIdAsGiven() {
        JsonObject frame = readObject(Frames.error(ErrorCode.BAD_FRAME, "bad", null, "\"req-1\""));

        assertThat(frame.getString("id")).isEqualTo("req-1");
        assertThat(frame.getJsonObject("data").getString("code")).isEqualTo("bad_frame");
    }

    @Test
    void errorCarriesANumberIdAsGiven() {
        JsonObject frame = readObject(Frames.error(ErrorCode.INTERNAL, "internal error", null, "17"));

        assertThat(frame.getJsonNumber("id").intValue()).isEqualTo(17);
    }

    @Test
    void errorWithViolationsListsEachWithPathAndMessage() {
        List<Violation> violations = List.of(new Violation("", "must be an object"), new Violation("items[0].text", "must not be \"blank\""));

        JsonObject frame = readObject(Frames.error(ErrorCode.VALIDATION, "invalid payload", violations, "3"));

        JsonArray list = frame.getJsonObject("data").getJsonArray("violations");
        assertThat(list).hasSize(2);
        assertThat(list.getJsonObject(0).getString("path")).isEmpty();
        assertThat(list.getJsonObject(0).getString("message")).isEqualTo("must be an object");
        assertThat(list.getJsonObject(1).getString("path")).isEqualTo("items[0].text");
        assertThat(list.getJsonObject(1).getString("message")).isEqualTo("must not be \"blank\"");
        assertThat(frame.getJsonObject("data").getString("code")).isEqualTo("validation");
        assertThat(frame.getJsonNumber("id").intValue()).isEqualTo(3);
    }

    @Test
    void errorWithEmptyViolationsHasAnEmptyArray() {
        JsonObject frame = readObject(Frames.error(ErrorCode.VALIDATION, "m", List.of(), null));

        assertThat(frame.getJsonObject("data").getJsonArray("violations")).isEmpty();
    }

    @Test
    void errorEscapesHostileMessageAndPaths() {
        String hostile = "\"},\"event\":\"evil\u2028\n\\";
        JsonObject frame = readObject(Frames.error(ErrorCode.FORBIDDEN, hostile, List.of(new Violation(hostile, hostile)), null));

        assertThat(frame.getString("event")).isEqualTo("error");
        assertThat(frame.getJsonObject("data").getString("message")).isEqualTo(hostile);
        assertThat(frame.getJsonObject("data").getJsonArray("violations").getJsonObject(0).getString("path")).isEqualTo(hostile);
    }

    @Test
    void everyErrorCodeIsWrittenWithItsWireName() {
        for (ErrorCode code : ErrorCode.values()) {
            JsonObject frame = readObject(Frames.error(code, "m", null, null));
            assertThat(frame.getJsonObject("data").getString("code")).isEqualTo(code.wire());
        }
    }

    // ---- reply, ack, event, connected, disconnect ----

    @Test
    void replyWithIdCarriesEventDataAndId() {
        JsonObject frame = readObject(Frames.reply("chat:sent", "{\"n\":1}", "\"r1\""));

        assertThat(frame.getString("event")).isEqualTo("chat:sent");
        assertThat(frame.getJsonObject("data").getInt("n")).isEqualTo(1);
        assertThat(frame.getString("id")).isEqualTo("r1");
    }

    @Test
    void replyWithoutIdIsAPlainEvent() {
        String frame = Frames.reply("done", "null", null);

        assertThat(frame).isEqualTo(Frames.event("done", "null"));
        JsonObject parsed = readObject(frame);
        assertThat(parsed.keySet()).containsExactlyInAnyOrder("event", "data");
        assertThat(parsed.get("data")).isEqualTo(JsonValue.NULL);
    }

    @Test
    void ackCarriesOnlyEventAndId() {
        JsonObject frame = readObject(Frames.ack("42"));

        assertThat(frame.keySet()).containsExactlyInAnyOrder("event", "id");
        assertThat(frame.getString("event")).isEqualTo("ack");
        assertThat(frame.getJsonNumber("id").intValue()).isEqualTo(42);
        assertThat(readObject(Frames.ack("\"a\\\"b\"")).getString("id")).isEqualTo("a\"b");
    }

    @Test
    void eventCarriesEventAndDataOfAnyJsonType() {
        for (String data : List.of("null", "1", "\"s\"", "[1,{\"a\":[]}]", "{\"x\":{\"y\":true}}", "-1.5e3")) {
            JsonObject frame = readObject(Frames.event("news", data));
            assertThat(frame.getString("event")).isEqualTo("news");
            assertThat(frame.get("data")).isEqualTo(read(data));
            assertThat(frame.containsKey("id")).isFalse();
        }
    }

    @Test
    void connectedCarriesClientIdUserIdTimeAndRooms() {
        JsonObject frame = readObject(Frames.connected("c-1", "alice \"A\"", 1_700_000_000_123L, List.of("lobby", "r\u2028\"x")));

        assertThat(frame.getString("event")).isEqualTo("connected");
        JsonObject data = frame.getJsonObject("data");
        assertThat(data.getString("id")).isEqualTo("c-1");
        assertThat(data.getString("userId")).isEqualTo("alice \"A\"");
        assertThat(data.getJsonNumber("time").longValue()).isEqualTo(1_700_000_000_123L);
        assertThat(data.getJsonArray("rooms").getValuesAs(jakarta.json.JsonString::getString))
                .containsExactly("lobby", "r\u2028\"x");
    }

    @Test
    void connectedOfAnonymousClientHasUserIdNull() {
        JsonObject data = readObject(Frames.connected("c-2", null, 5, List.of())).getJsonObject("data");

        assertThat(data.containsKey("userId")).isTrue();
        assertThat(data.isNull("userId")).isTrue();
        assertThat(data.getJsonArray("rooms")).isEmpty();
    }

    @Test
    void connectedOfAGatewayWithRecoveryAlsoCarriesSessionOffsetAndRecovered() {
        JsonObject data = readObject(Frames.connected("c-3", "bob", 7, List.of("lobby"), "tok_en-0123456789abcdefghij",
                "Ab_9-x:42", true)).getJsonObject("data");

        assertThat(data.getString("id")).isEqualTo("c-3");
        assertThat(data.getJsonArray("rooms").getValuesAs(jakarta.json.JsonString::getString)).containsExactly("lobby");
        assertThat(data.getString("session")).isEqualTo("tok_en-0123456789abcdefghij");
        assertThat(data.getString("offset")).isEqualTo("Ab_9-x:42");
        assertThat(data.getBoolean("recovered")).isTrue();
        assertThat(readObject(Frames.connected("c-4", null, 7, List.of(), "s", "o", false)).getJsonObject("data")
                .getBoolean("recovered")).isFalse();
    }

    @Test
    void recoverableEventCarriesItsOffsetBesideEventAndData() {
        JsonObject frame = readObject(Frames.event("news", "{\"a\":[1]}", "Ab_9-x:42"));

        assertThat(frame.keySet()).containsExactly("event", "data", "offset");
        assertThat(frame.getJsonObject("data").getJsonArray("a").getInt(0)).isEqualTo(1);
        assertThat(frame.getString("offset")).isEqualTo("Ab_9-x:42");
    }

    @Test
    void disconnectCarriesCodeAndReason() {
        JsonObject frame = readObject(Frames.disconnect(4005, "slow \"consumer\"\n"));

        assertThat(frame.getString("event")).isEqualTo("disconnect");
        assertThat(frame.getJsonObject("data").getInt("code")).isEqualTo(4005);
        assertThat(frame.getJsonObject("data").getString("reason")).isEqualTo("slow \"consumer\"\n");
    }
}
