package io.wiregate.spi;

/**
 * A cluster bus's figures since it started, for metrics ({@link ClusterBus#statistics()}).
 *
 * @param published       deliveries the broker accepted
 * @param publishFailures deliveries that could not be published (they reached this node's clients only)
 * @param received        valid messages received from other nodes and emitters
 * @param malformed       messages received that were not valid, delivered to no one
 * @param publishes       publishes that completed (accepted or failed), whose time is in {@code publishNanos}
 * @param publishNanos    the total time from handing a delivery to the bus to the broker's answer: with {@code
 *                        publishes}, the lag a delivery has before other nodes can see it
 * @param recordsWaiting  records of shared recovery histories waiting for the broker now (an outage's buffer)
 * @param recordsRefused  records of shared recovery histories refused because too many waited
 */
public record BusStatistics(long published, long publishFailures, long received, long malformed, long publishes,
                            long publishNanos, long recordsWaiting, long recordsRefused) {
}
