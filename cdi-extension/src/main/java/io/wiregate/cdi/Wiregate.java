package io.wiregate.cdi;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.AmbiguousResolutionException;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;

import io.wiregate.protocol.EnvelopeParser;
import io.wiregate.spi.ClusterBus;

/**
 * The running Wiregate of one application: its gateways, the shared services (JSON-B, Bean Validation, the
 * timer thread, the delivery path) and the cluster bus. Built once after deployment validation.
 */
public final class Wiregate {

    private static final Logger LOG = Logger.getLogger(Wiregate.class.getName());

    private final Map<Class<?>, GatewayRuntime> byClass;
    private final ScheduledThreadPoolExecutor timers;
    private final Jsonb jsonb;
    private final ValidatorFactory validation;
    private final ClusterBus bus;
    private final DeliveryService deliveries;
    private final PayloadBinder binder;
    private final RequestContexts requestContexts;
    private volatile MetricsBinding metrics = MetricsBinding.NONE;

    private Wiregate(Map<Class<?>, GatewayRuntime> byClass, ScheduledThreadPoolExecutor timers, Jsonb jsonb,
                     ValidatorFactory validation, ClusterBus bus, DeliveryService deliveries, PayloadBinder binder,
                     RequestContexts requestContexts) {
        this.requestContexts = requestContexts;
        this.byClass = byClass;
        this.timers = timers;
        this.jsonb = jsonb;
        this.validation = validation;
        this.bus = bus;
        this.deliveries = deliveries;
        this.binder = binder;
    }

    /**
     * Starts the gateways.
     *
     * @param gateways each gateway's model with its CDI bean
     * @throws Exception if a service (JSON-B, Bean Validation, the cluster bus) cannot start
     */
    static Wiregate start(Map<GatewayModel, Bean<?>> gateways, BeanManager beanManager) throws Exception {
        return start(gateways, beanManager, List.of());
    }

    /**
     * Starts the gateways, with the interceptor, room guard and cluster bus beans the extension saw during discovery
     * in addition to those {@code beanManager} resolves (see {@link #isDiscoveredType}).
     *
     * @throws Exception if a service (JSON-B, Bean Validation, the cluster bus) cannot start
     */
    static Wiregate start(Map<GatewayModel, Bean<?>> gateways, BeanManager beanManager,
                                 Collection<Bean<?>> discovered) throws Exception {
        Jsonb jsonb = JsonbBuilder.create();
        ValidatorFactory validation = Validation.buildDefaultValidatorFactory();
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wiregate-timers");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true);
        PayloadBinder binder = new PayloadBinder(jsonb);
        PayloadValidator validator = new PayloadValidator(validation.getValidator());
        EnvelopeParser parser = new EnvelopeParser();
        Instance<Object> instances = beanManager.createInstance();
        ClusterBus bus = clusterBus(beanManager, discovered);
        RequestContexts requestContexts = new RequestContexts(instances.select(RequestContextController.class));
        RequestScope requestScope = requestScope(requestContexts, beanManager, discovered);

        Map<String, ClientRegistry> registries = new LinkedHashMap<>();
        gateways.keySet().forEach(m -> {
            ClientRegistry registry = new ClientRegistry();
            if (m.limits().recovery()) {
                registry.enableRecovery(timers, m.limits());
            }
            registries.put(m.path(), registry);
        });
        DeliveryService deliveries = new DeliveryService(registries, bus);
        Map<Class<?>, GatewayRuntime> byClass = new LinkedHashMap<>();
        List<String> missing = new java.util.ArrayList<>();
        gateways.forEach((model, bean) -> {
            Object reference = beanManager.getReference(bean, model.beanClass(), beanManager.createCreationalContext(bean));
            Invoker invoker = (method, args) -> invoke(reference, method, args);
            Interceptors interceptors = Interceptors.resolve(model.beanClass(), beanManager, discovered);
            if (model.auth() == io.wiregate.Auth.MESSAGE && model.authenticator() == null
                    && interceptors.authenticators().isEmpty()) {
                missing.add(io.wiregate.cdi.DeploymentMessages.missingAuthenticator(model.beanClass(), model.auth()));
            }
            byClass.put(model.beanClass(), new GatewayRuntime(model, registries.get(model.path()), parser, binder,
                    validator, invoker, reference, deliveries, timers, interceptors, requestScope));
        });
        if (!missing.isEmpty()) {
            timers.shutdownNow();
            throw new IllegalStateException(String.join("\n  ", missing));
        }
        MetricsBinding metrics;
        try {
            metrics = MetricsBinding.start(beanManager, byClass.values(), bus);
        } catch (RuntimeException e) {
            timers.shutdownNow();
            throw e;
        }
        bus.start(deliveries::deliverLocally);
        for (GatewayModel m : gateways.keySet()) {
            Recovery recovery = registries.get(m.path()).recovery();
            io.wiregate.spi.RecoveryLog log = recovery == null ? null
                    : bus.recoveryLog(m.path(), m.limits().recoveryWindowMs(), m.limits().recoveryMaxEvents());
            if (log != null) {
                recovery.share(log);
            }
            if (m.limits().presence() != io.wiregate.Presence.OFF) {
                io.wiregate.spi.PresenceStore store = bus.presenceStore(m.path());
                PresenceTracker tracker = new PresenceTracker(m.path(), m.limits().presence(),
                        store == null ? new LocalPresence() : store, deliveries);
                tracker.start(registries.get(m.path()));
                registries.get(m.path()).enablePresence(tracker);
            }
        }
        Wiregate wiregate = new Wiregate(byClass, timers, jsonb, validation, bus, deliveries, binder, requestContexts);
        wiregate.metrics = metrics;
        return wiregate;
    }

    private static Object invoke(Object reference, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(reference, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * The cluster bus: the {@code @Default} {@link ClusterBus} bean that {@code beanManager} resolves among those it
     * sees and those in {@code discovered}, or the in-JVM bus when there is none. Both sources count: on Payara the
     * extension's bean manager (that of the {@code wiregate-cdi} JAR) does not see the beans of the application's other
     * JARs, such as {@code wiregate-redisson}'s, although the extension observed them during discovery.
     *
     * @throws IllegalStateException (WG-0101, {@link io.wiregate.cdi.DeploymentMessages#ambiguousClusterBus}) if several buses are deployed and none is a selected alternative
     */
    static ClusterBus clusterBus(BeanManager beanManager, Collection<Bean<?>> discovered) {
        Set<Bean<?>> candidates = new LinkedHashSet<>(beanManager.getBeans(ClusterBus.class));
        discovered.stream().filter(Wiregate::isClusterBus).forEach(candidates::add);
        if (candidates.isEmpty()) {
            return new LocalBus();
        }
        Bean<?> bean;
        try {
            bean = beanManager.resolve(candidates);
        } catch (AmbiguousResolutionException e) {
            throw new IllegalStateException(io.wiregate.cdi.DeploymentMessages.ambiguousClusterBus(
                    candidates.stream().map(b -> b.getBeanClass().getName()).sorted().toList()), e);
        }
        return (ClusterBus) beanManager.getReference(bean, ClusterBus.class, beanManager.createCreationalContext(bean));
    }

    /**
     * Whether the extension keeps a bean it observes during discovery for {@link #start}: a connection interceptor,
     * packet interceptor, room guard or authenticator, or a {@code @Default} cluster bus.
     */
    static boolean isDiscoveredType(Bean<?> bean) {
        return Interceptors.isContractBean(bean) || isClusterBus(bean) || bean.getScope() == RequestScoped.class;
    }

    /**
     * Whether {@code bean} is request-scoped and not one of the container's built-in beans (the {@code Conversation}
     * bean is request-scoped in every container; Weld's servlet beans too), which a WebSocket message never uses.
     */
    private static boolean isApplicationRequestScoped(Bean<?> bean) {
        return bean.getScope() == RequestScoped.class
                && !bean.getTypes().contains(jakarta.enterprise.context.Conversation.class)
                && !bean.getBeanClass().getName().startsWith("org.jboss.weld.");
    }

    /**
     * The request scope of every unit of work: the request context, activated around each, when a request-scoped
     * bean exists (among those the extension saw, {@code discovered}, or those {@code beanManager} resolves, the
     * container's own built-in beans excepted) or {@code wiregate.request-context} is {@code always}; otherwise
     * nothing could live in it, and activating it (a measured 2 to 3 µs per frame on Weld) is skipped.
     *
     * @throws IllegalArgumentException if {@code wiregate.request-context} is neither {@code auto} nor {@code always}
     */
    static RequestScope requestScope(RequestContexts contexts, BeanManager beanManager, Collection<Bean<?>> discovered) {
        String mode = io.wiregate.protocol.internal.Settings.get("wiregate.request-context").orElse("auto");
        if (!mode.equals("auto") && !mode.equals("always")) {
            throw new IllegalArgumentException("wiregate.request-context=" + mode + " must be auto or always");
        }
        boolean needed = mode.equals("always") || discovered.stream().anyMatch(Wiregate::isApplicationRequestScoped)
                || beanManager.getBeans(Object.class, jakarta.enterprise.inject.Any.Literal.INSTANCE).stream()
                        .anyMatch(Wiregate::isApplicationRequestScoped);
        return needed ? contexts : Runnable::run;
    }

    private static boolean isClusterBus(Bean<?> bean) {
        return bean.getTypes().contains(ClusterBus.class) && bean.getQualifiers().contains(Default.Literal.INSTANCE);
    }

    /** The running gateways. */
    public Collection<GatewayRuntime> gateways() {
        return byClass.values();
    }

    /** The running gateways, for a runtime that serves them without Jakarta WebSocket, in deployment order. */
    public List<io.wiregate.cdi.spi.HostedGateway> hosted() {
        return byClass.values().stream().<io.wiregate.cdi.spi.HostedGateway>map(HostedGatewayImpl::new).toList();
    }

    /** The delivery path. */
    DeliveryService deliveries() {
        return deliveries;
    }

    /** The presence of the gateway declared at {@code namespace}, or null when it has none. */
    PresenceTracker presence(String namespace) {
        for (GatewayRuntime g : byClass.values()) {
            if (g.model().path().equals(namespace)) {
                return g.registry().presence();
            }
        }
        return null;
    }

    /** JSON-B serialization of payloads. */
    PayloadBinder binder() {
        return binder;
    }

    /** Why the cluster bus cannot carry deliveries now (see {@link ClusterBus#unavailable()}), or empty. */
    public java.util.Optional<String> busUnavailable() {
        try {
            return bus.unavailable();
        } catch (RuntimeException e) {
            return java.util.Optional.of("the cluster bus failed its check: " + e);
        }
    }

    /**
     * Wiregate's metrics in the Prometheus text format, when {@code wiregate.metrics.path} asks the standalone runtime
     * to serve them; empty otherwise.
     */
    public java.util.Optional<String> prometheusScrape() {
        return metrics.scrape();
    }

    /** How many connections are open on this node, all gateways together. */
    int connectionCount() {
        return byClass.values().stream().mapToInt(g -> g.registry().size()).sum();
    }

    /**
     * Closes every connection with 1001 (each gets a {@code disconnect} first), waits for them to close at
     * most {@code waitMillis}, then stops the bus and the timers. Idempotent.
     */
    public void shutdown(long waitMillis) {
        if (timers.isShutdown()) {
            return;
        }
        byClass.values().forEach(g -> g.closeAll(1001, "server shutting down"));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (connectionCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10); // shutdown only: polls the registries for the closes the container reports
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Containers may report some closes only later (or never, once stopping): report them now, so that every
        // @OnClose and exit runs while CDI is still up.
        byClass.values().forEach(g -> g.forgetAll(1001, "server shutting down"));
        byClass.values().forEach(g -> {
            Recovery recovery = g.registry().recovery();
            if (recovery != null) {
                recovery.stop();
            }
            PresenceTracker presence = g.registry().presence();
            if (presence != null) {
                presence.stop();
            }
        });
        metrics.close();
        try {
            bus.stop();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "stopping the cluster bus failed", e);
        }
        timers.shutdownNow();
        requestContexts.close();
        try {
            jsonb.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "closing JSON-B failed", e);
        }
        validation.close();
    }

    /** The gateways' models, in deployment order. */
    List<GatewayModel> models() {
        return byClass.values().stream().map(GatewayRuntime::model).toList();
    }

    /** The largest inbound message, in bytes, that any gateway accepts ({@code @Gateway(maxMessageBytes)}). */
    public int largestMessageBytes() {
        return byClass.values().stream().mapToInt(g -> g.model().limits().maxMessageBytes()).max().orElse(65536);
    }
}
