package io.wiregate.tyrus;

import io.wiregate.cdi.spi.StandaloneRuntime;

/** The Tyrus runtime, as {@code wiregate.runtime=tyrus} selects it. */
public final class TyrusRuntime implements StandaloneRuntime {

    /** Its name. */
    static final String NAME = "tyrus";

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
