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

import io.wiregate.bench.server.RawTyrusServer;
import io.wiregate.bench.server.WiregateBenchServer;

/**
 * One benchmark server: a JVM and the URI of its bench endpoint. Standalone, a JVM started for it alone, with the
 * same flags and class path for both kinds, its output in a log file; it ends when {@link #close() closed}, or by
 * itself when the driver goes away (its standard input closes). On an application server, a view of the server's
 * JVM serving one of its two WARs ({@link AppServer#serve}): closing it leaves the server running.
 */
final class ServerProcess implements AutoCloseable {

    enum Kind {
        RAW("raw", RawTyrusServer.class.getName(), "/raw"),
        WIREGATE("wiregate", WiregateBenchServer.class.getName(), "/wiregate");

        final String id;
        final String mainClass;
        /** The context root of this kind's WAR on an application server. */
        final String contextRoot;

        Kind(String id, String mainClass, String contextRoot) {
            this.id = id;
            this.mainClass = mainClass;
            this.contextRoot = contextRoot;
        }

        static Kind of(String id) {
            for (Kind k : values()) {
                if (k.id.equals(id)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown server '" + id + "' (raw, wiregate)");
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
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path")
                + (extraClassPath.isEmpty() ? "" : java.io.File.pathSeparator + extraClassPath));
        cmd.add(kind.mainClass);
        Launched started = launch(cmd, log, kind.id, 90);
        ServerProcess server = new ServerProcess(kind, Platform.STANDALONE.label(kind), started.process(), started.process().pid(),
                URI.create(started.base() + "/bench"), log);
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
