package io.wiregate.bench.driver;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One application server JVM with the two bench WARs side by side, started for one step by arquillian-tests'
 * {@code io.wiregate.servers.Launcher} on 127.0.0.1: Wiregate's ({@code target/wiregate-benchmarks-wiregate.war})
 * at {@code /wiregate} and the raw endpoint's ({@code target/wiregate-benchmarks-raw.war}) at {@code /raw}, both
 * serving {@code /bench}. The server JVM runs with the standalone servers' flags ({@code bench.server.jvmArgs});
 * CPU, RSS and class histograms are those of that JVM (not of the launcher). The launcher stops the server when
 * its standard input ends, so a driver that dies leaves no server behind.
 */
final class AppServer implements Host {

    private static final String LAUNCHER = "io.wiregate.servers.Launcher";

    private final Platform platform;
    private final Process launcher;
    private final long jvm;
    private final String base;
    private final Path log;

    private AppServer(Platform platform, Process launcher, long jvm, String base, Path log) {
        this.platform = platform;
        this.launcher = launcher;
        this.jvm = jvm;
        this.base = base;
        this.log = log;
    }

    /** The launcher's classes: {@code arquillian-tests/target/classes}, or {@code -Dbench.launcher.classes}. */
    static Path launcherClasses(Config cfg) {
        return Path.of(System.getProperty("bench.launcher.classes",
                cfg.home().resolve("../arquillian-tests/target/classes").normalize().toString()));
    }

    /** The servers the launcher runs, unpacked by arquillian-tests' build. */
    static Path serversDirectory(Config cfg) {
        return launcherClasses(cfg).getParent().resolve("servers");
    }

    static Path war(Config cfg, ServerProcess.Kind kind) {
        return cfg.home().resolve("target/wiregate-benchmarks-" + kind.id + ".war");
    }

    /** Starts the server with both WARs and waits until both endpoints accept a handshake (bounded in time). */
    static AppServer start(Platform platform, Config cfg, String step) throws IOException, InterruptedException {
        Path classes = launcherClasses(cfg);
        if (!Files.isRegularFile(classes.resolve(LAUNCHER.replace('.', '/') + ".class"))
                || !Files.isDirectory(serversDirectory(cfg))) {
            throw new IllegalStateException("no launcher or no unpacked servers under " + classes.getParent()
                    + ": mvn -B -q -pl benchmarks,arquillian-tests -am pre-integration-test -DskipTests -Dservers.skip=false");
        }
        List<String> ready = new ArrayList<>();
        List<String> deployments = new ArrayList<>();
        for (ServerProcess.Kind kind : ServerProcess.Kind.ALL) {
            if (kind.contextRoot == null) {
                continue; // a standalone-only kind
            }
            Path war = war(cfg, kind);
            if (!Files.isRegularFile(war)) {
                throw new IllegalStateException("no " + war + ": mvn -B -q -pl benchmarks -am package -DskipTests");
            }
            ready.add(kind.contextRoot + "/bench");
            deployments.add(kind.contextRoot + "=" + war);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlauncher.ready=" + String.join(",", ready),
                "-Dlauncher.exit-with-stdin=true",
                "-Dlauncher.jvm-options=" + String.join(" ", cfg.serverJvmArgs()),
                "-Dlauncher.startup-seconds=" + STARTUP_SECONDS,
                "-cp", classes.toString(), LAUNCHER, platform.id()));
        cmd.addAll(deployments);
        Path log = ServerProcess.logFile(cfg, platform.filePrefix() + step);
        BenchmarkDriver.log("   starting " + platform.name() + " with both WARs (log: " + log + ")");
        long t0 = System.nanoTime();
        ServerProcess.Launched started = ServerProcess.launch(cmd, log, platform.id(), STARTUP_SECONDS + 30);
        long jvm = started.process().descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
        AppServer server = new AppServer(platform, started.process(), jvm, started.base(), log);
        ServerProcess.register(server);
        if (jvm < 0) {
            server.close();
            throw new IllegalStateException("no server JVM under the launcher of " + platform.name() + "; see " + log);
        }
        BenchmarkDriver.log(String.format("   %s listening on %s after %.0f s (server JVM pid %d)", platform.name(), started.base(),
                (System.nanoTime() - t0) / 1e9, jvm));
        return server;
    }

    /** At most this long for the server to accept both handshakes (WildFly and Payara Micro take about 20 s here). */
    private static final int STARTUP_SECONDS = 240;

    @Override
    public ServerProcess serve(ServerProcess.Kind kind, String step) {
        if (kind.contextRoot == null) {
            throw new IllegalArgumentException("server '" + kind.id + "' runs standalone only, not on " + platform.name());
        }
        if (!ProcessHandle.of(jvm).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException(platform.name() + " is no longer running; see " + log);
        }
        return ServerProcess.view(kind, platform.label(kind), jvm, URI.create(base + kind.contextRoot + "/bench"), log);
    }

    /**
     * Stops the server: the launcher undeploys (Open Liberty) and stops it when its standard input ends; if it has
     * not exited within 60 s, it is terminated, and the server JVM with it.
     */
    @Override
    public void close() {
        ServerProcess.unregister(this);
        ServerProcess.stop(launcher, 60, 30);
        if (jvm <= 0) {
            return;
        }
        try {
            ProcessHandle server = ProcessHandle.of(jvm).orElse(null);
            if (server != null && server.isAlive()) {
                server.destroy();
                server.onExit().get(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            ProcessHandle.of(jvm).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
