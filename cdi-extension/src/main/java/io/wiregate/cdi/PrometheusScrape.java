package io.wiregate.cdi;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Wiregate's own Prometheus registry, for the standalone scrape; loaded only where that registry is on the class path. */
final class PrometheusScrape {

    private PrometheusScrape() {
    }

    static Object newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** The registry's metrics in the Prometheus text format (0.0.4). */
    static String scrape(Object registry) {
        return ((PrometheusMeterRegistry) registry).scrape();
    }
}
