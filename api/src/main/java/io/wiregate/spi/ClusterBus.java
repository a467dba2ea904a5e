package io.wiregate.spi;

import java.util.function.Consumer;

/**
 * Carries deliveries between the nodes of one application. Wiregate delivers every delivery to the local
 * clients first and then calls {@link #publish(Delivery)} once; a bus hands the deliveries it receives
 * from other nodes (or from emitters) to the consumer given to {@link #start(Consumer)}.
 *
 * <p>Provide an implementation as a CDI bean to replace the embedded in-JVM bus (which publishes nowhere).
 * Implementations must be thread-safe, must never block the calling thread in {@code publish}, must
 * ignore their own publications, and must keep running whatever they receive.
 */
public interface ClusterBus {

    /**
     * Starts receiving deliveries from other nodes.
     *
     * @param receiver called with every valid delivery from elsewhere; it does not block and does not throw
     * @throws Exception if the bus cannot start; the deployment then fails
     */
    void start(Consumer<Delivery> receiver) throws Exception;

    /** Publishes a delivery already made locally, once. Never blocks; failures are logged and counted. */
    void publish(Delivery delivery);

    /** Stops receiving and releases connections. */
    void stop();

    /**
     * Why this node cannot carry deliveries to and from the other nodes now (its broker is unreachable), or empty when
     * it can, or when it runs alone. A readiness check calls it: it may wait, but at most about a second.
     */
    default java.util.Optional<String> unavailable() {
        return java.util.Optional.empty();
    }

    /**
     * The log that carries the history of the gateway declared at {@code namespace} when it has connection state
     * recovery, shared by the nodes; or null (the default), and the gateway keeps its history in memory, per node.
     * Called once per such gateway, after {@link #start}.
     *
     * @param namespace the gateway's declared path
     * @param windowMs  how long the gateway's history must reach back
     * @param maxEvents the most events the gateway's history keeps
     */
    default RecoveryLog recoveryLog(String namespace, long windowMs, int maxEvents) {
        return null;
    }

    /**
     * The store that shares the presence of the gateway declared at {@code namespace} (docs/protocol.md section 11)
     * between the nodes, or null (the default), and the gateway keeps presence in memory, on this node alone. Called
     * once per gateway with presence, after {@link #start}.
     */
    default PresenceStore presenceStore(String namespace) {
        return null;
    }

    /** This bus's figures since it started, for metrics; empty (the default) for a bus that counts nothing. */
    default java.util.Optional<BusStatistics> statistics() {
        return java.util.Optional.empty();
    }
}
