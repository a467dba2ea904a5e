package io.wiregate.it.app;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArray;

import io.wiregate.Chain;
import io.wiregate.Packet;
import io.wiregate.PacketInterceptor;

/** Global (no binding), priority 200: appends "second" to a {@code trace} array, after {@link TraceFirst}. */
@Priority(200)
@ApplicationScoped
public class TraceSecond implements PacketInterceptor {

    @Override
    public void onPacket(Packet packet, Chain chain) throws Exception {
        if ("trace".equals(packet.event()) && packet.data() instanceof JsonArray array) {
            packet.data(Json.createArrayBuilder(array).add("second").build());
        }
        chain.proceed();
    }
}
