package io.wiregate.bench.driver;

import java.io.IOException;

/**
 * Where the servers of one step run ({@link Platform#host}): standalone, each {@link #serve} starts a fresh JVM that
 * closing the returned server ends; on an application server, both kinds are served by the one server JVM that the
 * host started, which closing the host ends.
 */
@FunctionalInterface
interface Host extends AutoCloseable {

    /** The server of {@code kind} for one run of the step named {@code step}. */
    ServerProcess serve(ServerProcess.Kind kind, String step) throws IOException, InterruptedException;

    /** Ends what the host started for the step (nothing, standalone). */
    @Override
    default void close() {
    }
}
