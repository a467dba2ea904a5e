package io.wiregate.cdi.delivery;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import io.wiregate.Broadcaster;
import io.wiregate.Recipients;
import io.wiregate.protocol.EventNames;
import io.wiregate.spi.Delivery;

/**
 * The {@link Broadcaster} of one gateway. Every target kind is one {@link Delivery} value handed to
 * {@link Deliveries}; the payload is serialized once per emit. Immutable and thread-safe.
 *
 * @param <G> the gateway class
 */
public final class BroadcasterImpl<G> implements Broadcaster<G> {

    private final String namespace;
    private final Supplier<Deliveries> deliveries;
    private final Function<Object, String> toJson;

    /**
     * @param namespace  the gateway's declared path
     * @param deliveries the delivery path (looked up at emit time: a Broadcaster may be injected before start)
     * @param toJson     serializes payloads
     */
    public BroadcasterImpl(String namespace, Supplier<Deliveries> deliveries, Function<Object, String> toJson) {
        this.namespace = namespace;
        this.deliveries = deliveries;
        this.toJson = toJson;
    }

    @Override
    public Recipients toClient(String clientId) {
        return new Target(Delivery.TargetKind.CLIENT, Objects.requireNonNull(clientId, "clientId"), Set.of());
    }

    @Override
    public Recipients toUser(String userId) {
        return new Target(Delivery.TargetKind.USER, Objects.requireNonNull(userId, "userId"), Set.of());
    }

    @Override
    public Recipients toRoom(String room) {
        return new Target(Delivery.TargetKind.ROOM, EventNames.requireValidRoom(room), Set.of());
    }

    @Override
    public Recipients toAll() {
        return new Target(Delivery.TargetKind.BROADCAST, null, Set.of());
    }

    @Override
    public String toString() {
        return "Broadcaster[" + namespace + "]";
    }

    private final class Target implements Recipients {
        private final Delivery.TargetKind kind;
        private final String target;
        private final Set<String> exclude;

        Target(Delivery.TargetKind kind, String target, Set<String> exclude) {
            this.kind = kind;
            this.target = target;
            this.exclude = exclude;
        }

        @Override
        public Recipients except(String... clientIds) {
            return except(Arrays.asList(clientIds));
        }

        @Override
        public Recipients except(Collection<String> clientIds) {
            Set<String> all = new HashSet<>(exclude);
            for (String id : clientIds) {
                all.add(Objects.requireNonNull(id, "client id"));
            }
            return new Target(kind, target, Set.copyOf(all));
        }

        @Override
        public void emit(String event, Object data) {
            send(event, data, false);
        }

        @Override
        public void emitVolatile(String event, Object data) {
            send(event, data, true);
        }

        private void send(String event, Object data, boolean volatileEvent) {
            EventNames.requireValidEvent(event);
            deliveries.get().deliver(new Delivery(kind, namespace, target, event, toJson.apply(data), exclude, volatileEvent));
        }
    }
}
