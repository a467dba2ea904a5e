package io.wiregate.it.app;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

/** What {@link AuditConnections} saw. */
@ApplicationScoped
public class AuditLog {

    private final AtomicInteger enters = new AtomicInteger();
    private final AtomicInteger exits = new AtomicInteger();

    void entered() {
        enters.incrementAndGet();
    }

    void exited() {
        exits.incrementAndGet();
    }

    int enters() {
        return enters.get();
    }

    int exits() {
        return exits.get();
    }
}
