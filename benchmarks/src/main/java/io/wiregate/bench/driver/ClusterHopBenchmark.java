package io.wiregate.bench.driver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The cluster hop: two Wiregate nodes joined through a private redis-server; a sender on node A, N receivers on
 * node B, so every message goes node A, Redis, node B, clients. Beside it, in the same run, the same fanout with
 * sender and receivers on node B (still a cluster member: it publishes every delivery too), which isolates what
 * the hop adds. Paced (latency at a fixed offered rate) and burst (throughput with a bounded window).
 *
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests && benchmarks/run-cluster.sh
 * }</pre>
 *
 * Writes {@code results/cluster-hop.md}; {@code RESULTS.md} quotes it by hand. {@code -Dbench.cluster.kind}
 * (wiregate, wiregate-netty) picks the runtime, {@code -Dbench.cluster.recovery=false,true} runs the whole table
 * with connection state recovery off, then on (its history shared on a Redis Stream: docs/protocol.md section 9).
 */
public final class ClusterHopBenchmark {

    private ClusterHopBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Config cfg = Config.fromSystemProperties();
        List<Integer> clientCounts = java.util.Arrays.stream(System.getProperty("bench.cluster.clients", "1000,10").split(","))
                .map(String::trim).map(Integer::valueOf).toList();
        Path logs = cfg.home().resolve("target/bench-logs");
        Files.createDirectories(logs);
        String clusterLib = cfg.home().resolve("target/lib-cluster") + java.io.File.separator + "*";
        List<String[]> rows = new ArrayList<>();
        ServerProcess.Kind kind = ServerProcess.Kind.of(System.getProperty("bench.cluster.kind", "wiregate"));
        for (String recovery : System.getProperty("bench.cluster.recovery", "false").split(",")) {
            boolean on = Boolean.parseBoolean(recovery.trim());
            try (Redis redis = Redis.start(logs.resolve("cluster-redis.log"))) {
                List<String> join = List.of("-Dwiregate.redis.address=redis://127.0.0.1:" + redis.port,
                        "-Dwiregate.redis.prefix=bench" + redis.port, "-Dwiregate.bench.recovery=" + on);
                try (ServerProcess a = ServerProcess.start(kind, cfg, "cluster-node-a", join, clusterLib);
                     ServerProcess b = ServerProcess.start(kind, cfg, "cluster-node-b", join, clusterLib)) {
                    for (int clients : clientCounts) {
                        for (boolean paced : new boolean[] {true, false}) {
                            String mode = (paced ? "paced" : "burst") + ", " + clients + " receivers"
                                    + (on ? ", recovery on" : "");
                            BenchmarkDriver.log("-> cluster " + mode + ": sender and receivers on node B");
                            rows.add(row(mode, "one node (B to its own clients)",
                                    FanoutScenario.run(b, b, cfg, clients, paced, Measure.NONE)));
                            BenchmarkDriver.log("-> cluster " + mode + ": sender on node A, receivers on node B");
                            rows.add(row(mode, "cluster hop (A, Redis, B)",
                                    FanoutScenario.run(a, b, cfg, clients, paced, Measure.NONE)));
                        }
                    }
                }
            }
        }
        String table = table(rows);
        System.out.println(table);
        Path out = cfg.home().resolve(System.getProperty("bench.cluster.out", "results/cluster-hop.md"));
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        BenchmarkDriver.log("wrote " + out);
    }

    private static String[] row(String mode, String path, Result r) {
        BenchmarkDriver.log("   " + r.metrics);
        return new String[] {mode, path, fmt(r.get("messages") / r.get("seconds")), fmt(r.get("deliveriesPerSec")),
                fmt(r.get("p50Us")), fmt(r.get("p99Us")),
                fmt(r.get("maxUs")), fmt(r.get("lost")), String.format(Locale.ROOT, "%.1f", r.get("serverCpuUsPerDelivery"))};
    }

    private static String table(List<String[]> rows) {
        StringBuilder b = new StringBuilder()
                .append("Run of ").append(Instant.now()).append("; receivers on node B; paced: 10,000 deliveries/s offered ")
                .append("(10,000 ÷ receivers messages/s); burst: a window of 32 messages not yet delivered to everyone.\n\n")
                .append("| mode | path | messages/s | deliveries/s | p50 µs | p99 µs | max µs | lost | node B CPU µs/delivery |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String[] row : rows) {
            b.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return b.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    /** A private redis-server on a free loopback port, without persistence; stopped on close. */
    private static final class Redis implements AutoCloseable {
        final int port;
        private final Process process;

        private Redis(int port, Process process) {
            this.port = port;
            this.process = process;
        }

        static Redis start(Path log) throws IOException, InterruptedException {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            String binary = Files.isExecutable(Path.of("/usr/bin/redis-server")) ? "/usr/bin/redis-server" : "redis-server";
            Process p = new ProcessBuilder(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no").redirectErrorStream(true).start();
            CompletableFuture<Boolean> ready = new CompletableFuture<>();
            Thread pump = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                     var w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                    for (String line; (line = in.readLine()) != null; ) {
                        w.write(line);
                        w.newLine();
                        w.flush();
                        if (line.contains("Ready to accept connections")) {
                            ready.complete(true);
                        }
                    }
                } catch (IOException e) {
                    // redis-server ended
                } finally {
                    ready.complete(false);
                }
            }, "bench-redis-log");
            pump.setDaemon(true);
            pump.start();
            boolean up;
            try {
                up = ready.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                up = false;
            }
            if (!up) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-server did not start (install the Debian package redis-server); see " + log);
            }
            return new Redis(port, p);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
