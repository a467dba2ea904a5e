package io.wiregate.cdi;

import io.wiregate.spi.Delivery;

/** The one delivery path: every target kind goes through it. */
@FunctionalInterface
interface Deliveries {

    /** Delivers to the local recipients, then publishes once to the cluster bus. Never blocks on a client. */
    void deliver(Delivery delivery);
}
