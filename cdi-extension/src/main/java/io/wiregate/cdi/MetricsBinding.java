package io.wiregate.cdi;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

import io.wiregate.protocol.internal.Settings;
import io.wiregate.spi.ClusterBus;

/**
 * Where Wiregate's metrics go, chosen once at startup:
 * <ul>
 *   <li>{@code wiregate.metrics.path} set (the standalone runtimes): a Prometheus registry of Wiregate's own, scraped
 *       at that path of the runtime's HTTP port; it needs {@code io.micrometer:micrometer-registry-prometheus};</li>
 *   <li>otherwise, a Micrometer {@code MeterRegistry} bean, when the application has one (WildFly's {@code micrometer}
 *       subsystem provides it; so does any application that produces one);</li>
 *   <li>otherwise none, and nothing is counted.</li>
 * </ul>
 * Micrometer's classes are touched only when they are visible. Thread-safe.
 */
final class MetricsBinding implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MetricsBinding.class.getName());
    /** The configuration key of the standalone scrape path. */
    static final String PATH = "wiregate.metrics.path";
    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
    private static final String PROMETHEUS_REGISTRY = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";
    static final MetricsBinding NONE = new MetricsBinding(() -> { }, null);

    private final AutoCloseable meters;
    private final Supplier<String> scrape;

    private MetricsBinding(AutoCloseable meters, Supplier<String> scrape) {
        this.meters = meters;
        this.scrape = scrape;
    }

    /**
     * Binds the gateways' and the bus's metrics where this application has a place for them.
     *
     * @throws IllegalStateException if {@code wiregate.metrics.path} is set but Micrometer's Prometheus registry is not
     *                               on the class path
     */
    static MetricsBinding start(BeanManager beanManager, Collection<GatewayRuntime> gateways, ClusterBus bus) {
        Optional<String> path = Settings.get(PATH).map(String::trim).filter(p -> !p.isEmpty());
        if (path.isPresent()) {
            if (!visible(PROMETHEUS_REGISTRY)) {
                throw new IllegalStateException(PATH + "=" + path.get() + " asks for a Prometheus scrape, but"
                        + " io.micrometer:micrometer-registry-prometheus is not on the class path: add it, or unset " + PATH);
            }
            Object registry = PrometheusScrape.newRegistry();
            LOG.info(() -> "Wiregate metrics: Prometheus scrape at " + path.get());
            return new MetricsBinding(MicrometerMetrics.bind(registry, gateways, () -> statistics(bus)),
                    () -> PrometheusScrape.scrape(registry));
        }
        if (!visible(METER_REGISTRY)) {
            return NONE;
        }
        Object registry = meterRegistryBean(beanManager);
        if (registry == null) {
            return NONE;
        }
        LOG.info(() -> "Wiregate metrics: registered in the application's MeterRegistry " + registry.getClass().getName());
        return new MetricsBinding(MicrometerMetrics.bind(registry, gateways, () -> statistics(bus)), null);
    }

    /** The Prometheus text of Wiregate's own registry, or empty when the metrics go elsewhere (or nowhere). */
    Optional<String> scrape() {
        return scrape == null ? Optional.empty() : Optional.of(scrape.get());
    }

    /** Removes the meters (a redeployed application registers its own). */
    @Override
    public void close() {
        try {
            meters.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "removing Wiregate's meters failed", e);
        }
    }

    private static Optional<io.wiregate.spi.BusStatistics> statistics(ClusterBus bus) {
        try {
            return bus.statistics();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Object meterRegistryBean(BeanManager beanManager) {
        try {
            Class<?> type = Class.forName(METER_REGISTRY, false, MetricsBinding.class.getClassLoader());
            Set<Bean<?>> beans = beanManager.getBeans(type);
            if (beans.isEmpty()) {
                return null;
            }
            Bean<?> bean = beanManager.resolve(beans);
            return bean == null ? null : beanManager.getReference(bean, type, beanManager.createCreationalContext(bean));
        } catch (ClassNotFoundException | RuntimeException e) {
            LOG.log(Level.WARNING, "Wiregate metrics: the application's MeterRegistry could not be used; no metrics", e);
            return null;
        }
    }

    private static boolean visible(String className) {
        try {
            Class.forName(className, false, MetricsBinding.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
