package io.wiregate.bench.driver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.wiregate.bench.server.RawNettyServer;
import io.wiregate.bench.server.RawTyrusServer;
import io.wiregate.bench.server.RawVerbatimTyrusServer;
import io.wiregate.bench.server.WiregateBenchServer;
import io.wiregate.bench.server.WiregateNettyBenchServer;

/**
 * One benchmark server: a JVM and the URI of its bench endpoint. Standalone, a JVM started for it alone, with the
 * same flags for every {@link Kind} (the driver's class path for the Tyrus-based kinds, an executable jar for
 * Quarkus), its output in a log file; it ends when {@link #close() closed}, or by
 * itself when the driver goes away (its standard input closes). On an application server, a view of the server's
 * JVM serving one of its two WARs ({@link AppServer#serve}): closing it leaves the server running.
 */
final class ServerProcess implements AutoCloseable {

    /**
     * A kind of benchmark server: an id (a value of {@code -Dbench.servers}), how tables name it, whether it is a
     * Wiregate server (the subject of the targets) and how its JVM is started. Every kind gets the same JVM flags
     * ({@code bench.server.jvmArgs}) and {@code -Dbench.host=127.0.0.1 -Dbench.port=0}, and must print
     * {@code LISTENING ws://HOST:PORT} once it accepts connections at {@code /bench} and exit when its standard
     * input ends. To add one, define it here and list it in {@link #ALL}.
     */
    static final class Kind {

        /** Hand-written raw Tyrus endpoint that reads the envelope's event (JSON-P streaming) and routes on it. */
        static final Kind RAW = new Kind("raw", null, false, "raw-verbatim", "/raw",
                Launch.mainClass(RawTyrusServer.class.getName()));
        /** Raw Tyrus endpoint that echoes the text verbatim, no JSON: Tyrus's floor (issue 14). */
        static final Kind RAW_VERBATIM = new Kind("raw-verbatim", "raw Tyrus verbatim", false, null, null,
                Launch.mainClass(RawVerbatimTyrusServer.class.getName()));
        /** Wiregate's stock standalone runtime (Tyrus on Grizzly) with the bench gateway. */
        static final Kind WIREGATE = new Kind("wiregate", "Wiregate", true, "raw-verbatim", "/wiregate",
                Launch.mainClass(WiregateBenchServer.class.getName()));
        /** A hand-written raw Netty server that echoes verbatim: the Netty runtime's floor (issue 14). */
        static final Kind RAW_NETTY = new Kind("raw-netty", "raw Netty verbatim", false, null, null,
                Launch.mainClass(RawNettyServer.class.getName()));
        /** Wiregate's standalone runtime on Netty with the same bench gateway. */
        static final Kind WIREGATE_NETTY = new Kind("wiregate-netty", "Wiregate on Netty", true, "raw-netty", null,
                Launch.mainClass(WiregateNettyBenchServer.class.getName()));
        /** Quarkus WebSockets Next (module benchmarks/quarkus), its fast-jar. */
        static final Kind QUARKUS = new Kind("quarkus", "Quarkus", false, null, null,
                Launch.jar("bench.quarkus.jar", "quarkus/target/quarkus-app/quarkus-run.jar",
                        "mvn -B -pl benchmarks/quarkus -am package -DskipTests"));

        /**
         * A hand-written raw Vert.x core server that echoes verbatim and fans out with {@code writeTextMessage}
         * (module benchmarks/vertx): Vert.x core's own cost beside raw Netty's, for the choice of the second runtime.
         */
        static final Kind RAW_VERTX = new Kind("raw-vertx", "raw Vert.x verbatim", false, null, null,
                Launch.jar("bench.vertx.jar", "vertx/target/raw-vertx.jar",
                        "mvn -B -pl benchmarks/vertx -am package -DskipTests"));

        /**
         * Wiregate on Netty with connection state recovery on for the bench gateway ({@code wiregate.bench.recovery}):
         * every fanout takes an offset, is recorded in the gateway's history and is queued under the gateway's
         * recovery lock (issue 15). Not in the default run: {@code -Dbench.servers=wiregate-netty,wiregate-netty-recovery}.
         */
        static final Kind WIREGATE_NETTY_RECOVERY = new Kind("wiregate-netty-recovery", "Wiregate on Netty, recovery on",
                true, "raw-netty", null, Launch.mainClass(WiregateNettyBenchServer.class.getName(), "-Dwiregate.bench.recovery=true"));

        /**
         * Wiregate on Netty with every client sealed (docs/protocol.md section 12, issue 16): the same server, its
         * {@code /bench-sealed} gateway; the load generator does the client side of the handshake and opens every
         * frame. Not in the default run: {@code -Dbench.servers=wiregate-netty,wiregate-netty-sealed}.
         */
        static final Kind WIREGATE_NETTY_SEALED = new Kind("wiregate-netty-sealed", "Wiregate on Netty, sealed clients",
                true, "raw-netty", null, Launch.mainClass(WiregateNettyBenchServer.class.getName()), "/bench-sealed");

        /** Every kind, in the order of the default standalone run. */
        static final List<Kind> ALL = List.of(RAW, RAW_VERBATIM, WIREGATE, RAW_NETTY, WIREGATE_NETTY, QUARKUS, RAW_VERTX);
        /** Kinds run only when named in {@code bench.servers}. */
        static final List<Kind> NAMED_ONLY = List.of(WIREGATE_NETTY_RECOVERY, WIREGATE_NETTY_SEALED);
        /** Every kind a run may name. */
        private static final List<Kind> KNOWN = java.util.stream.Stream.concat(ALL.stream(), NAMED_ONLY.stream()).toList();

        final String id;
        /** Its name in tables and logs; null: the platform's raw label ("raw Tyrus", "raw Undertow"...). */
        final String label;
        /** A Wiregate server: the targets are judged on it. */
        final boolean wiregate;
        /**
         * The kind that echoes verbatim on the same transport, this kind's floor: its pipeline cost per echo round
         * trip is its server CPU per round trip minus the floor's (issue 14). Null: no floor in the benchmark.
         */
        final String floor;
        /** The context root of this kind's WAR on an application server; null: standalone only. */
        final String contextRoot;
        final Launch launch;
        /** The path its clients connect to: {@code /bench}, or another gateway of the same server. */
        final String path;

        Kind(String id, String label, boolean wiregate, String floor, String contextRoot, Launch launch) {
            this(id, label, wiregate, floor, contextRoot, launch, "/bench");
        }

        Kind(String id, String label, boolean wiregate, String floor, String contextRoot, Launch launch, String path) {
            this.path = path;
            this.id = id;
            this.label = label;
            this.wiregate = wiregate;
            this.floor = floor;
            this.contextRoot = contextRoot;
            this.launch = launch;
        }

        static Kind of(String id) {
            Kind k = find(id);
            if (k == null) {
                throw new IllegalArgumentException("unknown server '" + id + "' ("
                        + String.join(", ", KNOWN.stream().map(x -> x.id).toList()) + ")");
            }
            return k;
        }

        /** The kind of this id, or null. */
        static Kind find(String id) {
            for (Kind k : KNOWN) {
                if (k.id.equals(id)) {
                    return k;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** How a kind's JVM is started: what follows the JVM flags on its command line. */
    interface Launch {

        /** The arguments after the JVM flags: a class path and main class, or {@code -jar FILE}. */
        List<String> args(Config cfg, String extraClassPath);

        /** Fails, saying how to build it, when what the kind runs is missing. */
        default void check(Config cfg) {
        }

        /** A main class on the driver's own class path (target/lib), plus {@code extraClassPath}, after {@code systemProperties} ({@code -Dk=v}). */
        static Launch mainClass(String mainClass, String... systemProperties) {
            return (cfg, extra) -> {
                List<String> args = new java.util.ArrayList<>(List.of(systemProperties));
                args.addAll(List.of("-cp", System.getProperty("java.class.path")
                        + (extra.isEmpty() ? "" : java.io.File.pathSeparator + extra), mainClass));
                return args;
            };
        }

        /**
         * An executable jar: {@code -Dproperty=FILE}, else {@code relative} to the benchmarks module; {@code build} is
         * the command that makes it.
         */
        static Launch jar(String property, String relative, String build) {
            return new Launch() {
                @Override
                public List<String> args(Config cfg, String extra) {
                    if (!extra.isEmpty()) {
                        throw new IllegalArgumentException("no extra class path for an executable jar: " + extra);
                    }
                    return List.of("-jar", file(cfg).toString());
                }

                @Override
                public void check(Config cfg) {
                    if (!Files.isRegularFile(file(cfg))) {
                        throw new IllegalStateException("no " + file(cfg) + ": build it first (" + build + ")");
                    }
                }

                private Path file(Config cfg) {
                    String set = System.getProperty(property);
                    return set != null ? Path.of(set).toAbsolutePath() : cfg.home().resolve(relative).normalize();
                }
            };
        }
    }

    /** A class histogram: live bytes and instances by class, after the full GC that jcmd runs first. */
    record Histogram(long totalBytes, long totalInstances, Map<String, long[]> byClass) {
    }

    /** A process started by {@link #launch}, and the base URI it printed ({@code ws://127.0.0.1:PORT}). */
    record Launched(Process process, String base) {
    }

    /** What the driver started and has not closed yet: closed by a shutdown hook if the driver ends early. */
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<AutoCloseable> left;
            synchronized (RUNNING) {
                left = new ArrayList<>(RUNNING);
            }
            for (AutoCloseable c : left) {
                try {
                    c.close();
                } catch (Exception e) {
                    // ending anyway
                }
            }
        }, "bench-servers-shutdown"));
    }

    final Kind kind;
    /** The label of this server in logs and profiles: "raw Tyrus", "Wiregate", "raw Undertow"... */
    final String label;
    /** The JVM this driver started for this server alone; null for a view of an application server's JVM. */
    private final Process process;
    private final long pid;
    private final URI uri;
    private final Path log;

    private ServerProcess(Kind kind, String label, Process process, long pid, URI uri, Path log) {
        this.kind = kind;
        this.label = label;
        this.process = process;
        this.pid = pid;
        this.uri = uri;
        this.log = log;
    }

    /** The server of {@code kind} in a JVM of {@code pid} that someone else started and stops (an application server). */
    static ServerProcess view(Kind kind, String label, long pid, URI uri, Path log) {
        return new ServerProcess(kind, label, null, pid, uri, log);
    }

    static ServerProcess start(Kind kind, Config config, String label) throws IOException, InterruptedException {
        return start(kind, config, label, List.of(), "");
    }

    /**
     * Starts a server with extra JVM arguments (system properties) and extra class path entries (appended).
     */
    static ServerProcess start(Kind kind, Config config, String label, List<String> extraJvmArgs, String extraClassPath)
            throws IOException, InterruptedException {
        Path log = logFile(config, label + "-" + kind.id);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(config.serverJvmArgs());
        cmd.add("-Dwiregate.host=127.0.0.1");
        cmd.add("-Dwiregate.port=0");
        cmd.add("-Dbench.host=127.0.0.1");
        cmd.add("-Dbench.port=0");
        cmd.addAll(extraJvmArgs);
        kind.launch.check(config);
        cmd.addAll(kind.launch.args(config, extraClassPath));
        Launched started = launch(cmd, log, kind.id, 90);
        ServerProcess server = new ServerProcess(kind, Platform.STANDALONE.label(kind), started.process(), started.process().pid(),
                URI.create(started.base() + kind.path), log);
        register(server);
        return server;
    }

    static Path logFile(Config config, String name) throws IOException {
        Path logDir = config.home().resolve("target/bench-logs");
        Files.createDirectories(logDir);
        return logDir.resolve(name + ".log");
    }

    /**
     * Starts {@code cmd}, copies its output to {@code log}, and waits (at most {@code timeoutSeconds}) for its
     * {@code LISTENING ws://HOST:PORT} line; a process that ends or stays silent that long is killed.
     */
    static Launched launch(List<String> cmd, Path log, String name, long timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<String> listening = new CompletableFuture<>();
        PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        w.println("# " + String.join(" ", cmd));
        // Standard output and error line by line into one log, so that the LISTENING line printed on standard
        // output is never mixed with the error stream (where the launcher copies the application server's output).
        Thread out = pump(p.getInputStream(), w, listening, "bench-log-" + name);
        Thread err = pump(p.getErrorStream(), w, null, "bench-log-err-" + name);
        Thread closer = new Thread(() -> {
            try {
                out.join();
                err.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                w.close();
                listening.complete(null);
            }
        }, "bench-log-close-" + name);
        closer.setDaemon(true);
        closer.start();
        String base;
        try {
            base = listening.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            base = null;
        }
        if (base == null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException(name + " server did not start; see " + log);
        }
        return new Launched(p, base);
    }

    /** Copies {@code in} to {@code log} line by line; completes {@code listening} with the LISTENING line's URI. */
    private static Thread pump(java.io.InputStream in, PrintWriter log, CompletableFuture<String> listening, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        log.println(line);
                    }
                    if (listening != null && line.startsWith("LISTENING ")) {
                        listening.complete(line.substring("LISTENING ".length()).trim());
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void register(AutoCloseable running) {
        synchronized (RUNNING) {
            RUNNING.add(running);
        }
    }

    static void unregister(AutoCloseable running) {
        synchronized (RUNNING) {
            RUNNING.remove(running);
        }
    }

    URI uri() {
        return uri;
    }

    long pid() {
        return pid;
    }

    boolean alive() {
        return process != null ? process.isAlive() : ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    Path log() {
        return log;
    }

    Proc.Cpu cpu() {
        return Proc.cpu(pid());
    }

    long rss() {
        return Proc.rssBytes(pid());
    }

    /** Runs {@code jcmd PID args...} (bounded in time) and returns its output. */
    String jcmd(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(pid()));
        cmd.addAll(List.of(args));
        return Proc.run(120, cmd.toArray(String[]::new));
    }

    /** {@code jcmd PID GC.class_histogram}: a full GC, then the live objects by class. */
    Histogram classHistogram() {
        String out = jcmd("GC.class_histogram");
        Map<String, long[]> byClass = new LinkedHashMap<>();
        long total = -1;
        long instances = -1;
        for (String line : out.split("\n")) {
            String t = line.trim();
            if (t.startsWith("Total")) {
                String[] f = t.split("\\s+");
                instances = Long.parseLong(f[1]);
                total = Long.parseLong(f[2]);
            } else if (t.matches("\\d+:\\s+\\d+\\s+\\d+\\s+.*")) {
                String[] f = t.split("\\s+", 4);
                String name = f[3].replaceAll("\\s*\\(.*\\)$", "");
                long[] v = byClass.computeIfAbsent(name, k -> new long[2]);
                v[0] += Long.parseLong(f[1]);
                v[1] += Long.parseLong(f[2]);
            }
        }
        if (total < 0) {
            throw new IllegalStateException("jcmd GC.class_histogram gave no total: " + out.lines().limit(5).toList());
        }
        return new Histogram(total, instances, byClass);
    }

    /**
     * Stops a server started for itself: end of its standard input makes it exit (shutdown hooks run), else it is
     * killed. A view of an application server's JVM is left running.
     */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        unregister(this);
        stop(process, 15, 5);
    }

    /**
     * Ends a process the driver started: closes its standard input (the benchmark servers and the launcher exit on
     * end of input), waits {@code graceSeconds}, then terminates it, and kills it after {@code termSeconds} more.
     */
    static void stop(Process process, long graceSeconds, long termSeconds) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // then it is terminated below
        }
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(termSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
