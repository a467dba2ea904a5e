package io.wiregate.tyrus;

import io.wiregate.cdi.spi.StandaloneMain;
import io.wiregate.cdi.spi.StandaloneRuntime;

/**
 * Starts the standalone runtime these protocol tests run against: the one {@code wiregate.runtime} names, Tyrus
 * unless set. The module's build runs every protocol test twice, on Tyrus and on Netty (the {@code netty} execution
 * of its surefire configuration), so that both runtimes keep the same behaviour on hostile input.
 */
public final class Servers {

    private Servers() {
    }

    /** The runtime under test, on a free loopback port, with only {@code beanClasses}. */
    public static StandaloneRuntime.Server start(Class<?>... beanClasses) {
        return serving(null, beanClasses);
    }

    /** The same, also serving the class path folder {@code staticResources} over HTTP (null: none). */
    public static StandaloneRuntime.Server serving(String staticResources, Class<?>... beanClasses) {
        return StandaloneMain.selected("tyrus")
                .start(new StandaloneRuntime.Options("127.0.0.1", 0, staticResources, beanClasses.clone()));
    }

    /** The name of the runtime under test. */
    public static String runtime() {
        return StandaloneMain.selected("tyrus").name();
    }
}
