package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.StringReader;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.annotation.JsonbProperty;

import io.wiregate.protocol.Violation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PayloadBinderTest {

    public record Message(String text, int count) {
    }

    public record Flags(String text, int count, boolean flag) {
    }

    public record Renamed(@JsonbProperty("user_name") String userName, long age) {
    }

    public record Nested(Message message, List<Message> history) {
    }

    public static class Bean {
        public String name;
        public int size;

        public Bean() {
        }
    }

    /** Generic types to bind to. */
    static List<Message> listOfMessages;
    static Map<String, Integer> mapOfInts;

    private static final Jsonb JSONB = JsonbBuilder.create();
    private final PayloadBinder binder = new PayloadBinder(JSONB);

    @AfterAll
    static void closeJsonb() throws Exception {
        JSONB.close();
    }

    private static JsonValue json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    private static Type fieldType(String name) throws NoSuchFieldException {
        return PayloadBinderTest.class.getDeclaredField(name).getGenericType();
    }

    private List<Violation> violations(JsonValue data, Type type) {
        try {
            Object bound = binder.bind(data, type);
            throw new AssertionError(data + " bound to " + type + " as " + bound + " instead of failing");
        } catch (BindingException e) {
            return e.violations();
        }
    }

    // ---- binding ----

    @Test
    void bindsARecord() throws Exception {
        assertThat(binder.bind(json("{\"text\":\"hi\",\"count\":3}"), Message.class)).isEqualTo(new Message("hi", 3));
    }

    @Test
    void bindsARecordIgnoringUnknownProperties() throws Exception {
        assertThat(binder.bind(json("{\"text\":\"hi\",\"count\":3,\"other\":[1]}"), Message.class))
                .isEqualTo(new Message("hi", 3));
    }

    @Test
    void bindsNestedRecordsAndLists() throws Exception {
        Object bound = binder.bind(json("{\"message\":{\"text\":\"a\",\"count\":1},\"history\":[{\"text\":\"b\",\"count\":2}]}"),
                Nested.class);

        assertThat(bound).isEqualTo(new Nested(new Message("a", 1), List.of(new Message("b", 2))));
    }

    @Test
    void bindsAClassWithPublicFields() throws Exception {
        Bean bean = (Bean) binder.bind(json("{\"name\":\"n\",\"size\":4}"), Bean.class);

        assertThat(bean.name).isEqualTo("n");
        assertThat(bean.size).isEqualTo(4);
    }

    @Test
    void bindsGenericCollections() throws Exception {
        assertThat(binder.bind(json("[{\"text\":\"a\",\"count\":1}]"), fieldType("listOfMessages")))
                .isEqualTo(List.of(new Message("a", 1)));
        assertThat(binder.bind(json("{\"a\":1,\"b\":2}"), fieldType("mapOfInts"))).isEqualTo(Map.of("a", 1, "b", 2));
    }

    @Test
    void bindsSimpleTypes() throws Exception {
        assertThat(binder.bind(json("\"hello\""), String.class)).isEqualTo("hello");
        assertThat(binder.bind(json("42"), int.class)).isEqualTo(42);
        assertThat(binder.bind(json("true"), Boolean.class)).isEqualTo(true);
        assertThat(binder.bind(json("1.25"), BigDecimal.class)).isEqualTo(new BigDecimal("1.25"));
    }

    @Test
    void bindsAStringWithEscapesToItsValue() throws Exception {
        assertThat(binder.bind(Json.createValue("a\"b\\c\u2028"), String.class)).isEqualTo("a\"b\\c\u2028");
    }

    @Test
    void jsonObjectPassesThroughUntouched() throws Exception {
        JsonObject data = json("{\"any\":[1,{\"x\":null}]}").asJsonObject();

        assertThat(binder.bind(data, JsonObject.class)).isSameAs(data);
        assertThat(binder.bind(data, JsonValue.class)).isSameAs(data);
    }

    @Test
    void jsonArrayStringAndNumberPassThroughUntouched() throws Exception {
        JsonValue array = json("[1,2]");
        JsonValue string = Json.createValue("s");
        JsonValue number = json("1e999999999");

        assertThat(binder.bind(array, JsonArray.class)).isSameAs(array);
        assertThat(binder.bind(string, JsonString.class)).isSameAs(string);
        assertThat(binder.bind(number, JsonNumber.class)).isSameAs(number);
    }

    @Test
    void jsonNullBindsToJsonValueAsNullValueAndToJsonObjectAsNull() throws Exception {
        assertThat(binder.bind(JsonValue.NULL, JsonValue.class)).isSameAs(JsonValue.NULL);
        assertThat(binder.bind(JsonValue.NULL, JsonObject.class)).isNull();
    }

    @Test
    void jsonNullBindsToARecordAsNull() throws Exception {
        assertThat(binder.bind(JsonValue.NULL, Message.class)).isNull();
    }

    // ---- violations ----

    @Test
    void wrongJsonTypeForAJsonObjectParameterIsOneViolationOfThePayload() {
        assertThat(violations(Json.createValue("s"), JsonObject.class)).containsExactly(new Violation("", "must be an object"));
        assertThat(violations(json("{}"), JsonArray.class)).containsExactly(new Violation("", "must be an array"));
        assertThat(violations(json("[]"), JsonNumber.class)).containsExactly(new Violation("", "must be a number"));
    }

    @Test
    void wrongTypedPropertyYieldsExactlyOneViolationNamedByTheProperty() {
        List<Violation> violations = violations(json("{\"text\":\"hi\",\"count\":\"many\"}"), Message.class);

        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).path()).isEqualTo("count");
        assertThat(violations.get(0).message()).isEqualTo("must be an integer");
    }

    @Test
    void objectWhereAStringIsExpectedIsAViolationOfThatProperty() {
        assertThat(violations(json("{\"text\":{\"a\":1},\"count\":1}"), Message.class))
                .containsExactly(new Violation("text", "must be a string"));
    }

    @Test
    void everyWrongTypedPropertyIsAViolation() {
        List<Violation> violations = violations(json("{\"text\":{},\"count\":{},\"flag\":{\"b\":true}}"), Flags.class);

        assertThat(violations).extracting(Violation::path).containsExactlyInAnyOrder("text", "count", "flag");
        assertThat(violations).contains(new Violation("flag", "must be a boolean"));
    }

    @Test
    void bindsARecordWithARenamedProperty() throws Exception {
        assertThat(binder.bind(json("{\"user_name\":\"a\",\"age\":3}"), Renamed.class)).isEqualTo(new Renamed("a", 3));
    }

    @Test
    void wrongTypedPropertyBesideARenamedOneIsNamedByItsJsonName() {
        assertThat(violations(json("{\"user_name\":\"a\",\"age\":\"old\"}"), Renamed.class))
                .containsExactly(new Violation("age", "must be an integer"));
    }

    @Test
    void violationPathOfARenamedRecordComponentIsItsJsonName() {
        assertThat(violations(json("{\"user_name\":{},\"age\":3}"), Renamed.class))
                .containsExactly(new Violation("user_name", "must be a string"));
    }

    @Test
    void wrongTypedPropertyOfAClassIsAViolationNamedByTheField() {
        assertThat(violations(json("{\"name\":\"n\",\"size\":\"big\"}"), Bean.class))
                .containsExactly(new Violation("size", "must be an integer"));
    }

    @Test
    void nonObjectPayloadForARecordIsOneViolationWithEmptyPath() {
        for (String data : List.of("\"text\"", "42", "[1,2]", "true")) {
            List<Violation> violations = violations(json(data), Message.class);
            assertThat(violations).as(data).hasSize(1);
            assertThat(violations.get(0).path()).as(data).isEmpty();
        }
    }

    @Test
    void wrongPayloadForASimpleTypeIsOneViolationWithEmptyPath() {
        assertThat(violations(json("{\"a\":1}"), int.class)).containsExactly(new Violation("", "must be an integer"));
        assertThat(violations(json("{\"a\":1}"), String.class)).containsExactly(new Violation("", "must be a string"));
    }

    @Test
    void hugeNumberNeverHangsTheBinder() {
        JsonValue huge = json("1e999999999");

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (Class<?> type : List.of(int.class, long.class, double.class, short.class, java.math.BigInteger.class,
                    BigDecimal.class, String.class, Message.class)) {
                try {
                    binder.bind(huge, type);
                } catch (BindingException expected) {
                    // refusing is fine; hanging or throwing anything else is not
                }
            }
            try {
                binder.bind(json("{\"text\":\"a\",\"count\":1e999999999}"), Message.class);
            } catch (BindingException expected) {
                // refusing is fine
            }
        });
    }

    @Test
    void numberOutOfIntRangeForAnIntPropertyIsAViolationNotAWrappedValue() {
        assertThat(violations(json("{\"text\":\"a\",\"count\":2147483648}"), Message.class))
                .extracting(Violation::path).containsExactly("count");
    }

    @Test
    void missingPayloadForAPrimitiveParameterIsAViolation() {
        assertThat(violations(JsonValue.NULL, int.class)).extracting(Violation::path).containsExactly("");
    }

    @Test
    void violationsCannotBeModified() {
        List<Violation> violations = violations(json("\"x\""), Message.class);

        assertThatThrownBy(() -> violations.add(new Violation("a", "b"))).isInstanceOf(UnsupportedOperationException.class);
    }

    // ---- toJson ----

    @Test
    void toJsonOfAJsonValueIsItsText() {
        for (String text : List.of("{\"a\":[1,2,{\"b\":null}]}", "[true,false]", "\"q\\\"\"", "1E+999999999", "null", "-0.5")) {
            JsonValue value = json(text);
            assertThat(binder.toJson(value)).isEqualTo(value.toString());
        }
    }

    @Test
    void toJsonOfNullIsNullLiteral() {
        assertThat(binder.toJson(null)).isEqualTo("null");
    }

    @Test
    void toJsonOfARecordIsItsJsonObject() {
        assertThat(json(binder.toJson(new Message("hi \"you\"", 2))))
                .isEqualTo(Json.createObjectBuilder().add("text", "hi \"you\"").add("count", 2).build());
    }

    @Test
    void toJsonOfAStringIsAJsonString() {
        assertThat(json(binder.toJson("a\"b"))).isEqualTo(Json.createValue("a\"b"));
    }
}
