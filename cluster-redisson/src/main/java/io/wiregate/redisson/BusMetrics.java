package io.wiregate.redisson;

/**
 * A snapshot of the Redis cluster bus's counters since it started.
 *
 * @param published       deliveries Redis accepted
 * @param publishFailures deliveries that could not be published (Redis unreachable, timeout, or the publish
 *                        queue full); their local delivery was made all the same
 * @param received        valid messages received from other nodes and emitters, handed to local delivery
 * @param malformed       messages received that did not follow docs/protocol.md section 8, delivered to no one
 * @param active          whether the bus is started with a Redis address (false when it runs alone)
 */
public record BusMetrics(long published, long publishFailures, long received, long malformed, boolean active) {
}
