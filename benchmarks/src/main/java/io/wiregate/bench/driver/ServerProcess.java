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
 * One benchmark server JVM, started with the same flags and class path for both kinds; its output goes to a
 * log file. Ends when {@link #close() closed}, or by itself when the driver goes away (its standard input
 * closes).
 */
final class ServerProcess implements AutoCloseable {

    enum Kind {
        RAW("raw", "raw Tyrus", RawTyrusServer.class.getName()),
        WIREGATE("wiregate", "Wiregate", WiregateBenchServer.class.getName());

        final String id;
        final String label;
        final String mainClass;

        Kind(String id, String label, String mainClass) {
            this.id = id;
            this.label = label;
            this.mainClass = mainClass;
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

    private static final List<ServerProcess> RUNNING = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<ServerProcess> left;
            synchronized (RUNNING) {
                left = new ArrayList<>(RUNNING);
            }
            left.forEach(ServerProcess::close);
        }, "bench-servers-shutdown"));
    }

    final Kind kind;
    private final Process process;
    private final URI uri;
    private final Path log;

    private ServerProcess(Kind kind, Process process, URI uri, Path log) {
        this.kind = kind;
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    static ServerProcess start(Kind kind, Config config, String label) throws IOException, InterruptedException {
        return start(kind, config, label, List.of(), "");
    }

    /**
     * Starts a server with extra JVM arguments (system properties) and extra class path entries (appended).
     */
    static ServerProcess start(Kind kind, Config config, String label, List<String> extraJvmArgs, String extraClassPath)
            throws IOException, InterruptedException {
        Path logDir = config.home().resolve("target/bench-logs");
        Files.createDirectories(logDir);
        Path log = logDir.resolve(label + "-" + kind.id + ".log");
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
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
                w.println("# " + String.join(" ", cmd));
                String line;
                while ((line = in.readLine()) != null) {
                    w.println(line);
                    w.flush();
                    if (line.startsWith("LISTENING ")) {
                        listening.complete(line.substring("LISTENING ".length()).trim());
                    }
                }
            } catch (IOException e) {
                // the process ended
            } finally {
                listening.complete(null);
            }
        }, "bench-log-" + kind.id);
        pump.setDaemon(true);
        pump.start();
        String base;
        try {
            base = listening.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            base = null;
        }
        if (base == null) {
            p.destroyForcibly();
            throw new IllegalStateException(kind.label + " server did not start; see " + log);
        }
        ServerProcess server = new ServerProcess(kind, p, URI.create(base + "/bench"), log);
        synchronized (RUNNING) {
            RUNNING.add(server);
        }
        return server;
    }

    URI uri() {
        return uri;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
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

    /** Stops the server: end of its standard input makes it exit (shutdown hooks run), else it is killed. */
    @Override
    public void close() {
        synchronized (RUNNING) {
            RUNNING.remove(this);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // then it is destroyed below
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
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
