package io.wiregate.cdi;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.wiregate.cdi.transport.OutboundFrame;
import io.wiregate.protocol.Frames;
import io.wiregate.spi.ClusterBus;
import io.wiregate.spi.Delivery;

/**
 * Resolves a {@link Delivery} to the local connections it targets, writes its frame text once, and puts
 * that same text into each recipient's outbound queue; then publishes the delivery once to the bus.
 * Only connected clients (authenticated where the gateway requires it) receive deliveries.
 * Thread-safe: it holds no mutable state of its own.
 */
final class DeliveryService implements Deliveries {

    private static final Logger LOG = Logger.getLogger(DeliveryService.class.getName());

    private final Map<String, ClientRegistry> registriesByNamespace;
    private final ClusterBus bus;

    /**
     * @param registriesByNamespace each gateway's registry, by its declared path
     * @param bus                   where deliveries are published after local delivery
     */
    public DeliveryService(Map<String, ClientRegistry> registriesByNamespace, ClusterBus bus) {
        this.registriesByNamespace = Map.copyOf(registriesByNamespace);
        this.bus = bus;
    }

    @Override
    public void deliver(Delivery delivery) {
        int local = deliverHere(delivery, false);
        if (delivery.kind() == Delivery.TargetKind.CLIENT && local > 0) {
            return; // client ids are unique in the cluster: it is here, no other node has it
        }
        if (sharedHistory(delivery)) {
            return; // its gateway's shared recovery log carries it to every node, this one included
        }
        try {
            bus.publish(delivery);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "publishing a delivery to the cluster bus failed", e);
        }
    }

    /**
     * Delivers to this node's clients only (what a bus calls for deliveries from other nodes).
     *
     * @return how many connections it was queued for
     */
    public int deliverLocally(Delivery delivery) {
        return deliverHere(delivery, true);
    }

    private int deliverHere(Delivery delivery, boolean fromBus) {
        if (delivery.namespace() == null) {
            int n = 0;
            for (ClientRegistry registry : registriesByNamespace.values()) {
                n += deliverOn(registry, delivery, fromBus);
            }
            return n;
        }
        ClientRegistry registry = registriesByNamespace.get(delivery.namespace());
        return registry == null ? 0 : deliverOn(registry, delivery, fromBus);
    }

    /**
     * Delivers on one gateway. A recoverable event of a gateway with recovery goes through its recovery: with its
     * offset, in the gateway's one order (recipients looked up under the recovery lock, so that a session resumed
     * meanwhile is either replayed the event or among its recipients). One that arrives from the bus for a gateway
     * whose history is shared was published by an emitter that did not append it to the log (one without a
     * namespace, or of another ecosystem): it is delivered, but without an offset, since it has no place in the order.
     */
    private static int deliverOn(ClientRegistry registry, Delivery d, boolean fromBus) {
        Recovery recovery = registry.recovery();
        if (recovery != null && !d.volatileEvent() && !(fromBus && recovery.shared())) {
            return recovery.deliver(d);
        }
        return queue(registry, d, () -> Frames.event(d.event(), d.dataJson()));
    }

    /** Whether the delivery is a recoverable event of a gateway whose history a shared log carries. */
    private boolean sharedHistory(Delivery d) {
        ClientRegistry registry = d.volatileEvent() || d.namespace() == null ? null : registriesByNamespace.get(d.namespace());
        Recovery recovery = registry == null ? null : registry.recovery();
        return recovery != null && recovery.shared();
    }

    /**
     * Queues a delivery's frame for every connected local target on {@code registry}'s gateway that it does not
     * exclude: the frame's text (made by {@code text}, once, and only if some target takes it) is encoded once and
     * shared by every recipient.
     *
     * @return how many connections it was queued for
     */
    static int queue(ClientRegistry registry, Delivery d, Supplier<String> text) {
        OutboundFrame frame = null;
        int n = 0;
        for (Connection c : targets(registry, d)) {
            if (!c.isConnected() || d.exclude().contains(c.id())) {
                continue;
            }
            if (frame == null) {
                frame = OutboundFrame.delivery(text.get());
            }
            if (c.deliver(frame, d.volatileEvent())) {
                n++;
            }
        }
        if (frame != null) {
            registry.metrics().delivered(n, frame.text());
        }
        return n;
    }

    /** The local connections a delivery targets (a live view). */
    static Collection<Connection> targets(ClientRegistry registry, Delivery d) {
        return switch (d.kind()) {
            case CLIENT -> {
                Connection c = registry.client(d.target());
                yield c == null ? List.of() : List.of(c);
            }
            case USER -> registry.user(d.target());
            case ROOM -> registry.room(d.target());
            case BROADCAST -> registry.all();
        };
    }
}
