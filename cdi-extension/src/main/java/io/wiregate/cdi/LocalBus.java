package io.wiregate.cdi;

import java.util.function.Consumer;

import io.wiregate.spi.ClusterBus;
import io.wiregate.spi.Delivery;

/** The embedded default: one node, nothing to publish to, nothing to receive. */
final class LocalBus implements ClusterBus {

    @Override
    public void start(Consumer<Delivery> receiver) {
        // a single node receives nothing from elsewhere
    }

    @Override
    public void publish(Delivery delivery) {
        // every recipient is local and was served already
    }

    @Override
    public void stop() {
        // nothing to release
    }
}
