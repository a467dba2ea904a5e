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
        return WiregateServer.builder().options(options).start();
    }
}
