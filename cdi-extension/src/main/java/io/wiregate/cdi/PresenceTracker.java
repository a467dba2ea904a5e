package io.wiregate.cdi;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.wiregate.Presence;
import io.wiregate.protocol.Frames;
import io.wiregate.spi.Delivery;
import io.wiregate.spi.PresenceStore;
import io.wiregate.spi.PresenceStore.Change;
import io.wiregate.spi.PresenceStore.Outcome;

/**
 * The presence of one gateway (docs/protocol.md section 11): hands every change of the local memberships to the
 * gateway's {@link PresenceStore} and announces what the store reports to the room's other members, as the gateway's
 * {@link Presence} level asks.
 *
 * <p>The registry reports a change while it holds the room's lock, so that the store gets one connection's changes of
 * one room in the order they happened; the store's answer is only queued there, and the announcements are made after
 * the lock is released ({@link #announcePending}), one thread at a time and in the order of the answers. Thread-safe.
 */
final class PresenceTracker {

    private static final Logger LOG = Logger.getLogger(PresenceTracker.class.getName());
    /** The most members a client's {@code presence} request lists. */
    static final int MAX_LISTED = 1000;

    private final String namespace;
    private final Presence level;
    private final PresenceStore store;
    private final Deliveries deliveries;
    private final ConcurrentLinkedQueue<Outcome> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger announcing = new AtomicInteger();
    /** Set while this thread reports a change from inside the registry's lock: the store's answer must wait. */
    private final ThreadLocal<Boolean> reporting = ThreadLocal.withInitial(() -> false);

    PresenceTracker(String namespace, Presence level, PresenceStore store, Deliveries deliveries) {
        this.namespace = namespace;
        this.level = level;
        this.store = store;
        this.deliveries = deliveries;
    }

    /**
     * Starts the store.
     *
     * @param registry the gateway's registry, whose memberships the store may have to register again
     * @throws Exception if the store cannot start
     */
    void start(ClientRegistry registry) throws Exception {
        store.start(() -> memberships(registry), this::reported);
    }

    /** A connection joined ({@code joined}) or left a room; called under the registry's lock of that room. */
    void changed(Connection c, String room, boolean joined) {
        if (room.equals(c.id())) {
            return; // the room of a client's own id is not presence
        }
        reporting.set(true);
        try {
            store.apply(new Change(room, c.id(), c.userId(), joined), this::reported);
        } finally {
            reporting.set(false);
        }
    }

    /** Runs {@code then} once every change reported before is in the store. */
    void flush(Runnable then) {
        store.flush(then);
    }

    /**
     * The members of a room, at most {@code limit} of them listed, asked once every change reported before is in the
     * store: a client that joined and then asks is among the members.
     */
    CompletionStage<PresenceStore.Snapshot> members(String room, int limit) {
        CompletableFuture<PresenceStore.Snapshot> answer = new CompletableFuture<>();
        store.flush(() -> {
            try {
                store.members(room, limit).whenComplete((s, failure) -> {
                    if (failure != null) {
                        answer.completeExceptionally(failure);
                    } else {
                        answer.complete(s);
                    }
                });
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    /** Stops the store. */
    void stop() {
        store.stop();
    }

    private void reported(Outcome outcome) {
        pending.add(outcome);
        if (!reporting.get()) {
            announcePending();
        }
    }

    /** Announces what the store reported, in order; a no-op while another thread does it. */
    void announcePending() {
        if (pending.isEmpty() || announcing.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            for (Outcome o; (o = pending.poll()) != null; ) {
                announce(o);
            }
            missed = announcing.addAndGet(-missed);
        } while (missed != 0);
    }

    private void announce(Outcome o) {
        Change c = o.change();
        String event = switch (level) {
            case CLIENTS -> o.member() ? (c.joined() ? "presence.join" : "presence.leave") : null;
            case USERS -> o.user() && c.userId() != null ? (c.joined() ? "presence.online" : "presence.offline") : null;
            default -> null;
        };
        if (event == null) {
            return;
        }
        String data = level == Presence.CLIENTS
                ? "{\"room\":" + Frames.quote(c.room()) + ",\"id\":" + Frames.quote(c.clientId()) + ",\"userId\":"
                        + (c.userId() == null ? "null" : Frames.quote(c.userId())) + "}"
                : "{\"room\":" + Frames.quote(c.room()) + ",\"userId\":" + Frames.quote(c.userId()) + "}";
        try {
            deliveries.deliver(new Delivery(Delivery.TargetKind.ROOM, namespace, c.room(), event, data,
                    Set.of(c.clientId()), false));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "announcing " + event + " in room " + c.room() + " of " + namespace + " failed", e);
        }
    }

    private static List<Change> memberships(ClientRegistry registry) {
        List<Change> all = new ArrayList<>();
        for (Connection c : registry.all()) {
            for (String room : c.memberships()) {
                if (!room.equals(c.id())) {
                    all.add(new Change(room, c.id(), c.userId(), true));
                }
            }
        }
        return all;
    }
}
