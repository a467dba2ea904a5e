package io.wiregate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.StringReader;
import java.math.BigDecimal;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeParserTest {

    private final EnvelopeParser parser = new EnvelopeParser();

    private Envelope parsed(String text) {
        EnvelopeParser.Result result = parser.parse(text);
        assertThat(result).as("result of %s", abbreviate(text)).isInstanceOf(EnvelopeParser.Parsed.class);
        return ((EnvelopeParser.Parsed) result).envelope();
    }

    private EnvelopeParser.Rejected rejected(String text) {
        EnvelopeParser.Result result = parser.parse(text);
        assertThat(result).as("result of %s", abbreviate(text)).isInstanceOf(EnvelopeParser.Rejected.class);
        EnvelopeParser.Rejected rejected = (EnvelopeParser.Rejected) result;
        assertThat(rejected.message()).isNotBlank();
        return rejected;
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "... (" + text.length() + " chars)";
    }

    // ---- valid envelopes ----

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"event\":\"e\",\"data\":{\"a\":[1,2]},\"id\":1}",
        "{ \"data\" :  [1, {\"x\":\"}\\\"]\"}]  , \"event\":\"e\"}",
        "{\"data\":{},\"event\":\"e\"}",
        "{\"data\":\"not this one\",\"event\":\"e\",\"data\":{\"last\":\"wins\"}}",
    })
    void theTextOfObjectAndArrayDataIsKeptAsTheFrameCarriedIt(String text) {
        Envelope envelope = parsed(text);

        assertThat(envelope.dataText()).isNotNull();
        assertThat(text).contains(envelope.dataText());
        assertThat(Json.createReader(new StringReader(envelope.dataText())).readValue()).isEqualTo(envelope.data());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"event\":\"e\",\"data\":\"s\"}", "{\"event\":\"e\",\"data\":12}",
        "{\"event\":\"e\"}", "{\"event\":\"e\",\"data\":{\"a\":1},\"data\":null}"})
    void scalarOrAbsentDataHasNoText(String text) {
        assertThat(parsed(text).dataText()).isNull();
    }

    @Test
    void aSpanThatIsNotExactlyOneObjectOrArrayIsNotUsed() {
        String text = "{\"data\":{\"a\":\"}\"},\"x\":[]}";
        int open = text.indexOf("{\"a\"");
        int close = text.indexOf("},") + 1;

        assertThat(EnvelopeParser.span(text, open, close)).isEqualTo("{\"a\":\"}\"}");
        assertThat(EnvelopeParser.span(text, open, close - 1)).as("cut short").isNull();
        assertThat(EnvelopeParser.span(text, open, close + 1)).as("one character too many").isNull();
        assertThat(EnvelopeParser.span(text, open + 1, close)).as("not at a bracket").isNull();
        assertThat(EnvelopeParser.span(text, -1, close)).isNull();
        assertThat(EnvelopeParser.span(text, open, text.length() + 1)).isNull();
    }

    @Test
    void envelopeWithStringIdKeepsTheIdAsQuotedJsonText() {
        Envelope e = parsed("{\"event\":\"chat:send\",\"data\":{\"text\":\"hi\"},\"id\":\"abc\"}");

        assertThat(e.event()).isEqualTo("chat:send");
        assertThat(e.data()).isEqualTo(Json.createObjectBuilder().add("text", "hi").build());
        assertThat(e.id()).isEqualTo("\"abc\"");
        assertThat(e.hasId()).isTrue();
    }

    @Test
    void aStringOffsetIsReadAndAnyOtherOffsetIsIgnored() {
        assertThat(parsed("{\"event\":\"news\",\"data\":1,\"offset\":\"ep:42\"}").offset()).isEqualTo("ep:42");
        assertThat(parsed("{\"event\":\"news\",\"offset\":42}").offset()).isNull();
        assertThat(parsed("{\"event\":\"news\",\"offset\":{\"a\":[1]}}").offset()).isNull();
        assertThat(parsed("{\"event\":\"news\"}").offset()).isNull();
    }

    @Test
    void envelopeWithNumberIdKeepsTheIdAsNumberText() {
        Envelope e = parsed("{\"event\":\"ping\",\"id\":42}");

        assertThat(e.id()).isEqualTo("42");
        assertThat(e.hasId()).isTrue();
    }

    @Test
    void envelopeWithFractionalNumberIdKeepsItsDigits() {
        Envelope e = parsed("{\"event\":\"ping\",\"id\":1.50}");

        assertThat(new BigDecimal(e.id())).isEqualByComparingTo("1.50");
    }

    @Test
    void stringIdWithQuotesAndBackslashIsEscapedAsJsonText() {
        Envelope e = parsed("{\"event\":\"ping\",\"id\":\"a\\\"b\\\\c\"}");

        assertThat(readValue(e.id())).isEqualTo(Json.createValue("a\"b\\c"));
    }

    @Test
    void absentDataIsJsonNull() {
        Envelope e = parsed("{\"event\":\"ping\"}");

        assertThat(e.data()).isSameAs(JsonValue.NULL);
        assertThat(e.id()).isNull();
        assertThat(e.hasId()).isFalse();
    }

    @Test
    void explicitNullDataIsJsonNull() {
        assertThat(parsed("{\"event\":\"ping\",\"data\":null}").data()).isEqualTo(JsonValue.NULL);
    }

    @Test
    void nullIdMeansNoId() {
        assertThat(parsed("{\"event\":\"ping\",\"id\":null}").hasId()).isFalse();
    }

    @Test
    void dataOfAnyJsonTypeIsKept() {
        assertThat(parsed("{\"event\":\"a\",\"data\":[1,2]}").data().getValueType()).isEqualTo(JsonValue.ValueType.ARRAY);
        assertThat(parsed("{\"event\":\"a\",\"data\":\"s\"}").data()).isEqualTo(Json.createValue("s"));
        assertThat(parsed("{\"event\":\"a\",\"data\":7}").data()).isEqualTo(Json.createValue(7));
        assertThat(parsed("{\"event\":\"a\",\"data\":true}").data()).isEqualTo(JsonValue.TRUE);
    }

    @Test
    void unknownTopLevelFieldsAreIgnored() {
        Envelope e = parsed("{\"extra\":{\"deep\":[1,2,3]},\"event\":\"ping\",\"v\":2,\"id\":\"x\",\"data\":1}");

        assertThat(e.event()).isEqualTo("ping");
        assertThat(e.id()).isEqualTo("\"x\"");
        assertThat(e.data()).isEqualTo(Json.createValue(1));
    }

    @Test
    void surroundingWhitespaceIsAccepted() {
        assertThat(parsed(" \n\t{\"event\":\"ping\"} \r\n").event()).isEqualTo("ping");
    }

    @Test
    void eventOfEveryAllowedCharacterIsAccepted() {
        String event = "azAZ09_.:/-";
        assertThat(parsed("{\"event\":\"" + event + "\"}").event()).isEqualTo(event);
    }

    @Test
    void eventOfOneHundredTwentyEightCharactersIsAccepted() {
        String event = "e".repeat(128);
        assertThat(parsed("{\"event\":\"" + event + "\"}").event()).isEqualTo(event);
    }

    @Test
    void idOfSixtyFourCharactersIsAccepted() {
        String id = "i".repeat(64);
        assertThat(parsed("{\"event\":\"a\",\"id\":\"" + id + "\"}").id()).isEqualTo('"' + id + '"');
    }

    @Test
    void nestingOfSixtyFourLevelsIsAccepted() {
        String data = "[".repeat(63) + "]".repeat(63);
        assertThat(parsed("{\"event\":\"a\",\"data\":" + data + "}").data().getValueType())
                .isEqualTo(JsonValue.ValueType.ARRAY);
    }

    @Test
    void oneMegabyteStringInDataIsAccepted() {
        String big = "x".repeat(1 << 20);
        Envelope e = parsed("{\"event\":\"upload\",\"data\":\"" + big + "\"}");

        assertThat(((JsonString) e.data()).getString()).hasSize(1 << 20);
    }

    @Test
    void hugeNumberInDataIsKeptWithoutExpandingIt() {
        Envelope e = parsed("{\"event\":\"a\",\"data\":1e999999999}");

        assertThat(e.data()).isInstanceOf(JsonNumber.class);
        assertThat(((JsonNumber) e.data()).bigDecimalValue()).isEqualByComparingTo(new BigDecimal("1e999999999"));
    }

    @Test
    void hugeNumberIdIsAcceptedAsShortNumberText() {
        EnvelopeParser.Result result = parser.parse("{\"event\":\"a\",\"id\":1e999999999}");

        assertThat(result).isInstanceOf(EnvelopeParser.Parsed.class);
        String id = ((EnvelopeParser.Parsed) result).envelope().id();
        assertThat(id.length()).isLessThanOrEqualTo(EnvelopeParser.MAX_ID_LENGTH);
        assertThat(((JsonNumber) readValue(id)).bigDecimalValue()).isEqualByComparingTo(new BigDecimal("1e999999999"));
    }

    // ---- hostile input: not an envelope ----

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "hello", "{event:\"a\"}", "{'event':'a'}", "{\"event\":\"a\",}", "{\"event\" \"a\"}",
            "\u0000", "{\"event\":\"a\",\"data\":NaN}"})
    void invalidJsonIsRejectedWithoutId(String text) {
        assertThat(rejected(text).id()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"event\":\"a\"}}", "{\"event\":\"a\"} {\"event\":\"b\"}", "{\"event\":\"a\"}garbage",
            "{\"event\":\"a\"},", "{\"event\":\"a\",\"id\":1}]"})
    void frameWithTrailingContentAfterTheObjectIsRejected(String text) {
        rejected(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"event\"", "{\"event\":", "{\"event\":\"a", "{\"event\":\"a\",\"id\":\"x\"",
            "{\"event\":\"a\",\"data\":[1,2", "{\"event\":\"a\",\"data\":{\"k\":", "[", "\"abc"})
    void truncatedJsonIsRejectedWithoutId(String text) {
        assertThat(rejected(text).id()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"event\":\"a\"}]", "\"event\"", "42", "-1.5e3", "null", "true", "false"})
    void topLevelValueThatIsNotAnObjectIsRejected(String text) {
        assertThat(rejected(text).id()).isNull();
    }

    @Test
    void oneHundredThousandOpeningBracketsAreRejectedWithoutStackOverflow() {
        String text = "[".repeat(100_000);

        assertThatCode(() -> rejected(text)).doesNotThrowAnyException();
    }

    @Test
    void oneHundredThousandNestedArraysInDataAreRejectedWithoutStackOverflow() {
        String text = "{\"event\":\"a\",\"data\":" + "[".repeat(100_000) + "]".repeat(100_000) + ",\"id\":1}";

        assertThatCode(() -> rejected(text)).doesNotThrowAnyException();
    }

    @Test
    void oneHundredThousandNestedObjectsAreRejectedWithoutStackOverflow() {
        String text = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);

        assertThatCode(() -> rejected(text)).doesNotThrowAnyException();
    }

    @Test
    void closingBracketsFirstCannotHideDeepNestingAfterThem() {
        String text = "]".repeat(100_000) + "{\"event\":\"a\",\"data\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        assertThatCode(() -> rejected(text)).doesNotThrowAnyException();
    }

    @Test
    void nestingOfSixtyFiveLevelsIsRejected() {
        String data = "[".repeat(64) + "]".repeat(64);
        assertThat(rejected("{\"event\":\"a\",\"data\":" + data + "}").message()).contains("64");
    }

    @Test
    void oneMegabyteStringAsEventIsRejected() {
        assertThat(rejected("{\"event\":\"" + "e".repeat(1 << 20) + "\"}").id()).isNull();
    }

    @Test
    void oneMegabyteStringAsIdIsRejected() {
        assertThat(rejected("{\"event\":\"a\",\"id\":\"" + "i".repeat(1 << 20) + "\"}").id()).isNull();
    }

    @Test
    void numberWithExponentBeyondIntRangeIsRejectedWithoutThrowing() {
        rejected("{\"event\":\"a\",\"data\":1e99999999999999999999}");
        rejected("{\"event\":\"a\",\"id\":1e99999999999999999999}");
    }

    @Test
    void numberIdLongerThanSixtyFourCharactersIsRejected() {
        assertThat(rejected("{\"event\":\"a\",\"id\":" + "1".repeat(65) + "}").id()).isNull();
    }

    // ---- wrong types and bounds ----

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "true", "false", "1", "null"})
    void eventOfWrongTypeIsRejected(String event) {
        rejected("{\"event\":" + event + "}");
    }

    @Test
    void missingEventIsRejected() {
        rejected("{\"data\":1}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"a\":1}", "[]", "[1]", "true", "false"})
    void idOfWrongTypeIsRejectedWithoutId(String id) {
        assertThat(rejected("{\"event\":\"a\",\"id\":" + id + "}").id()).isNull();
    }

    @Test
    void emptyEventIsRejected() {
        rejected("{\"event\":\"\"}");
    }

    @Test
    void eventOfOneHundredTwentyNineCharactersIsRejected() {
        rejected("{\"event\":\"" + "e".repeat(129) + "\"}");
    }

    @Test
    void idOfSixtyFiveCharactersIsRejected() {
        assertThat(rejected("{\"event\":\"a\",\"id\":\"" + "i".repeat(65) + "\"}").id()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a\\\"b", "caf\u00e9", "a,b", "a*", "a#b", "<script>", "a\\\\b", "a\\u0000b",
            "a\\nb", "a\\tb", "a\\u2028b", "\u00a0", "a+b", "a@b"})
    void eventWithForbiddenCharacterIsRejected(String event) {
        rejected("{\"event\":\"" + event + "\"}");
    }

    @Test
    void rawControlCharacterInsideAStringIsNotJson() {
        assertThat(rejected("{\"event\":\"a\u0001b\"}").id()).isNull();
        assertThat(rejected("{\"event\":\"a\",\"data\":\"x\ny\"}").id()).isNull();
    }

    @Test
    void escapedControlCharactersInDataAreAccepted() {
        Envelope e = parsed("{\"event\":\"a\",\"data\":\"\\u0000\\u001f\\n\"}");

        assertThat(((JsonString) e.data()).getString()).isEqualTo("\u0000\u001f\n");
    }

    @Test
    void badFrameKeepsTheStringIdWhenOnlyTheEventIsWrong() {
        assertThat(rejected("{\"event\":\"bad event\",\"id\":\"req-1\"}").id()).isEqualTo("\"req-1\"");
    }

    @Test
    void badFrameKeepsTheNumberIdWhenTheEventIsMissing() {
        assertThat(rejected("{\"id\":7,\"data\":{}}").id()).isEqualTo("7");
    }

    @Test
    void badFrameKeepsTheIdWhenTheEventHasTheWrongType() {
        assertThat(rejected("{\"event\":{\"x\":1},\"id\":\"k\"}").id()).isEqualTo("\"k\"");
        assertThat(rejected("{\"event\":[\"a\"],\"id\":3}").id()).isEqualTo("3");
    }

    @Test
    void badFrameKeepsTheIdWhenTheEventIsTooLong() {
        assertThat(rejected("{\"event\":\"" + "e".repeat(129) + "\",\"id\":\"x\"}").id()).isEqualTo("\"x\"");
    }

    @Test
    void badFrameKeepsAnIdOfSixtyFourCharacters() {
        String id = "i".repeat(64);
        assertThat(rejected("{\"event\":\"\",\"id\":\"" + id + "\"}").id()).isEqualTo('"' + id + '"');
    }

    @Test
    void badFrameIdIsEscapedJsonText() {
        String id = rejected("{\"event\":\"x y\",\"id\":\"q\\\"\\u2028\"}").id();

        assertThat(readValue(id)).isEqualTo(Json.createValue("q\"\u2028"));
    }

    @Test
    void parseNeverThrowsOnArbitraryPrefixesOfAValidFrame() {
        String frame = "{\"event\":\"chat:send\",\"data\":{\"a\":[1,2.5e3,\"s\\\"\\u00e9\",null,true],\"b\":{}},\"id\":\"r\"}";
        for (int i = 0; i <= frame.length(); i++) {
            String prefix = frame.substring(0, i);
            assertThatCode(() -> parser.parse(prefix)).as(prefix).doesNotThrowAnyException();
            if (i < frame.length()) {
                assertThat(parser.parse(prefix)).as(prefix).isInstanceOf(EnvelopeParser.Rejected.class);
            }
        }
        assertThat(parser.parse(frame)).isInstanceOf(EnvelopeParser.Parsed.class);
    }

    // ---- nestingWithin ----

    @Test
    void nestingWithinCountsArraysAndObjects() {
        assertThat(EnvelopeParser.nestingWithin("{\"a\":[{}]}", 3)).isTrue();
        assertThat(EnvelopeParser.nestingWithin("{\"a\":[{}]}", 2)).isFalse();
        assertThat(EnvelopeParser.nestingWithin("[[]]", 2)).isTrue();
        assertThat(EnvelopeParser.nestingWithin("[[[]]]", 2)).isFalse();
    }

    @Test
    void nestingWithinIgnoresBracketsInsideStrings() {
        assertThat(EnvelopeParser.nestingWithin("{\"a\":\"" + "[".repeat(1000) + "\"}", 1)).isTrue();
    }

    @Test
    void nestingWithinHandlesEscapedQuotesInsideStrings() {
        assertThat(EnvelopeParser.nestingWithin("{\"a\":\"\\\"[[[\"}", 1)).isTrue();
        assertThat(EnvelopeParser.nestingWithin("{\"a\":\"\\\\\",\"b\":[[]]}", 2)).isFalse();
    }

    @Test
    void nestingWithinCountsSiblingsAtTheirOwnDepth() {
        assertThat(EnvelopeParser.nestingWithin("[[],[],[],[]]", 2)).isTrue();
    }

    @Test
    void nestingWithinAcceptsTextWithoutBrackets() {
        assertThat(EnvelopeParser.nestingWithin("", 0)).isTrue();
        assertThat(EnvelopeParser.nestingWithin("42", 0)).isTrue();
    }

    private static JsonValue readValue(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }
}
