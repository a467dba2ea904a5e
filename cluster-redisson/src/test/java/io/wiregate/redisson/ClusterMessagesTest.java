package io.wiregate.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.wiregate.spi.Delivery;
import io.wiregate.spi.Delivery.TargetKind;

class ClusterMessagesTest {

    @Test
    void everyTargetKindSurvivesTheRoundTrip() throws Exception {
        for (Delivery d : new Delivery[] {
                new Delivery(TargetKind.BROADCAST, "/chat", null, "news", "{\"a\":[1,2.50,\"x\"]}", Set.of(), false),
                new Delivery(TargetKind.ROOM, "/rooms/{roomId}", "lobby", "said", "\"hi\"", Set.of("c1", "c2"), false),
                new Delivery(TargetKind.USER, null, "alice", "dm", "null", Set.of(), true),
                new Delivery(TargetKind.CLIENT, "/chat", "client-\"1\"", "direct", "42", Set.of(), false)}) {
            ClusterMessages.Message m = ClusterMessages.read(ClusterMessages.write("node-1", d));
            assertThat(m.serverId()).isEqualTo("node-1");
            assertThat(m.delivery()).isEqualTo(d);
        }
    }

    @Test
    void writesExactlyTheSection8Shape() {
        Delivery d = new Delivery(TargetKind.ROOM, "/chat", "lobby", "messageCreated", "{\"any\":\"json\"}", Set.of("c1"), false);
        assertThat(ClusterMessages.write("node-uuid", d)).isEqualTo("{\"serverId\":\"node-uuid\",\"type\":\"room\","
                + "\"namespace\":\"/chat\",\"target\":\"lobby\",\"event\":\"messageCreated\",\"data\":{\"any\":\"json\"},"
                + "\"exclude\":[\"c1\"]}");
        Delivery all = new Delivery(TargetKind.BROADCAST, null, null, "e", "null", Set.of(), false);
        assertThat(ClusterMessages.write("emitter", all))
                .isEqualTo("{\"serverId\":\"emitter\",\"type\":\"broadcast\",\"event\":\"e\",\"data\":null}");
    }

    @Test
    void channelsFollowThePrefix() {
        assertThat(ClusterMessages.channel("ws", new Delivery(TargetKind.BROADCAST, null, null, "e", "1", null, false)))
                .isEqualTo("ws:broadcast");
        assertThat(ClusterMessages.channel("app", new Delivery(TargetKind.ROOM, null, "r", "e", "1", null, false)))
                .isEqualTo("app:room:r");
        assertThat(ClusterMessages.channel("ws", new Delivery(TargetKind.CLIENT, null, "c", "e", "1", null, false)))
                .isEqualTo("ws:client:c");
        assertThat(ClusterMessages.channel("ws", new Delivery(TargetKind.USER, null, "u", "e", "1", null, false)))
                .isEqualTo("ws:user:u");
        assertThat(ClusterMessages.isBusChannel("ws", "ws:room:x")).isTrue();
        assertThat(ClusterMessages.isBusChannel("ws", "ws:broadcast")).isTrue();
        assertThat(ClusterMessages.isBusChannel("ws", "ws:other")).isFalse();
        assertThat(ClusterMessages.isBusChannel("ws", "wsx:broadcast")).isFalse();
    }

    @Test
    void aMessageWithoutNamespaceIsForEveryGatewayAndOptionalFieldsDefault() throws Exception {
        ClusterMessages.Message m = ClusterMessages.read("{\"type\":\"user\",\"target\":\"bob\",\"event\":\"ping\"}");
        assertThat(m.serverId()).isNull();
        assertThat(m.delivery()).isEqualTo(new Delivery(TargetKind.USER, null, "bob", "ping", "null", Set.of(), false));
    }

    @Test
    void dataIsKeptAsJsonTextAndUnknownFieldsAreIgnored() throws Exception {
        ClusterMessages.Message m = ClusterMessages.read("{\"serverId\":\"emitter\",\"type\":\"broadcast\",\"namespace\":\"/n\","
                + "\"event\":\"e\",\"data\":{\"s\":\"\\u00e9\\n\",\"n\":1.0e3,\"b\":[true,null]},\"extra\":{\"x\":1},\"target\":null}");
        assertThat(m.delivery().dataJson()).isEqualTo("{\"s\":\"é\\n\",\"n\":1.0E+3,\"b\":[true,null]}");
        assertThat(m.delivery().target()).isNull();
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
        assertThatThrownBy(() -> ClusterMessages.read(text)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void anEventOfMoreThan128CharactersIsRejected() throws Exception {
        String ok = "e".repeat(128);
        assertThat(ClusterMessages.read("{\"type\":\"broadcast\",\"event\":\"" + ok + "\"}").delivery().event()).isEqualTo(ok);
        assertThatThrownBy(() -> ClusterMessages.read("{\"type\":\"broadcast\",\"event\":\"" + ok + "e\"}"))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void oneMegabyteOfGarbageIsRejected() {
        assertThatThrownBy(() -> ClusterMessages.read("x".repeat(1_000_000))).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> ClusterMessages.read("{".repeat(1_000_000))).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void messagesOverOneMebibyteAreRejectedUnparsed() {
        String big = "{\"type\":\"broadcast\",\"event\":\"e\",\"data\":\"" + "a".repeat(ClusterMessages.MAX_MESSAGE_SIZE) + "\"}";
        assertThatThrownBy(() -> ClusterMessages.read(big)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void deepNestingIsRejectedBeforeParsing() throws Exception {
        int depth = ClusterMessages.MAX_DEPTH - 1; // the envelope counts as one
        String fine = "{\"type\":\"broadcast\",\"event\":\"e\",\"data\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        assertThat(ClusterMessages.read(fine).delivery().dataJson()).startsWith("[[");
        String deep = "{\"type\":\"broadcast\",\"event\":\"e\",\"data\":" + "[".repeat(depth + 1) + "]".repeat(depth + 1) + "}";
        assertThatThrownBy(() -> ClusterMessages.read(deep)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("nested");
        // brackets inside strings do not count
        String quoted = "{\"type\":\"broadcast\",\"event\":\"e\",\"data\":\"" + "[{\\\"".repeat(200) + "\"}";
        assertThat(ClusterMessages.read(quoted).delivery().kind()).isEqualTo(TargetKind.BROADCAST);
    }

    @Test
    void settingsValidateAndEscapeThePrefixInThePattern() {
        assertThat(RedisSettings.of("redis://h:1", null, null, false).channelPattern()).isEqualTo("ws:*");
        assertThat(RedisSettings.of("redis://h:1", "", "a*b[c]", false).channelPattern()).isEqualTo("a\\*b\\[c\\]:*");
        assertThat(RedisSettings.of(" redis://a:1 , redis://b:2 ", null, "p", true).addresses())
                .containsExactly("redis://a:1", "redis://b:2");
        assertThatThrownBy(() -> RedisSettings.of("redis://a:1,redis://b:2", null, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wiregate.redis.cluster");
        assertThatThrownBy(() -> RedisSettings.of("127.0.0.1:6379", null, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://");
        assertThat(RedisSettings.fromConfiguration(k -> java.util.Optional.empty())).isEmpty();
        assertThat(RedisSettings.of("redis://h:1", "secret", null, false).toString()).doesNotContain("secret");
    }
}
