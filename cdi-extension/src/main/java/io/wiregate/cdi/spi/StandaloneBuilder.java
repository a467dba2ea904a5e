package io.wiregate.cdi.spi;

import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;

import io.wiregate.cdi.WiregateExtension;
import io.wiregate.protocol.internal.Settings;

/**
 * What every standalone runtime's builder takes (host, port, static folder, bean classes), with the configured
 * defaults ({@code wiregate.host}, {@code wiregate.port}), and the boot of its CDI container.
 *
 * @param <B> the runtime's own builder
 */
public abstract class StandaloneBuilder<B extends StandaloneBuilder<B>> {

    private String host = Settings.get("wiregate.host").orElse("127.0.0.1");
    private int port = Settings.getLong("wiregate.port").orElse(8025L).intValue();
    private String staticResources;
    private Class<?>[] beanClasses;

    /** For the runtimes' builders. */
    protected StandaloneBuilder() {
    }

    /** The host to bind; 127.0.0.1 by default. */
    public B host(String host) {
        this.host = host;
        return self();
    }

    /** The port to bind; 0 picks a free one. */
    public B port(int port) {
        this.port = port;
        return self();
    }

    /** Serves the class path folder {@code resources} (for example {@code "static/"}) over plain HTTP. */
    public B staticResources(String resources) {
        this.staticResources = resources;
        return self();
    }

    /**
     * Starts CDI with only these bean classes instead of scanning the class path for bean archives
     * (for tests).
     */
    public B beanClasses(Class<?>... classes) {
        this.beanClasses = classes.clone();
        return self();
    }

    /** Takes every option that is set (not null) in {@code options}. */
    public B options(StandaloneRuntime.Options options) {
        if (options.host() != null) {
            host(options.host());
        }
        if (options.port() != null) {
            port(options.port());
        }
        if (options.staticResources() != null) {
            staticResources(options.staticResources());
        }
        if (options.beanClasses() != null) {
            beanClasses(options.beanClasses());
        }
        return self();
    }

    /** The host to bind. */
    protected String host() {
        return host;
    }

    /** The port to bind. */
    protected int port() {
        return port;
    }

    /** The class path folder to serve, or null. */
    protected String staticResources() {
        return staticResources;
    }

    /**
     * Boots the CDI container (Weld SE): the bean archives of the class path, or only the bean classes given, with
     * no shutdown hook of its own (the runtime's close stops it).
     *
     * @throws IllegalStateException if the deployment is invalid; the message lists every problem (WG-*)
     */
    protected SeContainer startCdi() {
        SeContainerInitializer cdi = SeContainerInitializer.newInstance()
                .addProperty("org.jboss.weld.se.shutdownHook", false);
        if (beanClasses != null) {
            // Without discovery Weld SE also skips META-INF/services extensions: add Wiregate's by hand.
            cdi.disableDiscovery().addBeanClasses(beanClasses).addExtensions(new WiregateExtension());
        }
        try {
            return cdi.initialize();
        } catch (RuntimeException e) { // the container's DefinitionException/DeploymentException: the WG-* problems
            throw new IllegalStateException("Wiregate could not deploy its gateways: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
