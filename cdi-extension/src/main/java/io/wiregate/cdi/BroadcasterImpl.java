package io.wiregate.cdi;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import io.wiregate.Broadcaster;
import io.wiregate.Member;
import io.wiregate.Recipients;
import io.wiregate.protocol.EventNames;
import io.wiregate.protocol.Target;
import io.wiregate.spi.Delivery;
import io.wiregate.spi.PresenceStore;

/**
 * The {@link Broadcaster} of one gateway. Every target kind is one {@link Target} value (the one the Redis
 * {@code Emitter} uses too), turned into a {@link Delivery} handed to {@link Deliveries}; the payload is serialized
 * once per emit. Immutable and thread-safe.
 *
 * @param <G> the gateway class
 */
final class BroadcasterImpl<G> implements Broadcaster<G> {

    private final String namespace;
    private final Supplier<Deliveries> deliveries;
    private final Function<Object, String> toJson;
    private final Supplier<PresenceTracker> presence;

    /**
     * @param namespace  the gateway's declared path
     * @param deliveries the delivery path (looked up at emit time: a Broadcaster may be injected before start)
     * @param toJson     serializes payloads
     * @param presence   the gateway's presence (looked up at call time), or a supplier of null when it has none
     */
    BroadcasterImpl(String namespace, Supplier<Deliveries> deliveries, Function<Object, String> toJson,
                    Supplier<PresenceTracker> presence) {
        this.namespace = namespace;
        this.deliveries = deliveries;
        this.toJson = toJson;
        this.presence = presence;
    }

    /**
     * The Broadcaster of the gateway declared at {@code namespace}, delivering through the Wiregate that
     * {@code wiregate} supplies at emit time (a Broadcaster may be injected before Wiregate starts).
     */
    public static <G> BroadcasterImpl<G> of(String namespace, Supplier<Wiregate> wiregate) {
        return new BroadcasterImpl<>(namespace, () -> wiregate.get().deliveries(), v -> wiregate.get().binder().toJson(v),
                () -> wiregate.get().presence(namespace));
    }

    @Override
    public Recipients toClient(String clientId) {
        return new TargetRecipients(Target.client(clientId));
    }

    @Override
    public Recipients toUser(String userId) {
        return new TargetRecipients(Target.user(userId));
    }

    @Override
    public Recipients toRoom(String room) {
        return new TargetRecipients(Target.room(room));
    }

    @Override
    public Recipients toAll() {
        return new TargetRecipients(Target.all());
    }

    @Override
    public CompletionStage<List<Member>> presence(String room) {
        EventNames.requireValidRoom(room);
        PresenceTracker tracker = presence.get();
        if (tracker == null) {
            throw new IllegalStateException("the gateway " + namespace + " has no presence: declare @Gateway(presence = ...)"
                    + " with TRACKED, CLIENTS or USERS, or set wiregate.<name>.presence");
        }
        return tracker.members(room, Integer.MAX_VALUE).thenApply(PresenceStore.Snapshot::members);
    }

    @Override
    public String toString() {
        return "Broadcaster[" + namespace + "]";
    }

    /** The recipients of one {@link Target} on this gateway. */
    private final class TargetRecipients implements Recipients {
        private final Target target;

        TargetRecipients(Target target) {
            this.target = target;
        }

        @Override
        public Recipients except(String... clientIds) {
            return new TargetRecipients(target.except(clientIds));
        }

        @Override
        public Recipients except(Collection<String> clientIds) {
            return new TargetRecipients(target.except(clientIds));
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
            deliveries.get().deliver(new Delivery(Delivery.TargetKind.valueOf(target.kind().name()), namespace, target.id(),
                    event, toJson.apply(data), target.exclude(), volatileEvent));
        }
    }
}
