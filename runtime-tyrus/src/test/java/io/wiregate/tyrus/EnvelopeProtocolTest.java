package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.errorCode;
import static io.wiregate.testing.Wire.errorMessage;
import static io.wiregate.testing.Wire.event;
import static io.wiregate.testing.Wire.hasId;
import static io.wiregate.testing.Wire.isEvent;
import static io.wiregate.testing.Wire.obj;
import static io.wiregate.testing.Wire.violationPaths;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;
import io.wiregate.Peer;
import io.wiregate.testing.RawWebSocket;
import io.wiregate.testing.Wire;

/**
 * docs/protocol.md sections 1 to 3 and 5 on a gateway without authentication: the {@code connected} event, the
 * envelope, replies and acknowledgements, and every error code a single frame can earn.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnvelopeProtocolTest {

    /** The gateway under test: echoes, acknowledges, validates and fails on demand. */
    @Gateway(value = "/echo", heartbeatTimeoutMs = 0, defaultRooms = "lobby")
    public static class EchoGateway {

        /** Two constrained properties. */
        public record Validated(@NotBlank @Size(max = 10) String text, @NotNull @PositiveOrZero Integer count) {
        }

        /** A line of an order. */
        public record Line(@NotBlank String sku, @Min(1) int quantity) {
        }

        /** A nested payload. */
        public record Order(@NotNull @Valid Customer customer, @NotEmpty List<@Valid Line> lines) {
        }

        /** The customer of an order. */
        public record Customer(@NotBlank String name) {
        }

        /** A payload with typed properties and no constraints. */
        public record Typed(String name, int count, boolean flag, List<String> tags) {
        }

        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }

        @OnEvent("sum")
        Map<String, Integer> sum(List<Integer> numbers) {
            return Map.of("sum", numbers.stream().mapToInt(Integer::intValue).sum());
        }

        @OnEvent("void")
        void nothing(JsonValue data) {
            // answered with an ack when the frame has an id
        }

        @OnEvent("returnsNull")
        @Emit("maybe")
        String returnsNull() {
            return null;
        }

        @OnEvent("validated")
        @Emit("validated")
        Map<String, Boolean> validated(@Valid Validated payload) {
            return Map.of("ok", true);
        }

        @OnEvent("order")
        @Emit("order")
        Map<String, Integer> order(@Valid Order order) {
            return Map.of("lines", order.lines().size());
        }

        @OnEvent("typed")
        @Emit("typed")
        Typed typed(Typed payload) {
            return payload;
        }

        @OnEvent("boom")
        void boom() {
            throw new IllegalStateException("SECRET-DETAIL thrown by the handler");
        }

        @OnEvent("boomChecked")
        @Emit("never")
        String boomChecked() throws IOException {
            throw new IOException("SECRET-DETAIL checked exception");
        }

        @OnEvent("unserializable")
        @Emit("never")
        Object unserializable() {
            return new Object() {
                @SuppressWarnings("unused")
                public Object getSelf() {
                    throw new IllegalStateException("SECRET-DETAIL from a getter");
                }
            };
        }
    }

    /** A gateway with a small message size limit. */
    @Gateway(value = "/small", heartbeatTimeoutMs = 0, maxMessageBytes = 1024)
    public static class SmallGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    /** The root namespace. */
    @Gateway(value = "/", heartbeatTimeoutMs = 0)
    public static class RootGateway {
        @OnEvent("where")
        @Emit("here")
        String where(Peer peer) {
            return peer.namespace();
        }
    }

    /** A namespace with a path parameter. */
    @Gateway(value = "/rooms/{roomId}", heartbeatTimeoutMs = 0)
    public static class RoomPathGateway {
        @OnEvent("where")
        @Emit("here")
        Map<String, String> where(Peer peer) {
            return Map.of("namespace", peer.namespace(), "roomId", peer.pathParameter("roomId"));
        }
    }

    @RegisterExtension
    static final TestServer server = new TestServer(EchoGateway.class, SmallGateway.class, RootGateway.class, RoomPathGateway.class);

    // ------------------------------------------------------------------ section 1: connection

    @Test
    void connectedIsTheFirstFrameAndCarriesClientIdNullUserIdTimeAndRooms() {
        long before = System.currentTimeMillis();
        RawWebSocket client = server.open("/echo");
        JsonObject first = client.next();
        long after = System.currentTimeMillis();

        assertThat(event(first)).isEqualTo("connected");
        assertThat(first.containsKey("id")).as("connected carries no frame id").isFalse();
        JsonObject data = data(first).asJsonObject();
        assertThat(data.keySet()).contains("id", "userId", "time", "rooms");
        assertThat(data.getString("id")).isNotBlank();
        assertThat(data.get("userId")).as("userId is present and null when anonymous").isEqualTo(JsonValue.NULL);
        assertThat(((JsonNumber) data.get("time")).longValueExact()).isBetween(before - 1000, after + 1000);
        assertThat(Wire.rooms(first)).as("default rooms").contains("lobby");
        assertThat(client.received()).hasSize(1);
    }

    @Test
    void clientIdsAreUniqueAcrossConnectionsAndNeverReused() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            RawWebSocket client = server.open("/echo");
            String id = data(client.next(isEvent("connected"))).asJsonObject().getString("id");
            assertThat(ids.add(id)).as("id %s is new", id).isTrue();
            client.close(); // a closed client's id is not reused either
        }
    }

    @Test
    void unknownPathGetsHttp404AndNoUpgrade() throws IOException {
        assertThat(server.handshakeStatus("/nowhere")).isEqualTo(404);
        assertThat(server.handshakeStatus("/echo/deeper")).isEqualTo(404);
        assertThat(server.handshakeStatus("/echo")).as("a known path upgrades").isEqualTo(101);
    }

    @Test
    void rootNamespaceIsReachable() {
        RawWebSocket client = server.connected("/");
        client.send("{'event':'where','id':'w'}");
        assertThat(client.next(hasId("w"))).isEqualTo(obj("{'event':'here','data':'/','id':'w'}"));
    }

    @Test
    void namespaceWithAPathParameterIsReachableAtEachConcretePath() throws IOException {
        RawWebSocket client = server.connected("/rooms/kitchen");
        client.send("{'event':'where','id':'w'}");
        assertThat(client.next(hasId("w")))
                .isEqualTo(obj("{'event':'here','data':{'namespace':'/rooms/{roomId}','roomId':'kitchen'},'id':'w'}"));

        RawWebSocket encoded = server.connected("/rooms/living%20room");
        encoded.send("{'event':'where','id':'w'}");
        assertThat(Wire.data(encoded.next(hasId("w"))).asJsonObject().getString("roomId")).isEqualTo("living room");

        assertThat(server.handshakeStatus("/rooms")).isEqualTo(404);
        assertThat(server.handshakeStatus("/rooms/a/b")).isEqualTo(404);
    }

    // ------------------------------------------------------------------ section 3: replies

    @Test
    void frameWithStringIdIsAnsweredWithTheEmitEventAndTheSameId() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'echo','data':{'text':'hi','n':[1,2]},'id':'e-1'}");
        assertThat(client.next(hasId("e-1"))).isEqualTo(obj("{'event':'echo','data':{'text':'hi','n':[1,2]},'id':'e-1'}"));
    }

    @Test
    void numberIdComesBackAsANumber() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'echo','data':'a','id':42}");
        JsonObject reply = client.next(isEvent("echo"));
        assertThat(reply.get("id")).isInstanceOf(JsonNumber.class);
        assertThat(reply).isEqualTo(obj("{'event':'echo','data':'a','id':42}"));

        for (String id : List.of("-7", "1.5", "1e3", "0")) {
            client.send("{'event':'echo','data':'n','id':" + id + "}");
            JsonValue echoed = client.next(isEvent("echo")).get("id");
            assertThat(echoed).as(id).isInstanceOf(JsonNumber.class);
            assertThat(((JsonNumber) echoed).bigDecimalValue()).as(id).isEqualByComparingTo(new java.math.BigDecimal(id));
        }

        client.send("{'event':'void','id':12345678901234567890}");
        JsonObject ack = client.next(isEvent("ack"));
        assertThat(ack.get("id")).isInstanceOf(JsonNumber.class);
        assertThat(((JsonNumber) ack.get("id")).bigIntegerValue()).hasToString("12345678901234567890");
    }

    @Test
    void frameWithoutIdGetsTheDeclaredReplyWithoutId() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'echo','data':[true,null]}");
        JsonObject reply = client.next(isEvent("echo"));
        assertThat(reply).isEqualTo(obj("{'event':'echo','data':[true,null]}"));
        assertThat(reply.containsKey("id")).isFalse();
    }

    @Test
    void absentDataMeansNull() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'echo','id':'n'}");
        JsonObject reply = client.next(hasId("n"));
        assertThat(reply).isEqualTo(obj("{'event':'echo','data':null,'id':'n'}"));
    }

    @Test
    void unknownTopLevelFieldsAreIgnored() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'echo','data':1,'id':'u','extra':{'x':[1]},'v':2}");
        assertThat(client.next(hasId("u"))).isEqualTo(obj("{'event':'echo','data':1,'id':'u'}"));
    }

    @Test
    void voidHandlerIsAnsweredWithAnAckOnlyWhenTheFrameHasAnId() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'void','data':{'a':1},'id':'v-1'}");
        JsonObject ack = client.next(hasId("v-1"));
        assertThat(event(ack)).isEqualTo("ack");
        assertThat(ack.keySet()).isSubsetOf("event", "id", "data");
        assertThat(data(ack)).as("an ack of a void handler carries no data").isEqualTo(JsonValue.NULL);

        client.send("{'event':'void','data':{'a':1}}");
        assertThat(client.sync()).as("a void handler's frame without id gets nothing").isEmpty();
    }

    @Test
    void handlerWithoutEmitAnswersItsResultAsAckWithTheId() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'sum','data':[1,2,3],'id':'s'}");
        assertThat(client.next(hasId("s"))).isEqualTo(obj("{'event':'ack','data':{'sum':6},'id':'s'}"));

        client.send("{'event':'sum','data':[1,2,3]}");
        assertThat(client.sync()).as("no id and no declared reply: no answer").isEmpty();
    }

    @Test
    void emitHandlerReturningNullStillAnswersTheFrameOnce() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'returnsNull','id':'rn'}");
        JsonObject answer = client.next(hasId("rn"));
        assertThat(event(answer)).isIn("maybe", "ack");
        assertThat(client.sync()).isEmpty();
        assertThat(client.received().stream().filter(hasId("rn"))).hasSize(1);
    }

    @Test
    void heartbeatGetsNoReplyWithoutIdAndAnAckWithId() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'heartbeat'}");
        assertThat(client.sync()).isEmpty();
        client.send("{'event':'heartbeat','id':'hb'}");
        JsonObject ack = client.next(hasId("hb"));
        assertThat(event(ack)).isEqualTo("ack");
        assertThat(data(ack)).isEqualTo(JsonValue.NULL);
    }

    @Test
    void frameWithIdIsAnsweredExactlyOnce() {
        RawWebSocket client = server.connected("/echo");
        List<String> frames = List.of(
                "{'event':'echo','data':1,'id':'x1'}",
                "{'event':'void','id':'x2'}",
                "{'event':'sum','data':[1],'id':'x3'}",
                "{'event':'returnsNull','id':'x4'}",
                "{'event':'validated','data':{'text':'','count':-1},'id':'x5'}",
                "{'event':'validated','data':{'text':'ok','count':1},'id':'x6'}",
                "{'event':'typed','data':{'count':'many'},'id':'x7'}",
                "{'event':'boom','id':'x8'}",
                "{'event':'boomChecked','id':'x9'}",
                "{'event':'unserializable','id':'x10'}",
                "{'event':'nobodyHandlesThis','id':'x11'}",
                "{'event':'bad event','id':'x12'}",
                "{'event':7,'id':'x13'}",
                "{'id':'x14'}",
                "{'event':'heartbeat','id':'x15'}",
                "{'event':'join','data':{'rooms':['r1']},'id':'x16'}",
                "{'event':'join','data':{'rooms':'r1'},'id':'x17'}",
                "{'event':'leave','data':{'rooms':['r1']},'id':'x18'}",
                "{'event':'authenticate','data':{},'id':'x19'}",
                "{'event':'sum','data':'not a list','id':'x20'}");
        for (String frame : frames) {
            client.send(frame);
        }
        assertThat(client.sync()).hasSizeGreaterThanOrEqualTo(frames.size());
        Map<String, Integer> answers = new HashMap<>();
        for (JsonObject f : client.received()) {
            if (f.get("id") instanceof JsonString s) {
                answers.merge(s.getString(), 1, Integer::sum);
            }
        }
        for (int i = 1; i <= frames.size(); i++) {
            assertThat(answers.get("x" + i)).as("answers to %s", frames.get(i - 1)).isEqualTo(1);
        }
    }

    @Test
    void repliesComeBackInTheOrderOfTheFrames() {
        RawWebSocket client = server.connected("/echo");
        for (int i = 0; i < 200; i++) {
            client.send("{'event':'echo','data':" + i + ",'id':" + i + "}");
        }
        for (int i = 0; i < 200; i++) {
            JsonObject reply = client.next(isEvent("echo"));
            assertThat(reply).isEqualTo(obj("{'event':'echo','data':" + i + ",'id':" + i + "}"));
        }
    }

    // ------------------------------------------------------------------ section 5: errors

    @Test
    void unknownEventIsAnsweredWithUnknownEventAndTheSameId() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'nobodyHandlesThis','data':{},'id':'u1'}");
        JsonObject error = client.next(hasId("u1"));
        assertThat(event(error)).isEqualTo("error");
        assertThat(errorCode(error)).isEqualTo("unknown_event");
        assertThat(errorMessage(error)).isNotNull();

        client.send("{'event':'nobodyHandlesThis'}");
        JsonObject withoutId = client.next(isEvent("error"));
        assertThat(errorCode(withoutId)).isEqualTo("unknown_event");
        assertThat(withoutId.containsKey("id")).isFalse();
        assertEchoWorks(client);
    }

    static Stream<String> badFramesWithoutAWellFormedId() {
        return Stream.of(
                "{oops",
                "",
                "   ",
                "null",
                "42",
                "'just a string'",
                "[{'event':'echo'}]",
                "{}",
                "{'data':1}",
                "{'event':null}",
                "{'event':''}",
                "{'event':'has space'}",
                "{'event':'caf\u00e9'}",
                "{'event':['echo']}",
                "{'event':'" + "a".repeat(129) + "'}",
                "{'event':'echo','id':{'nested':1}}",
                "{'event':'echo','id':true}",
                "{'event':'echo','id':[1]}",
                "{'event':'echo','id':'" + "i".repeat(65) + "'}",
                "{'event':'echo','data':" + "[".repeat(100) + "]".repeat(100) + "}");
    }

    @ParameterizedTest
    @MethodSource("badFramesWithoutAWellFormedId")
    void badFrameIsAnsweredWithBadFrameWithoutIdAndKeepsTheConnectionOpen(String frame) {
        RawWebSocket client = server.connected("/echo");
        client.sendRaw(Wire.json(frame));
        JsonObject error = client.next(isEvent("error"));
        assertThat(errorCode(error)).isEqualTo("bad_frame");
        assertThat(error.containsKey("id")).as("no well-formed id to carry").isFalse();
        assertEchoWorks(client);
        assertThat(client.isClosed()).isFalse();
    }

    static Stream<String> framesWithAWellFormedIdAndABadEvent() {
        return Stream.of(
                "{'id':'b1'}",
                "{'event':null,'id':'b1'}",
                "{'event':7,'id':'b1'}",
                "{'event':{'name':'echo'},'id':'b1'}",
                "{'event':'','id':'b1'}",
                "{'event':'not valid!','id':'b1'}",
                "{'event':'" + "a".repeat(129) + "','id':'b1'}");
    }

    @ParameterizedTest
    @MethodSource("framesWithAWellFormedIdAndABadEvent")
    void badFrameCarriesTheIdWhenTheIdIsWellFormed(String frame) {
        RawWebSocket client = server.connected("/echo");
        client.send(frame);
        JsonObject error = client.next(isEvent("error"));
        assertThat(errorCode(error)).isEqualTo("bad_frame");
        assertThat(error.get("id")).isEqualTo(Wire.id("b1"));
        assertEchoWorks(client);
    }

    @Test
    void textWithTrailingGarbageAfterTheObjectIsABadFrame() {
        RawWebSocket client = server.connected("/echo");
        client.sendRaw("{\"event\":\"echo\",\"data\":1,\"id\":\"t1\"}trailing");
        client.sendRaw("{\"event\":\"echo\",\"data\":2,\"id\":\"t2\"}{\"event\":\"echo\",\"data\":3}");
        List<JsonObject> answers = client.sync();
        assertThat(answers).as("each frame is not JSON: two bad_frame errors, no echo")
                .hasSize(2).allMatch(f -> "bad_frame".equals(errorCode(f)));
    }

    @Test
    void badFrameCarriesANumberIdAsANumber() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':false,'id':77}");
        JsonObject error = client.next(isEvent("error"));
        assertThat(errorCode(error)).isEqualTo("bad_frame");
        assertThat(error.get("id")).isInstanceOf(JsonNumber.class).isEqualTo(Wire.id(77));
    }

    @Test
    void eventOf128CharactersAndIdOf64CharactersAreWithinBounds() {
        RawWebSocket client = server.connected("/echo");
        String event = "e".repeat(128);
        String id = "i".repeat(64);
        client.send("{'event':'" + event + "','id':'" + id + "'}");
        JsonObject error = client.next(hasId(id));
        assertThat(errorCode(error)).as("a valid but unhandled event").isEqualTo("unknown_event");

        client.send("{'event':'Az09_.:/-','id':'chars'}");
        assertThat(errorCode(client.next(hasId("chars")))).as("every allowed character").isEqualTo("unknown_event");
    }

    @Test
    void validationErrorListsOneViolationPerBadProperty() {
        RawWebSocket client = server.connected("/echo");
        // text breaks two constraints (blank, longer than 10) but is one property: one violation for it.
        client.send("{'event':'validated','data':{'text':'           ','count':-1},'id':'v'}");
        JsonObject error = client.next(hasId("v"));
        assertThat(event(error)).isEqualTo("error");
        assertThat(errorCode(error)).isEqualTo("validation");
        assertThat(violationPaths(error)).containsExactlyInAnyOrder("text", "count");
        assertThat(Wire.violations(error)).allSatisfy(v -> assertThat(v.asJsonObject().getString("message")).isNotBlank());

        client.send("{'event':'validated','data':{'text':'fine'},'id':'v2'}");
        assertThat(violationPaths(client.next(hasId("v2")))).containsExactly("count");

        client.send("{'event':'validated','data':{'text':'fine','count':0},'id':'v3'}");
        assertThat(client.next(hasId("v3"))).isEqualTo(obj("{'event':'validated','data':{'ok':true},'id':'v3'}"));
    }

    @Test
    void validationPathsOfNestedPropertiesAreRelativeToThePayload() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'order','data':{'customer':{'name':''},"
                + "'lines':[{'sku':'a','quantity':1},{'sku':'','quantity':0}]},'id':'o'}");
        JsonObject error = client.next(hasId("o"));
        assertThat(errorCode(error)).isEqualTo("validation");
        assertThat(violationPaths(error)).containsExactlyInAnyOrder("customer.name", "lines[1].sku", "lines[1].quantity");

        client.send("{'event':'order','data':{'lines':[]},'id':'o2'}");
        assertThat(violationPaths(client.next(hasId("o2")))).containsExactlyInAnyOrder("customer", "lines");
    }

    @Test
    void propertyOfTheWrongJsonTypeIsAValidationErrorNamingIt() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'typed','data':{'name':'n','count':'many','flag':true},'id':'t'}");
        JsonObject error = client.next(hasId("t"));
        assertThat(errorCode(error)).isEqualTo("validation");
        assertThat(violationPaths(error)).containsExactly("count");

        client.send("{'event':'typed','data':{'name':'n','count':{'a':1},'tags':'not-a-list'},'id':'t1'}");
        assertThat(violationPaths(client.next(hasId("t1")))).containsExactlyInAnyOrder("count", "tags");

        client.send("{'event':'typed','data':{'name':'n','count':3,'flag':true,'tags':['a']},'id':'t2'}");
        assertThat(client.next(hasId("t2")))
                .isEqualTo(obj("{'event':'typed','data':{'name':'n','count':3,'flag':true,'tags':['a']},'id':'t2'}"));
    }

    @Test
    void stringForABooleanPropertyIsAValidationErrorNotASilentFalse() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'typed','data':{'name':'n','count':1,'flag':'yes','tags':[]},'id':'b'}");
        JsonObject answer = client.next(hasId("b"));
        assertThat(answer).as("'yes' does not bind to a boolean").isNotEqualTo(
                obj("{'event':'typed','data':{'name':'n','count':1,'flag':false,'tags':[]},'id':'b'}"));
        assertThat(errorCode(answer)).isEqualTo("validation");
        assertThat(violationPaths(answer)).containsExactly("flag");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "'a string'", "7", "true"})
    void payloadThatDoesNotBindAsAWholeIsAValidationErrorWithEmptyPath(String payload) {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'typed','data':" + payload + ",'id':'w'}");
        JsonObject error = client.next(hasId("w"));
        assertThat(errorCode(error)).isEqualTo("validation");
        assertThat(violationPaths(error)).containsExactly("");
        assertEchoWorks(client);
    }

    @Test
    void listPayloadOfTheWrongTypeIsAValidationError() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'sum','data':{'not':'a list'},'id':'l'}");
        JsonObject error = client.next(hasId("l"));
        assertThat(errorCode(error)).isEqualTo("validation");
        assertThat(violationPaths(error)).containsExactly("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"boom", "boomChecked", "unserializable"})
    void handlerFailureIsAnsweredWithInternalAndNoExceptionText(String event) {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'" + event + "','id':'f'}");
        JsonObject error = client.next(hasId("f"));
        assertThat(event(error)).isEqualTo("error");
        assertThat(errorCode(error)).isEqualTo("internal");
        String text = client.receivedText().get(client.receivedText().size() - 1);
        assertThat(text).doesNotContain("SECRET", "Exception", "java.", "io.wiregate", "\tat ", "boom");
        assertEchoWorks(client);
    }

    @Test
    void handlerFailureWithoutIdIsStillReportedAsInternal() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'boom'}");
        JsonObject error = client.next(isEvent("error"));
        assertThat(errorCode(error)).isEqualTo("internal");
        assertThat(error.containsKey("id")).isFalse();
    }

    @Test
    void binaryFrameIsAnsweredWithUnsupportedAndKeepsTheConnectionOpen() {
        RawWebSocket client = server.connected("/echo");
        client.sendBinary(new byte[] {1, 2, 3});
        JsonObject error = client.next(isEvent("error"));
        assertThat(errorCode(error)).isEqualTo("unsupported");
        assertEchoWorks(client);
        assertThat(client.binaryFramesReceived()).isZero();
    }

    @Test
    void failingFramesNeverAffectAnotherClient() {
        RawWebSocket victim = server.connected("/echo");
        RawWebSocket other = server.connected("/echo");
        other.sendRaw("{not json");
        other.send("{'event':'boom','id':1}");
        other.sendBinary(new byte[] {9});
        other.send("{'event':'typed','data':[],'id':2}");
        other.sync();
        assertThat(victim.sync()).isEmpty();
        assertEchoWorks(victim);
    }

    // ------------------------------------------------------------------ section 2: size

    @Test
    void frameAtTheSizeLimitIsAccepted() {
        RawWebSocket client = server.connected("/small");
        String frame = frameOfBytes(1024, 'x');
        assertThat(frame.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
        client.sendRaw(frame);
        assertThat(event(client.next(hasId("big")))).isEqualTo("echo");
    }

    @Test
    void textFrameLargerThanTheSizeLimitClosesWith1009() {
        RawWebSocket client = server.connected("/small");
        client.sendRaw(frameOfBytes(1025, 'x'));
        assertThat(client.awaitClose()).isEqualTo(1009);
        assertDisconnectIfAnyCarries(client, 1009);
    }

    @Test
    void sizeLimitCountsUtf8BytesNotCharacters() {
        RawWebSocket client = server.connected("/small");
        // 400 characters, 1200 bytes: over the limit of 1024 bytes.
        client.sendRaw("{\"event\":\"echo\",\"data\":\"" + "\u20ac".repeat(400) + "\"}");
        assertThat(client.awaitClose()).isEqualTo(1009);
    }

    @Test
    void binaryFrameLargerThanTheSizeLimitClosesWith1009() {
        RawWebSocket client = server.connected("/small");
        client.sendBinary(new byte[4096]);
        assertThat(client.awaitClose()).isEqualTo(1009);
    }

    @Test
    void frameFarLargerThanTheSizeLimitClosesWith1009() {
        // Written as raw bytes: a client library that sees its connection closed while it still sends may
        // report an error (1006) instead of the close frame the server sent.
        RawWebSocket client = server.open("/small");
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(RawWebSocket.textFrameHeader(512 * 1024));
        frame.writeBytes(frameOfBytes(512 * 1024, 'y').getBytes(StandardCharsets.US_ASCII));
        client.sendBytes(frame.toByteArray());

        assertThat(client.awaitClose(Duration.ofSeconds(10))).as("the code of the server's close frame").isEqualTo(1009);
    }

    @Test
    void defaultSizeLimitIs64KiB() {
        RawWebSocket ok = server.connected("/echo");
        ok.sendRaw(frameOfBytes(65536, 'z'));
        assertThat(event(ok.next(hasId("big")))).isEqualTo("echo");

        RawWebSocket tooBig = server.connected("/echo");
        tooBig.sendRaw(frameOfBytes(65537, 'z'));
        assertThat(tooBig.awaitClose()).isEqualTo(1009);
    }

    // ------------------------------------------------------------------ disconnect

    @Test
    void clientDisconnectEventClosesTheConnectionNormally() {
        RawWebSocket client = server.connected("/echo");
        client.send("{'event':'disconnect','data':{'code':1000,'reason':'bye'}}");
        assertThat(client.awaitClose()).isEqualTo(1000);
    }

    // ------------------------------------------------------------------ helpers

    /** An echo frame with id {@code "big"} of exactly {@code bytes} bytes of UTF-8. */
    static String frameOfBytes(int bytes, char filler) {
        String head = "{\"event\":\"echo\",\"id\":\"big\",\"data\":\"";
        String tail = "\"}";
        return head + String.valueOf(filler).repeat(bytes - head.length() - tail.length()) + tail;
    }

    static void assertEchoWorks(RawWebSocket client) {
        String id = "alive-" + System.nanoTime();
        client.send("{'event':'echo','data':'still here','id':'" + id + "'}");
        assertThat(client.next(hasId(id))).isEqualTo(obj("{'event':'echo','data':'still here','id':'" + id + "'}"));
    }

    /** A {@code disconnect} before a server-side close is optional; when sent, its code is the close code. */
    static void assertDisconnectIfAnyCarries(RawWebSocket client, int code) {
        List<JsonObject> disconnects = new ArrayList<>(client.received().stream().filter(isEvent("disconnect")).toList());
        assertThat(disconnects).hasSizeLessThanOrEqualTo(1);
        for (JsonObject d : disconnects) {
            assertThat(data(d).asJsonObject().getInt("code")).isEqualTo(code);
            assertThat(data(d).asJsonObject().get("reason")).isInstanceOf(JsonString.class);
        }
    }
}
