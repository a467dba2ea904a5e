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
 * {@code RESULTS.md} (text outside the block, other platforms' blocks included, is kept), with the verdict on each
 * target of the issues, judged on every Wiregate server kind of the run:
 * <ul>
 * <li>against the raw endpoint ({@code raw}): fanout deliveries/s and CPU per delivery, echo round trips/s, live heap
 * per idle connection (issues 6 and 12);</li>
 * <li>against Quarkus ({@code quarkus}), issue 14: fanout at least 1.3x its deliveries/s and at most 0.8x its CPU per
 * delivery, echo at least 1.0x its round trips/s, live heap and RSS per idle connection at most 1.0x;</li>
 * <li>the pipeline cost per echo round trip: server CPU µs per round trip minus that of the same transport echoing
 * verbatim (the kind's {@link ServerProcess.Kind#floor}: {@code raw-verbatim} for the Tyrus-based kinds), at most 5 µs
 * (issue 14);</li>
 * <li>zero lost messages, on every server.</li>
 * </ul>
 * With several runs of each (scenario, server) the figures are medians (counts of lost messages are added up over the
 * runs), shown with their spread (min-max); a ratio is the ratio of the medians, and its spread is that of the ratios
 * of the runs of the same round.
 */
final class Report {

    static final String BEGIN = "<!-- BEGIN GENERATED: benchmarks/run.sh rewrites this block; edit outside it -->";
    static final String END = "<!-- END GENERATED -->";

    /** Pipeline cost target (issue 14): server CPU µs per echo round trip above its transport's verbatim echo. */
    static final double PIPELINE_COST_US = 5;

    /** How a target's value is made from the server's and the reference's figures. */
    enum Rule { RATIO, DIFFERENCE, ABSOLUTE, COUNT }

    /**
     * One target of an issue, judged on one scenario and one server.
     *
     * @param server     the kind judged (a Wiregate kind, or any kind for lost messages and errors)
     * @param reference  the kind it is compared with, or "" (absolute targets and counts)
     * @param spread     {min, max} of the value over the rounds (NaN when a single run)
     */
    record Target(String scenario, String issue, String figure, String server, String reference, String metric, Rule type,
                  String rule, double limit, double serverValue, double referenceValue, double value, double[] spread,
                  boolean met) {
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

    List<Target> targets() {
        return targets;
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

    /** The server kinds of the results, in the order they ran. */
    List<String> servers() {
        Set<String> s = new LinkedHashSet<>();
        results.forEach(r -> s.add(r.server));
        return new ArrayList<>(s);
    }

    /** The Wiregate kinds of the results: the servers the targets are judged on. */
    List<String> wiregateServers() {
        return servers().stream().filter(Report::isWiregate).toList();
    }

    static boolean isWiregate(String server) {
        ServerProcess.Kind kind = ServerProcess.Kind.find(server);
        return kind != null && kind.wiregate;
    }

    private String kindOf(String scenario) {
        for (Result r : results) {
            if (r.scenario.equals(scenario)) {
                return r.kind;
            }
        }
        return "";
    }

    /** Whether {@code r} has figures to compare. */
    private static boolean usable(Result r) {
        return r != null && !r.failed();
    }

    private void judge() {
        String raw = ServerProcess.Kind.RAW.id;
        String quarkus = ServerProcess.Kind.QUARKUS.id;
        String rawIssue = platform.standalone() ? "6" : "12";
        for (String s : scenarios()) {
            String kind = kindOf(s);
            for (String w : wiregateServers()) {
                Result wg = find(s, w);
                if (!usable(wg)) {
                    continue;
                }
                Result r = find(s, raw);
                if (usable(r)) {
                    switch (kind) {
                        case "fanout-burst" -> {
                            ratio(s, rawIssue, "deliveries/s", "deliveriesPerSec", wg, r, ">=", platform.fanoutTarget());
                            if (!Double.isNaN(platform.cpuTarget())) {
                                absolute(s, "6", "server CPU µs per delivery", "serverCpuUsPerDelivery", wg, r, "<=", platform.cpuTarget());
                            }
                        }
                        case "fanout-paced" -> {
                            if (!Double.isNaN(platform.cpuTarget())) {
                                absolute(s, "6", "server CPU µs per delivery", "serverCpuUsPerDelivery", wg, r, "<=", platform.cpuTarget());
                            }
                        }
                        case "echo" -> ratio(s, rawIssue, "round trips/s", "roundTripsPerSec", wg, r, ">=", 0.9);
                        case "idle" -> ratio(s, rawIssue, "live heap per idle connection", "heapPerConnBytes", wg, r, "<=", 1.2);
                        default -> {
                        }
                    }
                }
                Result q = find(s, quarkus);
                if (usable(q)) {
                    switch (kind) {
                        case "fanout-burst" -> {
                            ratio(s, "14", "deliveries/s", "deliveriesPerSec", wg, q, ">=", 1.3);
                            ratio(s, "14", "server CPU µs per delivery", "serverCpuUsPerDelivery", wg, q, "<=", 0.8);
                        }
                        case "fanout-paced" -> ratio(s, "14", "server CPU µs per delivery", "serverCpuUsPerDelivery", wg, q, "<=", 0.8);
                        case "echo" -> ratio(s, "14", "round trips/s", "roundTripsPerSec", wg, q, ">=", 1.0);
                        case "idle" -> {
                            ratio(s, "14", "live heap per idle connection", "heapPerConnBytes", wg, q, "<=", 1.0);
                            ratio(s, "14", "RSS per idle connection", "rssPerConnBytes", wg, q, "<=", 1.0);
                        }
                        default -> {
                        }
                    }
                }
                Result v = floorOf(s, w);
                if (usable(v) && kind.equals("echo")) {
                    difference(s, "14", "pipeline cost per round trip, server CPU µs", "serverCpuUsPerRoundTrip", wg, v,
                            "<=", PIPELINE_COST_US);
                }
            }
            for (String server : servers()) {
                Result r = find(s, server);
                if (r == null) {
                    continue;
                }
                if (r.notes.containsKey("error")) {
                    targets.add(new Target(s, "", "ran without error", server, "", "error", Rule.COUNT, "no error", 0,
                            Double.NaN, Double.NaN, 1, none(), false));
                    if (r.failed()) {
                        continue;
                    }
                }
                if (!kind.equals("idle") && !r.failed()) {
                    double lost = r.get("lost") + nz(r.get("duplicates"));
                    targets.add(new Target(s, "", r.runCount() > 1 ? "lost messages, all " + r.runCount() + " runs" : "lost messages",
                            server, "", "lost", Rule.COUNT, "== 0", 0, lost, Double.NaN, lost, none(), lost == 0));
                }
            }
        }
    }

    /** The result of {@code server}'s floor kind (its transport echoing verbatim) in scenario {@code s}, or null. */
    private Result floorOf(String s, String server) {
        ServerProcess.Kind kind = ServerProcess.Kind.find(server);
        return kind == null || kind.floor == null ? null : find(s, kind.floor);
    }

    private static double[] none() {
        return new double[] {Double.NaN, Double.NaN};
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static boolean holds(String rule, double value, double limit) {
        return !Double.isNaN(value) && (rule.equals(">=") ? value >= limit : value <= limit);
    }

    private void ratio(String s, String issue, String figure, String metric, Result server, Result reference, String rule,
                       double limit) {
        double value = server.get(metric) / reference.get(metric);
        targets.add(new Target(s, issue, figure, server.server, reference.server, metric, Rule.RATIO, rule + " " + times(limit),
                limit, server.get(metric), reference.get(metric), value,
                roundSpread(server, reference, metric, (a, b) -> a / b), holds(rule, value, limit)));
    }

    private void difference(String s, String issue, String figure, String metric, Result server, Result reference, String rule,
                            double limit) {
        double value = server.get(metric) - reference.get(metric);
        targets.add(new Target(s, issue, figure, server.server, reference.server, metric, Rule.DIFFERENCE,
                rule + " " + fmt(limit), limit, server.get(metric), reference.get(metric), value,
                roundSpread(server, reference, metric, (a, b) -> a - b), holds(rule, value, limit)));
    }

    private void absolute(String s, String issue, String figure, String metric, Result server, Result reference, String rule,
                          double limit) {
        double value = server.get(metric);
        targets.add(new Target(s, issue, figure, server.server, reference.server, metric, Rule.ABSOLUTE, rule + " " + fmt(limit),
                limit, value, reference.get(metric), value, server.runCount() > 1 ? server.spread(metric) : none(),
                holds(rule, value, limit)));
    }

    /**
     * {min, max} of {@code f(server's figure, reference's figure)} over the rounds where both ran (NaN, NaN with a
     * single round): the spread of a ratio or difference from runs of the same round, close in time.
     */
    private static double[] roundSpread(Result server, Result reference, String metric,
                                        java.util.function.DoubleBinaryOperator f) {
        double min = Double.NaN;
        double max = Double.NaN;
        if (server.runs.isEmpty() || server.runs.size() != reference.runs.size()) {
            return new double[] {min, max};
        }
        for (int i = 0; i < server.runs.size(); i++) {
            Result a = server.runs.get(i);
            Result b = reference.runs.get(i);
            if (a.failed() || b.failed()) {
                continue;
            }
            double v = f.applyAsDouble(a.get(metric), b.get(metric));
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            min = Double.isNaN(min) ? v : Math.min(min, v);
            max = Double.isNaN(max) ? v : Math.max(max, v);
        }
        return new double[] {min, max};
    }

    /** Whether a target is missed in this scenario. */
    boolean missed(String scenario) {
        return targets.stream().anyMatch(t -> t.scenario.equals(scenario) && !t.met);
    }

    /** The servers of the targets missed in this scenario: each judged server and its reference. */
    Set<String> missedServers(String scenario) {
        Set<String> s = new LinkedHashSet<>();
        for (Target t : targets) {
            if (t.scenario.equals(scenario) && !t.met) {
                s.add(t.server);
                if (!t.reference.isEmpty()) {
                    s.add(t.reference);
                }
            }
        }
        return s;
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
        String rounds = cfg.repetitions() > 1 ? cfg.repetitions() + " rounds, each server in turn in every round, " : "";
        if (platform.standalone()) {
            b.append("Each scenario runs against ").append(String.join(", ", servers().stream().map(this::label).toList()))
                    .append(", ").append(rounds).append("each run in a fresh server JVM started with the same flags (`")
                    .append(env.facts().get("server JVM flags"))
                    .append("`); the load generator is this driver's JVM, on the same machine.");
        } else {
            b.append("Each scenario starts one ").append(platform.name()).append(" JVM (`")
                    .append(env.facts().get("server JVM flags")).append("`) with both WARs deployed, Wiregate's at `/wiregate` ")
                    .append("and the raw endpoint's at `/raw` (on ").append(platform.stack())
                    .append("), and runs against the raw endpoint, then against Wiregate, ").append(rounds)
                    .append("in that JVM; server CPU, RSS and class histograms are the server JVM's. The load generator is this ")
                    .append("driver's JVM, on the same machine.");
        }
        if (cfg.repetitions() > 1) {
            b.append(" Figures are medians of the ").append(cfg.repetitions()).append(" runs, with their spread (min–max) in ")
                    .append("parentheses; lost messages are added up over the runs.");
        }
        b.append("\n\n");
        if (platform.standalone()) {
            serverList(b);
        }
        b.append("![Wiregate vs ").append(String.join(", ", servers().stream().filter(x -> !isWiregate(x)).map(this::label).toList()))
                .append("](").append(platform.chartLink()).append(")\n\n");

        b.append("## Targets (Wiregate against ").append(references()).append(" in the same run)\n\n");
        b.append("| scenario | issue | figure | server | its figure | against | their figure | result | target | met |\n");
        b.append("|---|---|---|---|---:|---|---:|---:|---|---|\n");
        for (Target t : targets) {
            b.append("| ").append(t.scenario).append(" | ").append(t.issue).append(" | ").append(t.figure).append(" | ")
                    .append(label(t.server)).append(" | ").append(t.type == Rule.COUNT ? "" : num(t.serverValue)).append(" | ")
                    .append(t.reference.isEmpty() ? "" : label(t.reference)).append(" | ")
                    .append(t.reference.isEmpty() ? "" : num(t.referenceValue)).append(" | ")
                    .append(targetValue(t.type, t.value)).append(spreadText(t.type, t.spread)).append(" | ")
                    .append(t.rule).append(" | ").append(t.met ? "**met**" : "**missed**").append(" |\n");
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
                .append(cfg.ioThreads()).append(", client heartbeat every ").append(cfg.keepAliveSeconds()).append(" s of silence, ")
                .append(cfg.repetitions()).append(cfg.repetitions() == 1 ? " run" : " runs").append(" of each scenario per server.\n")
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

    /** What each standalone server kind of the run is. */
    private void serverList(StringBuilder b) {
        b.append("Servers:\n\n");
        for (String server : servers()) {
            String what = switch (server) {
                case "raw" -> "a hand-written Tyrus `@ServerEndpoint` on Grizzly that reads each frame's `event` with a "
                        + "streaming JSON-P parser and routes on it (the issue-6 baseline)";
                case "raw-verbatim" -> "the same Tyrus server without JSON: echo sends back the text it received (fanout and "
                        + "heartbeat frames are told apart by a string prefix); the transport's floor for the pipeline cost";
                case "wiregate" -> "Wiregate's stock standalone runtime (Tyrus on Grizzly) with the bench `@Gateway`";
                case "quarkus" -> "Quarkus WebSockets Next, Quarkus " + env.facts().getOrDefault("Quarkus", "?")
                        + ": `@WebSocket` endpoint on the event loop, concurrent inbound processing, `event` read with "
                        + "Jackson's streaming parser, fanout by `broadcast()` (the sender filtered out), echo by `sendText`";
                case "raw-vertx" -> "a hand-written Vert.x core server (module `benchmarks/vertx`, its default NIO "
                        + "transport, an HTTP server verticle per event loop): echo sends back the text it received, fanout by `writeTextMessage` to every other "
                        + "connection; Vert.x core's floor beside raw Netty's";
                default -> "";
            };
            b.append("- **").append(label(server)).append("** (`").append(server).append("`)")
                    .append(what.isEmpty() ? "" : ": " + what).append("\n");
        }
        b.append("\n");
    }

    /** The reference servers of the targets, as their labels: "raw Tyrus, raw Tyrus, verbatim and Quarkus". */
    private String references() {
        List<String> refs = servers().stream().filter(x -> !isWiregate(x)).map(this::label).toList();
        if (refs.isEmpty()) {
            return rawLabel();
        }
        return refs.size() == 1 ? refs.get(0) : String.join(", ", refs.subList(0, refs.size() - 1)) + " and " + refs.get(refs.size() - 1);
    }

    private static String targetValue(Rule type, double v) {
        return switch (type) {
            case RATIO -> Double.isNaN(v) || Double.isInfinite(v) ? "" : times(v);
            case DIFFERENCE -> Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%+.1f", v);
            default -> num(v);
        };
    }

    private static String spreadText(Rule type, double[] spread) {
        if (Double.isNaN(spread[0])) {
            return "";
        }
        return " (" + targetValue(type, spread[0]) + "–" + targetValue(type, spread[1]) + ")";
    }

    /** A figure of a result: the median, with its spread over the runs when there are several. */
    private static String cell(Result r, String metric) {
        String v = num(r.get(metric));
        if (r.runCount() < 2 || v.isEmpty()) {
            return v;
        }
        double[] sp = r.spread(metric);
        return Double.isNaN(sp[0]) ? v : v + " (" + num(sp[0]) + "–" + num(sp[1]) + ")";
    }

    /** The comparison rows of a table: each Wiregate kind ÷ raw, and ÷ Quarkus. */
    private List<Result[]> comparisons(String s) {
        List<Result[]> pairs = new ArrayList<>();
        for (String w : wiregateServers()) {
            Result wg = find(s, w);
            for (String ref : List.of(ServerProcess.Kind.RAW.id, ServerProcess.Kind.QUARKUS.id)) {
                Result r = find(s, ref);
                if (usable(wg) && usable(r)) {
                    pairs.add(new Result[] {wg, r});
                }
            }
        }
        return pairs;
    }

    private String ratioLabel(Result[] pair) {
        return "*" + label(pair[0].server) + " ÷ " + label(pair[1].server) + "*";
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
            for (String server : servers()) {
                Result r = find(s, server);
                if (r == null) {
                    continue;
                }
                if (r.failed()) {
                    b.append("| ").append(s).append(" | ").append(label(r.server)).append(" | ").append(problems(r)).append(" ||||||||||\n");
                    continue;
                }
                b.append("| ").append(s).append(" | ").append(label(r.server)).append(" | ")
                        .append(cell(r, "deliveriesPerSec")).append(" | ").append(cell(r, "p50Us")).append(" | ")
                        .append(cell(r, "p99Us")).append(" | ").append(num(r.get("maxUs"))).append(" | ")
                        .append(num(r.get("lost") + nz(r.get("duplicates")))).append(problems(r)).append(" | ")
                        .append(cell(r, "serverCpuUsPerDelivery")).append(" | ")
                        .append(fmt(r.get("serverCores"))).append(" (").append(pct(r.get("serverSystemShare"))).append(") | ")
                        .append(fmt(r.get("generatorCores"))).append(" | ").append(fmt(r.get("generatorCpuUsPerDelivery"))).append(" | ").append(fmt(r.get("otherCores"))).append(" |\n");
            }
            for (Result[] p : comparisons(s)) {
                b.append("| ").append(s).append(" | ").append(ratioLabel(p)).append(" | ").append(ratioCell(p[0], p[1], "deliveriesPerSec")).append(" | ")
                        .append(ratioCell(p[0], p[1], "p50Us")).append(" | ").append(ratioCell(p[0], p[1], "p99Us")).append(" | ")
                        .append(ratioCell(p[0], p[1], "maxUs")).append(" | | ").append(ratioCell(p[0], p[1], "serverCpuUsPerDelivery"))
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
            for (String server : servers()) {
                Result r = find(s, server);
                if (r == null) {
                    continue;
                }
                if (r.failed()) {
                    b.append("| ").append(s).append(" | ").append(label(r.server)).append(" | ").append(problems(r)).append(" ||||||||||\n");
                    continue;
                }
                b.append("| ").append(s).append(" | ").append(label(r.server)).append(" | ")
                        .append(cell(r, "roundTripsPerSec")).append(" | ").append(cell(r, "p50Us")).append(" | ")
                        .append(cell(r, "p99Us")).append(" | ").append(num(r.get("maxUs"))).append(" | ")
                        .append(num(r.get("lost"))).append(problems(r)).append(" | ")
                        .append(cell(r, "serverCpuUsPerRoundTrip")).append(" | ")
                        .append(fmt(r.get("serverCores"))).append(" (").append(pct(r.get("serverSystemShare"))).append(") | ")
                        .append(fmt(r.get("generatorCores"))).append(" | ").append(fmt(r.get("generatorCpuUsPerRoundTrip"))).append(" | ").append(fmt(r.get("otherCores"))).append(" |\n");
            }
            for (Result[] p : comparisons(s)) {
                b.append("| ").append(s).append(" | ").append(ratioLabel(p)).append(" | ").append(ratioCell(p[0], p[1], "roundTripsPerSec")).append(" | ")
                        .append(ratioCell(p[0], p[1], "p50Us")).append(" | ").append(ratioCell(p[0], p[1], "p99Us")).append(" | ")
                        .append(ratioCell(p[0], p[1], "maxUs")).append(" | | ").append(ratioCell(p[0], p[1], "serverCpuUsPerRoundTrip"))
                        .append(" | | | | |\n");
            }
            List<String> costs = new ArrayList<>();
            for (String server : servers()) {
                Result r = find(s, server);
                Result floor = floorOf(s, server);
                if (usable(r) && usable(floor)) {
                    double[] sp = roundSpread(r, floor, "serverCpuUsPerRoundTrip", (x, y) -> x - y);
                    costs.add(label(server) + " " + targetValue(Rule.DIFFERENCE, r.get("serverCpuUsPerRoundTrip")
                            - floor.get("serverCpuUsPerRoundTrip")) + " µs" + spreadText(Rule.DIFFERENCE, sp) + " above "
                            + label(floor.server) + "'s " + fmt(floor.get("serverCpuUsPerRoundTrip")) + " µs");
                }
            }
            if (!costs.isEmpty()) {
                b.append("\nPipeline cost per round trip (server CPU µs per round trip above that of the same transport echoing ")
                        .append("verbatim, its floor; target for Wiregate ≤ ").append(fmt(PIPELINE_COST_US)).append(" µs): ")
                        .append(String.join("; ", costs)).append(". Servers without a verbatim endpoint on their transport ")
                        .append("in this run have none.\n");
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
            for (String server : servers()) {
                Result r = find(s, server);
                if (r == null) {
                    continue;
                }
                if (r.failed()) {
                    b.append("| ").append(s).append(" | ").append(label(r.server)).append(" | ").append(problems(r)).append(" |||||||\n");
                    continue;
                }
                b.append("| ").append(s).append(" | ").append(label(r.server)).append(" | ")
                        .append(cell(r, "heapPerConnBytes")).append(" B | ").append(fmt(r.get("objectsPerConn"))).append(" | ")
                        .append(cell(r, "rssPerConnBytes")).append(" B | ").append(fmt(r.get("liveHeapMiB"))).append(" MiB | ")
                        .append(fmt(r.get("rssMiB"))).append(" MiB | ").append(fmt(r.get("idleServerCpuMsPerSec"))).append(" ms/s | ")
                        .append(num(r.get("connectsPerSec"))).append(problems(r)).append(" |\n");
            }
            for (Result[] p : comparisons(s)) {
                b.append("| ").append(s).append(" | ").append(ratioLabel(p)).append(" | ").append(ratioCell(p[0], p[1], "heapPerConnBytes")).append(" | ")
                        .append(ratioCell(p[0], p[1], "objectsPerConn")).append(" | ").append(ratioCell(p[0], p[1], "rssPerConnBytes"))
                        .append(" | | | | |\n");
            }
            for (String server : servers()) {
                Result r = find(s, server);
                if (r == null || r.topClasses.isEmpty()) {
                    continue;
                }
                b.append("\nLive heap growth per connection by class, ").append(label(r.server))
                        .append(r.runCount() > 1 ? " (its median run)" : "").append(":\n\n");
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
                if (!isWiregate(p.server)) {
                    continue;
                }
                b.append("\n").append(label(p.server)).append(", hottest frames (self):\n\n| self | frame |\n|---:|---|\n");
                for (Map.Entry<String, Long> x : ProfileSummary.top(p.self, 20)) {
                    b.append("| ").append(pct1(x.getValue() / (double) Math.max(1, p.samples))).append(" | `").append(x.getKey()).append("` |\n");
                }
                b.append("\n").append(label(p.server)).append(" methods, inclusive (share of samples with the method on the stack):\n\n| inclusive | method |\n|---:|---|\n");
                for (Map.Entry<String, Long> x : ProfileSummary.top(p.inclusiveWiregate, 15)) {
                    b.append("| ").append(pct1(x.getValue() / (double) Math.max(1, p.samples))).append(" | `").append(x.getKey()).append("` |\n");
                }
                if (!p.allocation.isEmpty()) {
                    b.append("\n").append(label(p.server)).append(", allocation by first Wiregate frame (share of sampled bytes):\n\n| bytes | site -> class |\n|---:|---|\n");
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
        b.append("\n  },\n  \"command\": ").append(q(cfg.command())).append(",\n  \"repetitions\": ").append(cfg.repetitions())
                .append(",\n  \"servers\": {");
        i = 0;
        for (String server : servers()) {
            b.append(i++ == 0 ? "" : ", ").append(q(server)).append(": ").append(q(label(server)));
        }
        b.append("},\n  \"results\": [");
        i = 0;
        for (Result r : results) {
            b.append(i++ == 0 ? "\n" : ",\n").append("    ");
            result(b, r);
        }
        b.append("\n  ],\n  \"targets\": [");
        i = 0;
        for (Target t : targets) {
            b.append(i++ == 0 ? "\n" : ",\n").append("    {\"scenario\": ").append(q(t.scenario)).append(", \"issue\": ")
                    .append(q(t.issue)).append(", \"figure\": ").append(q(t.figure)).append(", \"server\": ").append(q(t.server))
                    .append(", \"reference\": ").append(q(t.reference)).append(", \"type\": ").append(q(t.type.name().toLowerCase(Locale.ROOT)))
                    .append(", \"rule\": ").append(q(t.rule)).append(", \"serverValue\": ").append(jnum(t.serverValue))
                    .append(", \"referenceValue\": ").append(jnum(t.referenceValue)).append(", \"value\": ").append(jnum(t.value))
                    .append(", \"spread\": [").append(jnum(t.spread[0])).append(", ").append(jnum(t.spread[1])).append("]")
                    .append(", \"met\": ").append(t.met).append("}");
        }
        b.append("\n  ]\n}\n");
        return b.toString();
    }

    /** One result as a JSON object: a median carries its runs. */
    private static void result(StringBuilder b, Result r) {
        b.append("{\"scenario\": ").append(q(r.scenario)).append(", \"kind\": ")
                .append(q(r.kind)).append(", \"server\": ").append(q(r.server)).append(", \"runs\": ").append(r.runCount())
                .append(", \"metrics\": {");
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
        if (!r.runs.isEmpty()) {
            b.append(", \"eachRun\": [");
            j = 0;
            for (Result run : r.runs) {
                b.append(j++ == 0 ? "" : ", ");
                result(b, run);
            }
            b.append("]");
        }
        b.append("}");
    }

    /** One line per figure: {@code run} is the run's number, or {@code median} for the medians of several runs. */
    private String csv() {
        StringBuilder b = new StringBuilder("scenario,server,run,metric,value\n");
        for (Result r : results) {
            List<Result> rows = new ArrayList<>(r.runs);
            rows.add(r);
            for (int k = 0; k < rows.size(); k++) {
                Result x = rows.get(k);
                String run = x == r ? (r.runs.isEmpty() ? "1" : "median") : Integer.toString(k + 1);
                for (Map.Entry<String, Double> m : x.metrics.entrySet()) {
                    b.append(r.scenario).append(',').append(r.server).append(',').append(run).append(',').append(m.getKey())
                            .append(',').append(jnum(m.getValue())).append('\n');
                }
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

    String label(String server) {
        return platform.label(server);
    }

    private static String ratioCell(Result wg, Result raw, String metric) {
        double r = wg.get(metric) / raw.get(metric);
        return Double.isNaN(r) || Double.isInfinite(r) ? "" : "*" + times(r) + "*";
    }

    /** A ratio: "1.31x". */
    static String times(double v) {
        return String.format(Locale.ROOT, "%.2fx", v);
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
