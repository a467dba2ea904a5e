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
        return WiregateServer.builder().options(options).start();
    }
}
