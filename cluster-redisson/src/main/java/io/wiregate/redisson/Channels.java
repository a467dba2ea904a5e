package io.wiregate.redisson;

import io.wiregate.protocol.Target;

/**
 * The Redis channels of docs/protocol.md section 8: {@code PREFIX:broadcast}, {@code PREFIX:room:ROOM},
 * {@code PREFIX:client:CLIENT_ID}, {@code PREFIX:user:USER_ID}. What travels on them is a
 * {@link io.wiregate.protocol.ClusterMessage}. Stateless.
 */
final class Channels {

    private Channels() {
    }

    /** The channel a message to {@code target} is published on. */
    static String of(String prefix, Target target) {
        return switch (target.kind()) {
            case BROADCAST -> prefix + ":broadcast";
            case ROOM -> prefix + ":room:" + target.id();
            case CLIENT -> prefix + ":client:" + target.id();
            case USER -> prefix + ":user:" + target.id();
        };
    }

    /** Whether a channel under {@code prefix} is one of section 8's (others sharing the prefix are not ours). */
    static boolean isBusChannel(String prefix, String channel) {
        if (!channel.startsWith(prefix) || channel.length() <= prefix.length() || channel.charAt(prefix.length()) != ':') {
            return false;
        }
        String rest = channel.substring(prefix.length() + 1);
        return rest.equals("broadcast") || rest.startsWith("room:") || rest.startsWith("client:") || rest.startsWith("user:");
    }
}
