package io.wiregate.cdi;

import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.wiregate.protocol.Envelope;
import io.wiregate.protocol.ErrorCode;
import io.wiregate.protocol.EventNames;
import io.wiregate.protocol.Frames;
import io.wiregate.protocol.Violation;
import io.wiregate.spi.Delivery;

/**
 * Where a handler's result goes, as its {@link Reply} says: back to the sender under an event, to the gateway or a
 * room as one delivery (serialized once), or as the {@code ack} of the frame. A frame with an id is answered
 * exactly once.
 */
final class ResultRouting {

    private static final Logger LOG = Logger.getLogger(ResultRouting.class.getName());

    private final String namespace;
    private final PayloadBinder binder;
    private final Deliveries deliveries;

    ResultRouting(String namespace, PayloadBinder binder, Deliveries deliveries) {
        this.namespace = namespace;
        this.binder = binder;
        this.deliveries = deliveries;
    }

    void route(Connection c, Envelope frame, HandlerModel handler, Object result) {
        String dataJson;
        try {
            dataJson = handler.returnsVoid() ? null
                    : result == frame.data() && frame.dataText() != null ? frame.dataText() // returned unchanged
                    : binder.toJson(result);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "result of " + HandlerInvocation.describe(handler.method()) + " cannot be serialized", e);
            Replies.error(c, ErrorCode.INTERNAL, "internal error", null, frame.id());
            return;
        }
        Reply reply = handler.reply();
        if (reply instanceof Reply.ToSender toSender) {
            c.send(Frames.reply(toSender.event(), dataJson, frame.id()));
        } else if (reply instanceof Reply.Broadcast broadcast) {
            if (result != null && !broadcast(c, frame, broadcast, dataJson)) {
                return;
            }
            if (frame.hasId()) {
                c.send(Frames.ack(frame.id()));
            }
        } else if (frame.hasId()) {
            c.send(result == null ? Frames.ack(frame.id()) : Frames.reply("ack", dataJson, frame.id()));
        }
    }

    /** Delivers a {@code @Broadcast} result; false after answering a payload that names no valid room. */
    private boolean broadcast(Connection c, Envelope frame, Reply.Broadcast broadcast, String dataJson) {
        String room = null;
        if (broadcast.toRoom()) {
            room = roomFrom(frame.data(), broadcast.roomFrom());
            if (room == null) {
                Replies.error(c, ErrorCode.VALIDATION, "payload is not valid",
                        List.of(new Violation(broadcast.roomFrom(), "must be a room name")), frame.id());
                return false;
            }
        }
        deliveries.deliver(new Delivery(room == null ? Delivery.TargetKind.BROADCAST : Delivery.TargetKind.ROOM,
                namespace, room, broadcast.event(), dataJson,
                broadcast.includeSender() ? Set.of() : Set.of(c.id()), false));
        return true;
    }

    private static String roomFrom(JsonValue data, String property) {
        if (data instanceof JsonObject o && o.get(property) instanceof JsonString s && EventNames.isValidRoom(s.getString())) {
            return s.getString();
        }
        return null;
    }
}
