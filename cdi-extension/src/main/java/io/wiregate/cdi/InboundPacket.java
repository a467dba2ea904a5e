package io.wiregate.cdi;

import jakarta.json.JsonValue;

import io.wiregate.Packet;
import io.wiregate.Peer;

/** One frame passing through the packet chain. Confined to the thread handling the frame. */
final class InboundPacket implements Packet {

    private final Peer peer;
    private final String event;
    private JsonValue data;
    private String refusal;

    InboundPacket(Peer peer, String event, JsonValue data) {
        this.peer = peer;
        this.event = event;
        this.data = data;
    }

    @Override
    public Peer peer() {
        return peer;
    }

    @Override
    public String event() {
        return event;
    }

    @Override
    public JsonValue data() {
        return data;
    }

    @Override
    public void data(JsonValue replacement) {
        this.data = replacement == null ? JsonValue.NULL : replacement;
    }

    @Override
    public void refuse(String message) {
        this.refusal = message == null ? "refused" : message;
    }

    String refusal() {
        return refusal;
    }
}
