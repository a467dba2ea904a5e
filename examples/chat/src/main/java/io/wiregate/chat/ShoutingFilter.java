package io.wiregate.chat;

import java.util.Locale;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import io.wiregate.Chain;
import io.wiregate.Packet;
import io.wiregate.PacketInterceptor;

/**
 * Refuses chat messages written entirely in capitals (longer than a word): the sender gets {@code forbidden}
 * with the reason, and nobody else sees the message. An example of a packet interceptor.
 */
@Priority(200)
@ApplicationScoped
public class ShoutingFilter implements PacketInterceptor {

    @Override
    public void onPacket(Packet packet, Chain chain) throws Exception {
        if (packet.event().equals("message") && packet.data() instanceof JsonObject o
                && o.get("text") instanceof JsonString text && isShouting(text.getString())) {
            packet.refuse("please do not shout");
            return;
        }
        chain.proceed();
    }

    private static boolean isShouting(String text) {
        String letters = text.replaceAll("[^\\p{L}]", "");
        return letters.length() > 4 && letters.equals(letters.toUpperCase(Locale.ROOT))
                && !letters.equals(letters.toLowerCase(Locale.ROOT));
    }
}
