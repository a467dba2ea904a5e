package io.wiregate.client;

/**
 * A listener registered on a {@link WiregateClient}. {@link #close()} removes it (wiregate.js's {@code off}).
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Removes the listener: it is not called for anything that arrives afterwards. Idempotent; throws nothing. */
    @Override
    void close();
}
