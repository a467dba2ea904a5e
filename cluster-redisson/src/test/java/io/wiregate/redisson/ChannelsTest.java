package io.wiregate.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.wiregate.protocol.ClusterMessage;
import io.wiregate.protocol.Target;
import io.wiregate.spi.Delivery;
import io.wiregate.spi.Delivery.TargetKind;

/** What is Redis's in section 8: channels, the prefix and its pattern, and the bus's deliveries as messages. */
class ChannelsTest {

    @Test
    void channelsFollowThePrefix() {
        assertThat(Channels.of("ws", Target.all())).isEqualTo("ws:broadcast");
        assertThat(Channels.of("app", Target.room("r"))).isEqualTo("app:room:r");
        assertThat(Channels.of("ws", Target.client("c"))).isEqualTo("ws:client:c");
        assertThat(Channels.of("ws", Target.user("u"))).isEqualTo("ws:user:u");
        assertThat(Channels.isBusChannel("ws", "ws:room:x")).isTrue();
        assertThat(Channels.isBusChannel("ws", "ws:broadcast")).isTrue();
        assertThat(Channels.isBusChannel("ws", "ws:other")).isFalse();
        assertThat(Channels.isBusChannel("ws", "wsx:broadcast")).isFalse();
    }

    @Test
    void everyDeliverySurvivesTheBusRoundTrip() throws Exception {
        for (Delivery d : new Delivery[] {
                new Delivery(TargetKind.BROADCAST, "/chat", null, "news", "{\"a\":[1,2.50,\"x\"]}", Set.of(), false),
                new Delivery(TargetKind.ROOM, "/rooms/{roomId}", "lobby", "said", "\"hi\"", Set.of("c1", "c2"), false),
                new Delivery(TargetKind.USER, null, "alice", "dm", "null", Set.of(), true),
                new Delivery(TargetKind.CLIENT, "/chat", "client-\"1\"", "direct", "42", Set.of(), false)}) {
            ClusterMessage m = ClusterMessage.parse(RedissonClusterBus.message("node-1", d).toJson());
            assertThat(m.serverId()).isEqualTo("node-1");
            assertThat(RedissonClusterBus.delivery(m)).isEqualTo(d);
        }
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
