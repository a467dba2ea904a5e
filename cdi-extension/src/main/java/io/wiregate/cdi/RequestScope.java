package io.wiregate.cdi;

/** Runs one unit of work a connection causes inside a request scope ({@link RequestContexts} in a CDI container). */
@FunctionalInterface
interface RequestScope {

    /** Runs {@code work} with a request scope active. */
    void run(Runnable work);
}
