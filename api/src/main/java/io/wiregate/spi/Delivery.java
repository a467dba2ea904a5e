package io.wiregate.spi;

import java.util.Objects;
import java.util.Set;

/**
 * One delivery: an event with its payload, already serialized once, and the recipients.
 *
 * @param kind      what {@code target} names
 * @param namespace the gateway's declared path ({@code /rooms/{roomId}}), or {@code null} for every gateway
 * @param target    the client id, user id or room; {@code null} for {@link TargetKind#BROADCAST}
 * @param event     the event name
 * @param dataJson  the payload as JSON text ({@code null} JSON for no payload)
 * @param exclude   client ids that do not receive it
 * @param volatileEvent whether a full outbound queue drops the event instead of closing the client
 */
public record Delivery(TargetKind kind, String namespace, String target, String event, String dataJson,
                       Set<String> exclude, boolean volatileEvent) {

    /**
     * Creates a delivery.
     *
     * @throws NullPointerException     if kind, event or dataJson is null
     * @throws IllegalArgumentException if a non-broadcast delivery has no target
     */
    public Delivery {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(dataJson, "dataJson");
        if (kind != TargetKind.BROADCAST && target == null) {
            throw new IllegalArgumentException("a " + kind + " delivery needs a target");
        }
        exclude = exclude == null ? Set.of() : Set.copyOf(exclude);
    }

    /** What a delivery's target names. */
    public enum TargetKind {
        /** One client id. */
        CLIENT,
        /** Every session of one user id. */
        USER,
        /** Every member of one room. */
        ROOM,
        /** Every client of the namespace. */
        BROADCAST
    }
}
