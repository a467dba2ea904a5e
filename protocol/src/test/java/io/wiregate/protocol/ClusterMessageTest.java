package io.wiregate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import jakarta.json.Json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterMessageTest {

    @Test
    void everyTargetKindSurvivesTheRoundTrip() throws Exception {
        for (ClusterMessage m : new ClusterMessage[] {
                new ClusterMessage("node-1", "/chat", Target.all(), "news", "{\"a\":[1,2.50,\"x\"]}", false),
                new ClusterMessage("node-1", "/rooms/{roomId}", Target.room("lobby").except("c1", "c2"), "said", "\"hi\"", false),
                new ClusterMessage("node-1", null, Target.user("alice"), "dm", "null", true),
                new ClusterMessage("node-1", "/chat", Target.client("client-\"1\""), "direct", "42", false)}) {
            assertThat(ClusterMessage.parse(m.toJson())).isEqualTo(m);
        }
    }

    @Test
    void writesExactlyTheSection8Shape() {
        ClusterMessage m = new ClusterMessage("node-uuid", "/chat", Target.room("lobby").except("c1"), "messageCreated",
                "{\"any\":\"json\"}", false);
        assertThat(m.toJson()).isEqualTo("{\"serverId\":\"node-uuid\",\"type\":\"room\","
                + "\"namespace\":\"/chat\",\"target\":\"lobby\",\"event\":\"messageCreated\",\"data\":{\"any\":\"json\"},"
                + "\"exclude\":[\"c1\"]}");
        ClusterMessage all = new ClusterMessage(ClusterMessage.EMITTER_SERVER_ID, null, Target.all(), "e", "null", false);
        assertThat(all.toJson()).isEqualTo("{\"serverId\":\"emitter\",\"type\":\"broadcast\",\"event\":\"e\",\"data\":null}");
        ClusterMessage user = new ClusterMessage("n", null, Target.user("u\n"), "e", "1", true);
        assertThat(user.toJson()).isEqualTo(
                "{\"serverId\":\"n\",\"type\":\"user\",\"target\":\"u\\n\",\"event\":\"e\",\"data\":1,\"volatile\":true}");
    }

    @Test
    void aMessageNeedsATargetAnEventAndDataAndAServerIdToBeWritten() {
        assertThatThrownBy(() -> new ClusterMessage("n", null, null, "e", "1", false)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ClusterMessage("n", null, Target.all(), null, "1", false)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ClusterMessage("n", null, Target.all(), "e", null, false)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ClusterMessage(null, null, Target.all(), "e", "1", false).toJson())
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void aJsonPValueIsWrittenAsDataIsRead() throws Exception {
        assertThat(ClusterMessage.dataJson(null)).isEqualTo("null");
        assertThat(ClusterMessage.dataJson(jakarta.json.JsonValue.NULL)).isEqualTo("null");
        assertThat(ClusterMessage.dataJson(Json.createObjectBuilder().add("s", "\u00e9").add("n", 1).build()))
                .isEqualTo("{\"s\":\"\u00e9\",\"n\":1}");
        String read = ClusterMessage.parse("{\"type\":\"broadcast\",\"event\":\"e\",\"data\":{\"s\":\"\u00e9\",\"n\":1}}").dataJson();
        assertThat(read).isEqualTo("{\"s\":\"\u00e9\",\"n\":1}");
    }

    @Test
    void aMessageWithoutNamespaceIsForEveryGatewayAndOptionalFieldsDefault() throws Exception {
        ClusterMessage m = ClusterMessage.parse("{\"type\":\"user\",\"target\":\"bob\",\"event\":\"ping\"}");
        assertThat(m).isEqualTo(new ClusterMessage(null, null, Target.user("bob"), "ping", "null", false));
    }

    @Test
    void dataIsKeptAsJsonTextAndUnknownFieldsAreIgnored() throws Exception {
        ClusterMessage m = ClusterMessage.parse("{\"serverId\":\"emitter\",\"type\":\"broadcast\",\"namespace\":\"/n\","
                + "\"event\":\"e\",\"data\":{\"s\":\"\\u00e9\\n\",\"n\":1.0e3,\"b\":[true,null]},\"extra\":{\"x\":1},\"target\":null}");
        assertThat(m.dataJson()).isEqualTo("{\"s\":\"é\\n\",\"n\":1.0E+3,\"b\":[true,null]}");
        assertThat(m.target()).isEqualTo(Target.all());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json at all",
            "",
            "[1,2,3]",
            "\"a string\"",
            "42",
            "null",
            "{\"serverId\":\"emitter\",\"type\":\"broadcast\",\"namespace\":\"/s\",\"event\":\"bad\",\"data\":{\"m\":1}", // truncated
            "{\"type\":\"broadcast\",\"event\":\"e\"} trailing",
            "{\"type\":\"broadcast\",\"namespace\":42,\"event\":\"e\"}",
            "{\"type\":\"broadcast\",\"namespace\":null,\"event\":\"e\"}",
            "{\"type\":\"broadcast\",\"namespace\":[\"/a\"],\"event\":\"e\"}",
            "{\"type\":\"galaxy\",\"event\":\"e\"}",
            "{\"type\":42,\"event\":\"e\"}",
            "{\"event\":\"e\"}",
            "{\"type\":\"broadcast\"}",
            "{\"type\":\"broadcast\",\"event\":42}",
            "{\"type\":\"broadcast\",\"event\":\"\"}",
            "{\"type\":\"broadcast\",\"event\":\"has space\"}",
            "{\"type\":\"broadcast\",\"event\":\"ok\",\"target\":42}",
            "{\"type\":\"room\",\"event\":\"e\"}",
            "{\"type\":\"room\",\"event\":\"e\",\"target\":42}",
            "{\"type\":\"room\",\"event\":\"e\",\"target\":\"\"}",
            "{\"type\":\"room\",\"event\":\"e\",\"target\":\"bad\\u0001room\"}",
            "{\"type\":\"client\",\"event\":\"e\",\"target\":null}",
            "{\"type\":\"user\",\"event\":\"e\",\"target\":{}}",
            "{\"type\":\"broadcast\",\"event\":\"e\",\"exclude\":\"c1\"}",
            "{\"type\":\"broadcast\",\"event\":\"e\",\"exclude\":[\"c1\",2]}",
            "{\"type\":\"broadcast\",\"event\":\"e\",\"exclude\":[[\"c1\"]]}",
            "{\"type\":\"broadcast\",\"event\":\"e\",\"serverId\":7}",
            "{\"type\":\"broadcast\",\"event\":\"e\",\"volatile\":\"yes\"}",
    })
    void malformedMessagesAreRejected(String text) {
        assertThatThrownBy(() -> ClusterMessage.parse(text)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void anEventOfMoreThan128CharactersIsRejected() throws Exception {
        String ok = "e".repeat(128);
        assertThat(ClusterMessage.parse("{\"type\":\"broadcast\",\"event\":\"" + ok + "\"}").event()).isEqualTo(ok);
        assertThatThrownBy(() -> ClusterMessage.parse("{\"type\":\"broadcast\",\"event\":\"" + ok + "e\"}"))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void oneMegabyteOfGarbageIsRejected() {
        assertThatThrownBy(() -> ClusterMessage.parse("x".repeat(1_000_000))).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> ClusterMessage.parse("{".repeat(1_000_000))).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void messagesOverOneMebibyteAreRejectedUnparsed() {
        String big = "{\"type\":\"broadcast\",\"event\":\"e\",\"data\":\"" + "a".repeat(ClusterMessage.MAX_SIZE) + "\"}";
        assertThatThrownBy(() -> ClusterMessage.parse(big)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void deepNestingIsRejectedBeforeParsing() throws Exception {
        int depth = ClusterMessage.MAX_DEPTH - 1; // the envelope counts as one
        String fine = "{\"type\":\"broadcast\",\"event\":\"e\",\"data\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        assertThat(ClusterMessage.parse(fine).dataJson()).startsWith("[[");
        String deep = "{\"type\":\"broadcast\",\"event\":\"e\",\"data\":" + "[".repeat(depth + 1) + "]".repeat(depth + 1) + "}";
        assertThatThrownBy(() -> ClusterMessage.parse(deep)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("nested");
        // brackets inside strings do not count
        String quoted = "{\"type\":\"broadcast\",\"event\":\"e\",\"data\":\"" + "[{\\\"".repeat(200) + "\"}";
        assertThat(ClusterMessage.parse(quoted).target().kind()).isEqualTo(Target.Kind.BROADCAST);
    }
}
