package io.wiregate.bench.driver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Profiles a server JVM over a scenario's measured window, attached with {@code jcmd PID JVMTI.agent_load}:
 * async-profiler (CPU samples every millisecond through perf events, kernel frames included; its library comes
 * from the {@code tools.profiler:async-profiler} jar in lib/), or JFR ({@code settings=profile}) where
 * async-profiler cannot run. Writes the collapsed stacks or the recording, and a flame graph (async-profiler),
 * under {@code target/bench-logs/}.
 */
final class Profiler {

    private Profiler() {
    }

    /** The async-profiler library for this machine, extracted from the class path once; null if none. */
    static Path asyncLibrary(Config cfg) {
        String arch = System.getProperty("os.arch");
        String dir = arch.equals("amd64") || arch.equals("x86_64") ? "linux-x64"
                : arch.equals("aarch64") ? "linux-arm64" : null;
        if (dir == null || !System.getProperty("os.name").toLowerCase().contains("linux")) {
            return null;
        }
        try (InputStream in = Profiler.class.getClassLoader().getResourceAsStream(dir + "/libasyncProfiler.so")) {
            if (in == null) {
                return null;
            }
            Path lib = cfg.home().resolve("target/bench-logs/libasyncProfiler.so");
            Files.createDirectories(lib.getParent());
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            return lib;
        } catch (IOException e) {
            return null;
        }
    }

    /** A profile of one server over one measured window; {@link #summary()} once the scenario ran. */
    interface Session extends Measure {
        ProfileSummary summary() throws IOException;

        /** Where the human-readable output is (flame graph or recording). */
        Path output();
    }

    /** Attaches to {@code server}'s JVM; its files under target/bench-logs start with {@code filePrefix}. */
    static Session attach(ServerProcess server, Config cfg, String scenario, String filePrefix) throws IOException {
        Path dir = cfg.home().resolve("target/bench-logs");
        Files.createDirectories(dir);
        String base = filePrefix + scenario + "-" + server.kind.id;
        Path lib = cfg.profiler().equals("jfr") ? null : asyncLibrary(cfg);
        if (lib != null) {
            return new Async(server, lib, dir.resolve(base + ".collapsed"), dir.resolve(base + "-flamegraph.html"), scenario);
        }
        return new Jfr(server, dir.resolve(base + ".jfr"), scenario);
    }

    private static final class Async implements Session {
        private final ServerProcess server;
        private final Path lib;
        private final Path collapsed;
        private final Path flame;
        private final String scenario;
        private String event = "cpu";

        Async(ServerProcess server, Path lib, Path collapsed, Path flame, String scenario) {
            this.server = server;
            this.lib = lib;
            this.collapsed = collapsed;
            this.flame = flame;
            this.scenario = scenario;
        }

        private boolean load(String options) {
            // quoted, or jcmd would split the options at '='
            String out = server.jcmd("JVMTI.agent_load", lib.toString(), "\"" + options + "\"");
            return out.contains("return code: 0");
        }

        @Override
        public void start() {
            if (!load("start,event=cpu,interval=1ms,threads")) {
                event = "itimer"; // no perf events here: CPU time through setitimer, without kernel frames
                if (!load("start,event=itimer,interval=1ms,threads")) {
                    throw new IllegalStateException("async-profiler did not start; see " + server.log());
                }
            }
        }

        @Override
        public void end() {
            load("stop,file=" + collapsed + ",collapsed");
            load("flamegraph,file=" + flame + ",title=" + server.label + " " + scenario + " (" + event + ")");
        }

        @Override
        public ProfileSummary summary() throws IOException {
            return ProfileSummary.fromCollapsed(collapsed, server.kind.id, scenario);
        }

        @Override
        public Path output() {
            return flame;
        }
    }

    private static final class Jfr implements Session {
        private final ServerProcess server;
        private final Path file;
        private final String scenario;

        Jfr(ServerProcess server, Path file, String scenario) {
            this.server = server;
            this.file = file;
            this.scenario = scenario;
        }

        @Override
        public void start() {
            server.jcmd("JFR.start", "name=bench", "settings=profile");
        }

        @Override
        public void end() {
            server.jcmd("JFR.dump", "name=bench", "filename=" + file);
            server.jcmd("JFR.stop", "name=bench");
        }

        @Override
        public ProfileSummary summary() throws IOException {
            return ProfileSummary.fromJfr(file, server.kind.id, scenario);
        }

        @Override
        public Path output() {
            return file;
        }
    }
}
