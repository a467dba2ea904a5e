package io.wiregate.it.app;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArray;

import io.wiregate.Chain;
import io.wiregate.Packet;
import io.wiregate.PacketInterceptor;

/** Bound to {@link Audited} gateways, priority 100: appends "first" to a {@code trace} array; refuses {@code secret}. */
@Audited
@Priority(100)
@ApplicationScoped
public class TraceFirst implements PacketInterceptor {

    @Override
    public void onPacket(Packet packet, Chain chain) throws Exception {
        if ("secret".equals(packet.event())) {
            packet.refuse("secret is not for you");
            return;
        }
        if ("trace".equals(packet.event()) && packet.data() instanceof JsonArray array) {
            packet.data(Json.createArrayBuilder(array).add("first").build());
        }
        chain.proceed();
    }
}
