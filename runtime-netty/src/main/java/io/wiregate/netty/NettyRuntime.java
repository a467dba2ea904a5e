package io.wiregate.netty;

import io.wiregate.cdi.spi.StandaloneRuntime;

/** The Netty runtime, as {@code wiregate.runtime=netty} selects it. */
public final class NettyRuntime implements StandaloneRuntime {

    /** Its name. */
    static final String NAME = "netty";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Server start(Options options) {
        WiregateServer.Builder builder = WiregateServer.builder();
        if (options.host() != null) {
            builder.host(options.host());
        }
        if (options.port() != null) {
            builder.port(options.port());
        }
        if (options.staticResources() != null) {
            builder.staticResources(options.staticResources());
        }
        if (options.beanClasses() != null) {
            builder.beanClasses(options.beanClasses());
        }
        return builder.start();
    }
}
