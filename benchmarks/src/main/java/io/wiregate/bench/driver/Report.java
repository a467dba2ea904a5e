package io.wiregate.bench.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the results of one platform into {@code results.json}, {@code results.csv}, {@code chart.svg} (in
 * {@code results/}, or {@code results/SERVER/} on an application server) and the platform's generated block of
 * {@code RESULTS.md} (text outside the block, other platforms' blocks included, is kept), with the ratios to the raw
 * endpoint and the verdict on each target of the issue.
 */
final class Report {

    static final String BEGIN = "<!-- BEGIN GENERATED: benchmarks/run.sh rewrites this block; edit outside it -->";
    static final String END = "<!-- END GENERATED -->";

    /** One target of the issue, judged on one scenario. */
    record Target(String scenario, String figure, String metric, String rule, double limit, double raw, double wiregate,
                  double value, boolean met) {
    }

    private final Config cfg;
    private final Platform platform;
    private final Environment env;
    private final List<Result> results;
    private final List<Target> targets = new ArrayList<>();
    private List<ProfileSummary> profiles = List.of();

    Report(Config cfg, Platform platform, Environment env, List<Result> results) {
        this.cfg = cfg;
        this.platform = platform;
        this.env = env;
        this.results = results;
        judge();
    }

    void profiles(List<ProfileSummary> profiles) {
        this.profiles = profiles;
    }

    Result find(String scenario, String server) {
        for (Result r : results) {
            if (r.scenario.equals(scenario) && r.server.equals(server)) {
                return r;
            }
        }
        return null;
    }

    private List<String> scenarios() {
        Set<String> s = new LinkedHashSet<>();
        results.forEach(r -> s.add(r.scenario));
        return new ArrayList<>(s);
    }

    private String kindOf(String scenario) {
        for (Result r : results) {
            if (r.scenario.equals(scenario)) {
                return r.kind;
            }
        }
        return "";
    }

    private void judge() {
        for (String s : scenarios()) {
            Result raw = find(s, "raw");
            Result wg = find(s, "wiregate");
            String kind = kindOf(s);
            if (raw != null && wg != null) {
                switch (kind) {
                    case "fanout-burst" -> {
                        ratio(s, "deliveries/s", "deliveriesPerSec", raw, wg, ">=", platform.fanoutTarget());
                        if (!Double.isNaN(platform.cpuTarget())) {
                            absolute(s, "server CPU µs per delivery", "serverCpuUsPerDelivery", raw, wg, "<=", platform.cpuTarget());
                        }
                    }
                    case "fanout-paced" -> {
                        if (!Double.isNaN(platform.cpuTarget())) {
                            absolute(s, "server CPU µs per delivery", "serverCpuUsPerDelivery", raw, wg, "<=", platform.cpuTarget());
                        }
                    }
                    case "echo" -> ratio(s, "round trips/s", "roundTripsPerSec", raw, wg, ">=", 0.9);
                    case "idle" -> ratio(s, "live heap per idle connection", "heapPerConnBytes", raw, wg, "<=", 1.2);
                    default -> {
                    }
                }
            }
            for (Result r : List.of(raw == null ? new Result(s, kind, "raw") : raw, wg == null ? new Result(s, kind, "wiregate") : wg)) {
                if (r.notes.containsKey("error")) {
                    targets.add(new Target(s, "ran (" + r.server + ")", "error", "no error", 0, 0, 0, 1, false));
                    continue;
                }
                if (!kind.equals("idle") && !r.metrics.isEmpty()) {
                    double lost = r.get("lost") + nz(r.get("duplicates"));
                    targets.add(new Target(s, "lost messages (" + label(r.server) + ")", "lost", "== 0", 0,
                            r.server.equals("raw") ? lost : Double.NaN, r.server.equals("wiregate") ? lost : Double.NaN,
                            lost, lost == 0));
                }
            }
        }
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private void ratio(String s, String figure, String metric, Result raw, Result wg, String rule, double limit) {
        double ratio = wg.get(metric) / raw.get(metric);
        boolean met = rule.equals(">=") ? ratio >= limit : ratio <= limit;
        targets.add(new Target(s, figure + ", Wiregate ÷ raw", metric, rule + " " + fmt(limit) + "x", limit,
                raw.get(metric), wg.get(metric), ratio, met && !Double.isNaN(ratio)));
    }

    private void absolute(String s, String figure, String metric, Result raw, Result wg, String rule, double limit) {
        double v = wg.get(metric);
        boolean met = rule.equals(">=") ? v >= limit : v <= limit;
        targets.add(new Target(s, figure + " (Wiregate)", metric, rule + " " + fmt(limit), limit,
                raw.get(metric), v, v, met && !Double.isNaN(v)));
    }

    /** Whether a Wiregate target is missed in this scenario. */
    boolean missed(String scenario) {
        return targets.stream().anyMatch(t -> t.scenario.equals(scenario) && !t.met);
    }

    void writeAll() throws IOException {
        Path out = platform.out(cfg);
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.json"), json(), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("results.csv"), csv(), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("chart.svg"), Chart.svg(this, results, targets), StandardCharsets.UTF_8);
        Path md = cfg.home().resolve("RESULTS.md");
        String existing = Files.exists(md) ? Files.readString(md) : null;
        String begin = platform.beginMarker();
        String end = platform.endMarker();
        String block = begin + "\n" + markdown() + end;
        int from = existing == null ? -1 : existing.indexOf(begin);
        int to = from < 0 ? -1 : existing.indexOf(end, from);
        String text;
        if (to >= 0) {
            text = existing.substring(0, from) + block + existing.substring(to + end.length());
        } else if (existing != null) {
            text = existing.stripTrailing() + "\n\n" + block + "\n"; // a platform's first block: at the end
        } else {
            text = "# Wiregate benchmarks: results\n\n" + block + "\n\n## Notes\n\n(Hand-written analysis goes here.)\n";
        }
        Files.writeString(md, text, StandardCharsets.UTF_8);
    }

    /** The raw endpoint's label on this platform ("raw Tyrus", "raw Undertow"...). */
    String rawLabel() {
        return platform.rawLabel();
    }

    /** The script and option that run this platform. */
    String script() {
        return "benchmarks/run.sh" + (platform.standalone() ? "" : " -Dbench.server=" + platform.id());
    }

    // ---------------------------------------------------------------- markdown

    private String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("\n## Command\n\n```sh\n").append(cfg.command()).append("\n```\n\n");
        b.append("Run of ").append(env.facts().get("date")).append(", commit ").append(env.facts().get("git commit")).append(". ");
        if (platform.standalone()) {
            b.append("Each scenario runs against raw Tyrus, then against Wiregate, each in a fresh server JVM ")
                    .append("started with the same flags (`").append(env.facts().get("server JVM flags"))
                    .append("`); the load generator is this driver's JVM, on the same machine.\n\n");
        } else {
            b.append("Each scenario starts one ").append(platform.name()).append(" JVM (`")
                    .append(env.facts().get("server JVM flags")).append("`) with both WARs deployed, Wiregate's at `/wiregate` ")
                    .append("and the raw endpoint's at `/raw` (on ").append(platform.stack())
                    .append("), and runs against the raw endpoint, then against Wiregate, in that JVM; server CPU, RSS and ")
                    .append("class histograms are the server JVM's. The load generator is this driver's JVM, on the same machine.\n\n");
        }
        b.append("![Wiregate vs ").append(platform.rawLabel()).append("](").append(platform.chartLink()).append(")\n\n");

        b.append("## Targets (Wiregate against ").append(platform.rawLabel()).append(" in the same run)\n\n");
        b.append("| scenario | figure | ").append(platform.rawLabel()).append(" | Wiregate | value | target | met |\n|---|---|---:|---:|---:|---|---|\n");
        for (Target t : targets) {
            b.append("| ").append(t.scenario).append(" | ").append(t.figure).append(" | ")
                    .append(Double.isNaN(t.raw) ? "" : num(t.raw)).append(" | ")
                    .append(Double.isNaN(t.wiregate) ? "" : num(t.wiregate)).append(" | ")
                    .append(t.metric.equals("lost") ? num(t.value) : t.figure.contains("÷") ? fmt(t.value) + "x" : num(t.value))
                    .append(" | ").append(t.rule).append(" | ").append(t.met ? "**met**" : "**missed**").append(" |\n");
        }

        fanoutTable(b, "fanout-burst", "Fanout, burst (bounded window of " + cfg.burstWindow()
                + " messages in flight, " + (cfg.burstMessages() > 0 ? cfg.burstMessages() + " messages" : cfg.burstSeconds() + " s") + ")");
        fanoutTable(b, "fanout-paced", "Fanout, paced (" + cfg.pacedDeliveriesPerSecond()
                + " deliveries/s offered: rate = that ÷ clients, for " + cfg.pacedSeconds() + " s)");
        echoTable(b);
        idleTable(b);
        threadSection(b);
        profileSection(b);

        b.append("\n## Machine\n\n");
        for (Map.Entry<String, String> e : env.facts().entrySet()) {
            String v = e.getValue();
            if (v.contains("\n")) {
                b.append("`").append(e.getKey()).append("`:\n```\n").append(v).append("\n```\n");
            } else {
                b.append("- `").append(e.getKey()).append("`: ").append(v).append("\n");
            }
        }
        b.append("\n## Settings of this run\n\n");
        b.append("fanout clients ").append(cfg.fanoutClients()).append(" (plus one sender), burst window ").append(cfg.burstWindow())
                .append(", warm-up ").append(cfg.warmupSeconds()).append(" s (echo: ").append(cfg.echoWarmupSeconds())
                .append(" s), echo clients ").append(cfg.echoClients())
                .append(" for ").append(cfg.echoSeconds()).append(" s, idle connections ").append(cfg.idleClients())
                .append(", frame size about ").append(cfg.payloadBytes()).append(" bytes, generator I/O threads ")
                .append(cfg.ioThreads()).append(", client heartbeat every ").append(cfg.keepAliveSeconds()).append(" s of silence.\n")
                .append("The machine is shared: before each step the driver waits (at most ").append(cfg.quietWaitSeconds())
                .append(" s) for less than ").append(fmt(cfg.quietCores())).append(" cores of load; a step during whose measured window ")
                .append("other processes used more than ").append(fmt(cfg.disturbedCores())).append(" cores is run again (at most ")
                .append(cfg.retries()).append(" more time), and the less disturbed attempt is kept (column *other processes*).\n");
        String results = platform.chartLink().replace("chart.svg", "");
        b.append("Raw figures: `").append(results).append("results.json`, `").append(results)
                .append("results.csv`; server logs, profiles and flame graphs: `target/bench-logs/`.\n\n");
        if (platform.standalone()) {
            return b.toString();
        }
        // An application server's block sits in RESULTS.md's section on application servers, under a heading of its
        // own: every heading of the block two levels lower.
        return "\n### " + platform.name() + " " + platform.version(AppServer.serversDirectory(cfg))
                + ": Wiregate WAR and raw `@ServerEndpoint` WAR side by side\n"
                + b.toString().replaceAll("(?m)^(#{2,}) ", "$1## ");
    }

    private void fanoutTable(StringBuilder b, String kind, String title) {
        List<String> ss = scenarios().stream().filter(s -> kindOf(s).equals(kind)).toList();
        if (ss.isEmpty()) {
            return;
        }
        b.append("\n## ").append(title).append("\n\n");
        b.append("| scenario | server | deliveries/s | p50 µs | p99 µs | max µs | lost | server CPU µs/delivery | server cores (kernel share) | generator cores | generator CPU µs/delivery | other processes, cores |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String s : ss) {
            Result raw = find(s, "raw");
            Result wg = find(s, "wiregate");
            for (Result r : new Result[] {raw, wg}) {
                if (r == null) {
                    continue;
                }
                if (r.metrics.isEmpty()) {
                    b.append("| ").append(s).append(" | ").append(label(r.server)).append(" | ").append(r.notes).append(" ||||||||||\n");
                    continue;
                }
                b.append("| ").append(s).append(" | ").append(label(r.server)).append(" | ")
                        .append(num(r.get("deliveriesPerSec"))).append(" | ").append(num(r.get("p50Us"))).append(" | ")
                        .append(num(r.get("p99Us"))).append(" | ").append(num(r.get("maxUs"))).append(" | ")
                        .append(num(r.get("lost") + nz(r.get("duplicates")))).append(problems(r)).append(" | ")
                        .append(fmt(r.get("serverCpuUsPerDelivery"))).append(" | ")
                        .append(fmt(r.get("serverCores"))).append(" (").append(pct(r.get("serverSystemShare"))).append(") | ")
                        .append(fmt(r.get("generatorCores"))).append(" | ").append(fmt(r.get("generatorCpuUsPerDelivery"))).append(" | ").append(fmt(r.get("otherCores"))).append(" |\n");
            }
            if (raw != null && wg != null && !raw.metrics.isEmpty() && !wg.metrics.isEmpty()) {
                b.append("| ").append(s).append(" | *Wiregate ÷ raw* | ").append(ratio(wg, raw, "deliveriesPerSec")).append(" | ")
                        .append(ratio(wg, raw, "p50Us")).append(" | ").append(ratio(wg, raw, "p99Us")).append(" | ")
                        .append(ratio(wg, raw, "maxUs")).append(" | | ").append(ratio(wg, raw, "serverCpuUsPerDelivery"))
                        .append(" | | | | |\n");
            }
        }
    }

    private void echoTable(StringBuilder b) {
        List<String> ss = scenarios().stream().filter(s -> kindOf(s).equals("echo")).toList();
        if (ss.isEmpty()) {
            return;
        }
        b.append("\n## Echo, closed loop (").append(cfg.echoClients()).append(" clients, one request in flight each, ")
                .append(cfg.echoSeconds()).append(" s)\n\n");
        b.append("| scenario | server | round trips/s | p50 µs | p99 µs | max µs | lost | server CPU µs/round trip | server cores (kernel share) | generator cores | generator CPU µs/round trip | other processes, cores |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String s : ss) {
            Result raw = find(s, "raw");
            Result wg = find(s, "wiregate");
            for (Result r : new Result[] {raw, wg}) {
                if (r == null) {
                    continue;
                }
                if (r.metrics.isEmpty()) {
                    b.append("| ").append(s).append(" | ").append(label(r.server)).append(" | ").append(r.notes).append(" ||||||||||\n");
                    continue;
                }
                b.append("| ").append(s).append(" | ").append(label(r.server)).append(" | ")
                        .append(num(r.get("roundTripsPerSec"))).append(" | ").append(num(r.get("p50Us"))).append(" | ")
                        .append(num(r.get("p99Us"))).append(" | ").append(num(r.get("maxUs"))).append(" | ")
                        .append(num(r.get("lost"))).append(problems(r)).append(" | ")
                        .append(fmt(r.get("serverCpuUsPerRoundTrip"))).append(" | ")
                        .append(fmt(r.get("serverCores"))).append(" (").append(pct(r.get("serverSystemShare"))).append(") | ")
                        .append(fmt(r.get("generatorCores"))).append(" | ").append(fmt(r.get("generatorCpuUsPerRoundTrip"))).append(" | ").append(fmt(r.get("otherCores"))).append(" |\n");
            }
            if (raw != null && wg != null && !raw.metrics.isEmpty() && !wg.metrics.isEmpty()) {
                b.append("| ").append(s).append(" | *Wiregate ÷ raw* | ").append(ratio(wg, raw, "roundTripsPerSec")).append(" | ")
                        .append(ratio(wg, raw, "p50Us")).append(" | ").append(ratio(wg, raw, "p99Us")).append(" | ")
                        .append(ratio(wg, raw, "maxUs")).append(" | | ").append(ratio(wg, raw, "serverCpuUsPerRoundTrip"))
                        .append(" | | | | |\n");
            }
        }
    }

    private void idleTable(StringBuilder b) {
        List<String> ss = scenarios().stream().filter(s -> kindOf(s).equals("idle")).toList();
        if (ss.isEmpty()) {
            return;
        }
        b.append("\n## Idle connections (").append(cfg.idleClients()).append(")\n\n");
        b.append("Per connection: the growth from ").append(cfg.idleClients() / 10).append(" to ").append(cfg.idleClients())
                .append(" open connections, divided by ").append(cfg.idleClients() - cfg.idleClients() / 10)
                .append(". Live heap from `jcmd PID GC.class_histogram` (a full GC first); RSS from `/proc/PID/status` ")
                .append("(heap pre-touched, so RSS growth is memory outside the Java heap).\n\n");
        b.append("| scenario | server | live heap / connection | objects / connection | RSS / connection | live heap total | RSS total | idle server CPU | connects/s |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String s : ss) {
            Result raw = find(s, "raw");
            Result wg = find(s, "wiregate");
            for (Result r : new Result[] {raw, wg}) {
                if (r == null) {
                    continue;
                }
                if (r.metrics.isEmpty()) {
                    b.append("| ").append(s).append(" | ").append(label(r.server)).append(" | ").append(r.notes).append(" |||||||\n");
                    continue;
                }
                b.append("| ").append(s).append(" | ").append(label(r.server)).append(" | ")
                        .append(num(r.get("heapPerConnBytes"))).append(" B | ").append(fmt(r.get("objectsPerConn"))).append(" | ")
                        .append(num(r.get("rssPerConnBytes"))).append(" B | ").append(fmt(r.get("liveHeapMiB"))).append(" MiB | ")
                        .append(fmt(r.get("rssMiB"))).append(" MiB | ").append(fmt(r.get("idleServerCpuMsPerSec"))).append(" ms/s | ")
                        .append(num(r.get("connectsPerSec"))).append(problems(r)).append(" |\n");
            }
            if (raw != null && wg != null && !raw.metrics.isEmpty() && !wg.metrics.isEmpty()) {
                b.append("| ").append(s).append(" | *Wiregate ÷ raw* | ").append(ratio(wg, raw, "heapPerConnBytes")).append(" | ")
                        .append(ratio(wg, raw, "objectsPerConn")).append(" | ").append(ratio(wg, raw, "rssPerConnBytes"))
                        .append(" | | | | |\n");
            }
            for (Result r : new Result[] {raw, wg}) {
                if (r == null || r.topClasses.isEmpty()) {
                    continue;
                }
                b.append("\nLive heap growth per connection by class, ").append(label(r.server)).append(":\n\n");
                b.append("| class | bytes / connection | instances / connection |\n|---|---:|---:|\n");
                for (String[] c : r.topClasses) {
                    b.append("| `").append(c[0]).append("` | ").append(c[1]).append(" | ").append(c[2]).append(" |\n");
                }
            }
        }
    }

    private void threadSection(StringBuilder b) {
        List<Result> with = results.stream().filter(r -> r.notes.containsKey("serverThreads")).toList();
        if (with.isEmpty()) {
            return;
        }
        b.append("\n## CPU by thread over the measured window (from /proc/PID/task, digits folded to #)\n\n");
        b.append("| scenario | server | server threads (cores) | generator threads (cores) |\n|---|---|---|---|\n");
        for (Result r : with) {
            b.append("| ").append(r.scenario).append(" | ").append(label(r.server)).append(" | ")
                    .append(r.notes.get("serverThreads").replace("|", "/")).append(" | ")
                    .append(r.notes.getOrDefault("generatorThreads", "").replace("|", "/")).append(" |\n");
        }
    }

    private void profileSection(StringBuilder b) {
        if (profiles.isEmpty()) {
            return;
        }
        String tool = profiles.get(0).tool;
        b.append("\n## Profiles (").append(tool).append(", over the measured window of a separate run of the same scenario)\n\n");
        if (tool.equals("JFR")) {
            b.append("JFR execution samples only see threads running Java code; time in system calls shows in the kernel ")
                    .append("share above.");
        } else {
            b.append("async-profiler, CPU samples every millisecond from perf events, Java, JVM and kernel frames; ")
                    .append("shares are of all samples of the server process.");
        }
        b.append(" Full summaries: `")
                .append(platform.chartLink().replace("chart.svg", "")).append("profile-*.txt`; flame graphs: `")
                .append(platform.chartLink().replace("chart.svg", "")).append("*-flamegraph.html`; raw profiles: `target/bench-logs/`.\n");
        Map<String, List<ProfileSummary>> byScenario = new LinkedHashMap<>();
        profiles.forEach(p -> byScenario.computeIfAbsent(p.scenario, k -> new ArrayList<>()).add(p));
        for (Map.Entry<String, List<ProfileSummary>> e : byScenario.entrySet()) {
            List<ProfileSummary> ps = e.getValue();
            b.append("\n### ").append(e.getKey()).append("\n");
            compare(b, "Self time by layer (leaf frame)", ps, p -> p.selfLayer, 20);
            compare(b, "Inclusive time by layer (layer anywhere on the stack)", ps, p -> p.inclusiveLayer, 20);
            if (ps.stream().anyMatch(p -> !p.syscalls.isEmpty())) {
                compare(b, "Kernel time by system call", ps, p -> p.syscalls, 10);
            }
            if (ps.stream().anyMatch(p -> !p.threads.isEmpty())) {
                compare(b, "By thread", ps, p -> p.threads, 10);
            }
            for (ProfileSummary p : ps) {
                if (!p.server.equals("wiregate")) {
                    continue;
                }
                b.append("\nWiregate, hottest frames (self):\n\n| self | frame |\n|---:|---|\n");
                for (Map.Entry<String, Long> x : ProfileSummary.top(p.self, 20)) {
                    b.append("| ").append(pct1(x.getValue() / (double) Math.max(1, p.samples))).append(" | `").append(x.getKey()).append("` |\n");
                }
                b.append("\nWiregate methods, inclusive (share of samples with the method on the stack):\n\n| inclusive | method |\n|---:|---|\n");
                for (Map.Entry<String, Long> x : ProfileSummary.top(p.inclusiveWiregate, 15)) {
                    b.append("| ").append(pct1(x.getValue() / (double) Math.max(1, p.samples))).append(" | `").append(x.getKey()).append("` |\n");
                }
                if (!p.allocation.isEmpty()) {
                    b.append("\nWiregate, allocation by first Wiregate frame (share of sampled bytes):\n\n| bytes | site -> class |\n|---:|---|\n");
                    for (Map.Entry<String, Long> x : ProfileSummary.top(p.allocation, 10)) {
                        b.append("| ").append(pct1(x.getValue() / (double) Math.max(1, p.allocationTotal))).append(" | `").append(x.getKey()).append("` |\n");
                    }
                }
            }
        }
    }

    private void compare(StringBuilder b, String title, List<ProfileSummary> ps,
                                java.util.function.Function<ProfileSummary, Map<String, Long>> map, int n) {
        Set<String> keys = new LinkedHashSet<>();
        for (ProfileSummary p : ps) {
            ProfileSummary.top(map.apply(p), n).forEach(x -> keys.add(x.getKey()));
        }
        b.append("\n").append(title).append(":\n\n| |");
        for (ProfileSummary p : ps) {
            b.append(" ").append(label(p.server)).append(" (").append(p.samples).append(" samples) |");
        }
        b.append("\n|---|");
        ps.forEach(p -> b.append("---:|"));
        b.append("\n");
        for (String k : keys) {
            b.append("| `").append(k).append("` |");
            for (ProfileSummary p : ps) {
                b.append(" ").append(pct1(map.apply(p).getOrDefault(k, 0L) / (double) Math.max(1, p.samples))).append(" |");
            }
            b.append("\n");
        }
    }

    static String pct1(double share) {
        return Double.isNaN(share) ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    // ---------------------------------------------------------------- json, csv

    private String json() {
        StringBuilder b = new StringBuilder("{\n  \"environment\": {");
        int i = 0;
        for (Map.Entry<String, String> e : env.facts().entrySet()) {
            b.append(i++ == 0 ? "\n" : ",\n").append("    ").append(q(e.getKey())).append(": ").append(q(e.getValue()));
        }
        b.append("\n  },\n  \"command\": ").append(q(cfg.command())).append(",\n  \"results\": [");
        i = 0;
        for (Result r : results) {
            b.append(i++ == 0 ? "\n" : ",\n").append("    {\"scenario\": ").append(q(r.scenario)).append(", \"kind\": ")
                    .append(q(r.kind)).append(", \"server\": ").append(q(r.server)).append(", \"metrics\": {");
            int j = 0;
            for (Map.Entry<String, Double> m : r.metrics.entrySet()) {
                b.append(j++ == 0 ? "" : ", ").append(q(m.getKey())).append(": ").append(jnum(m.getValue()));
            }
            b.append("}, \"notes\": {");
            j = 0;
            for (Map.Entry<String, String> n : r.notes.entrySet()) {
                b.append(j++ == 0 ? "" : ", ").append(q(n.getKey())).append(": ").append(q(n.getValue()));
            }
            b.append("}");
            if (!r.topClasses.isEmpty()) {
                b.append(", \"heapGrowthPerConnection\": [");
                j = 0;
                for (String[] c : r.topClasses) {
                    b.append(j++ == 0 ? "" : ", ").append("{\"class\": ").append(q(c[0])).append(", \"bytes\": ").append(c[1])
                            .append(", \"instances\": ").append(c[2]).append("}");
                }
                b.append("]");
            }
            b.append("}");
        }
        b.append("\n  ],\n  \"targets\": [");
        i = 0;
        for (Target t : targets) {
            b.append(i++ == 0 ? "\n" : ",\n").append("    {\"scenario\": ").append(q(t.scenario)).append(", \"figure\": ")
                    .append(q(t.figure)).append(", \"rule\": ").append(q(t.rule)).append(", \"raw\": ").append(jnum(t.raw))
                    .append(", \"wiregate\": ").append(jnum(t.wiregate)).append(", \"value\": ").append(jnum(t.value))
                    .append(", \"met\": ").append(t.met).append("}");
        }
        b.append("\n  ]\n}\n");
        return b.toString();
    }

    private String csv() {
        StringBuilder b = new StringBuilder("scenario,server,metric,value\n");
        for (Result r : results) {
            for (Map.Entry<String, Double> m : r.metrics.entrySet()) {
                b.append(r.scenario).append(',').append(r.server).append(',').append(m.getKey()).append(',')
                        .append(jnum(m.getValue())).append('\n');
            }
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- formatting

    /** The notes that tell of a problem (not the CPU-by-thread breakdowns), for a table cell. */
    private static String problems(Result r) {
        StringBuilder b = new StringBuilder();
        r.notes.forEach((k, v) -> {
            if (!k.endsWith("Threads")) {
                b.append(" (").append(k).append(": ").append(v.replace("|", "/")).append(")");
            }
        });
        return b.toString();
    }

    private String label(String server) {
        return platform.label(server);
    }

    private static String ratio(Result wg, Result raw, String metric) {
        double r = wg.get(metric) / raw.get(metric);
        return Double.isNaN(r) || Double.isInfinite(r) ? "" : "*" + fmt(r) + "x*";
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return fmt(v);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%,.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String pct(double share) {
        return Double.isNaN(share) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    private static String jnum(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : (v == Math.rint(v) && Math.abs(v) < 1e15)
                ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
