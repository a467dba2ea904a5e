package io.wiregate.cdi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.wiregate.protocol.ErrorCode;
import io.wiregate.spi.BusStatistics;

/**
 * Wiregate's metrics in a Micrometer {@link MeterRegistry} (the README lists them). Every meter but the handler timer
 * reads counters Wiregate keeps anyway ({@link GatewayMetrics}, the bus's {@link BusStatistics}), so the send path
 * pays nothing for them. Loaded only where Micrometer is on the class path. {@link #close} removes every meter it
 * registered (a redeployed application registers them again, with its new counters).
 */
final class MicrometerMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<String, Timer> handlerTimers = new ConcurrentHashMap<>();
    private Supplier<java.util.Optional<BusStatistics>> busSource;

    private MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Registers the meters of {@code gateways} and of the cluster bus in {@code registry}, and turns their counting on.
     *
     * @param registry a {@code MeterRegistry} (typed {@code Object}: callers do not load Micrometer's classes)
     * @param bus      the bus's figures, read at each scrape (an empty value for a bus without figures)
     */
    static MicrometerMetrics bind(Object registry, Collection<GatewayRuntime> gateways,
                                  Supplier<java.util.Optional<BusStatistics>> bus) {
        MicrometerMetrics m = new MicrometerMetrics((MeterRegistry) registry);
        gateways.forEach(m::bindGateway);
        m.bindBus(bus);
        return m;
    }

    private void bindGateway(GatewayRuntime g) {
        ClientRegistry clients = g.registry();
        GatewayMetrics f = clients.metrics();
        Tags gateway = Tags.of("gateway", g.model().path());
        add(Gauge.builder("wiregate.connections.open", clients, ClientRegistry::size).tags(gateway)
                .description("Open connections of the gateway on this node").register(registry));
        counter("wiregate.connections.opened", gateway, f.connected, "Connections that became connected");
        counter("wiregate.frames.in", gateway.and("outcome", "handled"), f,
                x -> Math.max(0, x.framesIn.sum() - x.errorsTotal()), "Inbound frames handled without an error");
        for (ErrorCode code : ErrorCode.values()) {
            counter("wiregate.frames.in", gateway.and("outcome", code.name().toLowerCase(Locale.ROOT)), f.errors(code),
                    "Inbound frames answered with this error code");
        }
        counter("wiregate.deliveries", gateway, f.deliveries, "Delivery frames queued for connections (one per recipient)");
        add(FunctionCounter.builder("wiregate.delivered", f.bytesOut, LongAdder::doubleValue).baseUnit("bytes")
                .tags(gateway).description("Bytes of delivery frames queued for connections (UTF-8 text)").register(registry));
        counter("wiregate.volatile.dropped", gateway, f.volatileDropped,
                "Volatile events dropped because the recipient's queue was full");
        counter("wiregate.recovery.resumes", gateway.and("result", "recovered"), f.recovered,
                "Sessions resumed exactly (recovered: true)");
        counter("wiregate.recovery.resumes", gateway.and("result", "not_recovered"), f.notRecovered,
                "Resumes answered recovered: false");
        f.enable((event, nanos) -> handlerTimers.computeIfAbsent(event, e -> add(Timer.builder("wiregate.handler.duration")
                        .tags(gateway.and("event", e)).publishPercentileHistogram()
                        .description("Time in the event's handler").register(registry)))
                        .record(nanos, TimeUnit.NANOSECONDS),
                (code, counter) -> {
                    synchronized (this) {
                        counter("wiregate.connections.closed", gateway.and("code", code == 0 ? "other" : String.valueOf(code)),
                                counter, "Connections closed, by close code (4005: slow consumers)");
                    }
                });
    }

    private void bindBus(Supplier<java.util.Optional<BusStatistics>> bus) {
        if (bus.get().isEmpty()) {
            return;
        }
        busSource = bus; // meters hold their sources weakly
        counter("wiregate.bus.published", bus, s -> s.get().map(BusStatistics::published).orElse(0L),
                "Deliveries the broker accepted");
        counter("wiregate.bus.publish.failures", bus, s -> s.get().map(BusStatistics::publishFailures).orElse(0L),
                "Deliveries that could not be published (they reached this node's clients only)");
        counter("wiregate.bus.received", bus, s -> s.get().map(BusStatistics::received).orElse(0L),
                "Valid messages received from other nodes and emitters");
        counter("wiregate.bus.malformed", bus, s -> s.get().map(BusStatistics::malformed).orElse(0L),
                "Malformed messages received, delivered to no one");
        add(FunctionTimer.builder("wiregate.bus.publish.lag", bus, s -> s.get().map(BusStatistics::publishes).orElse(0L),
                        s -> s.get().map(BusStatistics::publishNanos).orElse(0L), TimeUnit.NANOSECONDS)
                .description("Time from a delivery to the broker's answer to its publish").register(registry));
        add(Gauge.builder("wiregate.recovery.records.waiting", bus,
                        s -> s.get().map(BusStatistics::recordsWaiting).orElse(0L))
                .description("Records of shared recovery histories waiting for the broker").register(registry));
        counter("wiregate.recovery.records.refused", bus, s -> s.get().map(BusStatistics::recordsRefused).orElse(0L),
                "Records of shared recovery histories refused because too many waited");
    }

    private void counter(String name, Tags tags, LongAdder counter, String description) {
        add(FunctionCounter.builder(name, counter, LongAdder::doubleValue).tags(tags).description(description).register(registry));
    }

    private <T> void counter(String name, Tags tags, T source, ToDoubleFunction<T> value, String description) {
        add(FunctionCounter.builder(name, source, value).tags(tags).description(description).register(registry));
    }

    private <T> void counter(String name, T source, ToDoubleFunction<T> value, String description) {
        counter(name, Tags.empty(), source, value, description);
    }

    private synchronized <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    /** Removes the meters this binding registered. */
    @Override
    public synchronized void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
