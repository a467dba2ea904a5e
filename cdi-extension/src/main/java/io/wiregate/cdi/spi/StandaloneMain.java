package io.wiregate.cdi.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;

import io.wiregate.protocol.internal.Settings;

/**
 * The {@code main} of the standalone runtimes ({@code io.wiregate.tyrus.Main}, {@code io.wiregate.netty.Main}):
 * starts the runtime named by {@code wiregate.runtime} (the caller's own by default), prints
 * {@code LISTENING ws://HOST:PORT} once every gateway accepts connections, and on SIGTERM closes every client with
 * 1001 and exits. So one application jar carrying both runtimes runs on either with one switch:
 * {@code java -Dwiregate.runtime=netty -jar app.jar}. Other options: {@code wiregate.host}, {@code wiregate.port},
 * {@code wiregate.static} (a class path folder served over HTTP).
 *
 * <p>Internal SPI of Wiregate's runtimes, not an application API: it may change in any release.
 */
public final class StandaloneMain {

    private StandaloneMain() {
    }

    /**
     * Runs the selected runtime until SIGTERM; exits with 1 and the problem on standard error if it cannot start.
     *
     * @param defaultRuntime the runtime to start when {@code wiregate.runtime} is not set
     */
    public static void run(String defaultRuntime) {
        StandaloneRuntime.Server server;
        try {
            server = selected(defaultRuntime).start(new StandaloneRuntime.Options(null, null,
                    Settings.get("wiregate.static").orElse(null), null));
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "wiregate-shutdown"));
        System.out.println("LISTENING " + server.uri());
        System.out.flush();
        // The servers' threads are daemons: the main thread keeps the JVM alive until SIGTERM runs the hook.
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The runtime {@code wiregate.runtime} names, or {@code defaultRuntime} when it is not set.
     *
     * @throws IllegalStateException if there is no such runtime on the class path
     */
    public static StandaloneRuntime selected(String defaultRuntime) {
        return select(Settings.get("wiregate.runtime").orElse(defaultRuntime));
    }

    /**
     * The runtime called {@code name} on the class path.
     *
     * @throws IllegalStateException naming the runtimes there are, if none is called so
     */
    public static StandaloneRuntime select(String name) {
        List<String> names = new ArrayList<>();
        for (StandaloneRuntime runtime : ServiceLoader.load(StandaloneRuntime.class, StandaloneMain.class.getClassLoader())) {
            if (runtime.name().equals(name)) {
                return runtime;
            }
            names.add(runtime.name());
        }
        throw new IllegalStateException("wiregate.runtime=" + name + ": no such standalone runtime on the class path "
                + "(" + (names.isEmpty() ? "none found" : "found: " + String.join(", ", names))
                + "); add its artifact (wiregate-" + name + ") or choose another");
    }
}
