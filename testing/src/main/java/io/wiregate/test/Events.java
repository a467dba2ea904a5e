package io.wiregate.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.wiregate.client.Subscription;
import io.wiregate.client.WiregateClient;

/**
 * The events of one name that a client receives, recorded from the moment of {@link #of} so that a test can wait
 * for them in order: {@code Events.of(bob, "message", ChatMessage.class).next()}.
 *
 * @param <T> the type the events' data binds to (JSON-B)
 */
public final class Events<T> implements AutoCloseable {

    private final String event;
    private final BlockingQueue<Received<T>> received = new LinkedBlockingQueue<>(); // boxed: data may be null
    private final Subscription subscription;

    private Events(WiregateClient client, String event, Class<T> type) {
        this.event = event;
        this.subscription = client.on(event, type, data -> received.add(new Received<>(data)));
    }

    /** Starts recording {@code client}'s {@code event} events, their data bound to {@code type}. */
    public static <T> Events<T> of(WiregateClient client, String event, Class<T> type) {
        return new Events<>(client, event, type);
    }

    /**
     * The next event not yet returned, waiting at most {@link Gateways#TIMEOUT}.
     *
     * @throws AssertionError if none arrives in time
     */
    public T next() {
        return next(Gateways.TIMEOUT);
    }

    /**
     * The next event not yet returned, waiting at most {@code timeout}.
     *
     * @throws AssertionError if none arrives in time
     */
    public T next(Duration timeout) {
        try {
            Received<T> next = received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("no '" + event + "' event within " + timeout.toMillis() + " ms");
            }
            return next.data();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for '" + event + "'", e);
        }
    }

    /** The events received and not yet returned by {@link #next}, without waiting. */
    public List<T> drain() {
        List<Received<T>> all = new ArrayList<>();
        received.drainTo(all);
        return all.stream().map(Received::data).toList();
    }

    private record Received<T>(T data) {
    }

    /** Stops recording. */
    @Override
    public void close() {
        subscription.close();
    }
}
