package io.wiregate.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a run's servers run, and what that changes in its report: the standalone runtimes (every
 * {@link ServerProcess.Kind}: raw Tyrus, raw Tyrus verbatim, Wiregate's own, Quarkus; a fresh JVM per server and
 * run), or one application server (WildFly, Payara Micro, Open Liberty) hosting
 * both WARs side by side ({@link AppServer}). Each platform has its own block of {@code RESULTS.md}, its own
 * results directory and its own targets, so that a run on one never rewrites another's figures.
 *
 * @param id           {@code standalone}, {@code wildfly}, {@code payara} or {@code liberty} (the Launcher's names)
 * @param name         as a reader knows it
 * @param rawLabel     the raw endpoint's label in tables
 * @param stack        the WebSocket implementation the raw endpoint runs on
 * @param fanoutTarget the fanout target, Wiregate ÷ raw deliveries/s: 1.5 where Wiregate has a raw-frame transport
 *                     (Tyrus: standalone and Payara), 1.0 elsewhere (issue 12; {@code -Dbench.fanout.target} overrides it)
 * @param cpuTarget    the server CPU µs per delivery target (issue 6, standalone only; NaN: none)
 */
record Platform(String id, String name, String rawLabel, String stack, double fanoutTarget, double cpuTarget) {

    static final Platform STANDALONE = new Platform("standalone", "standalone", "raw Tyrus", "Tyrus 2.1 on Grizzly", 1.5, 8);

    /** The application servers, in the order of {@code -Dbench.server=all}. */
    static final List<String> APP_SERVERS = List.of("wildfly", "payara", "liberty");

    /** The platforms of {@code -Dbench.server}: none or {@code standalone}, a server, a comma list, or {@code all}. */
    static List<Platform> of(String setting) {
        String s = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("standalone")) {
            return List.of(STANDALONE);
        }
        List<Platform> platforms = new ArrayList<>();
        for (String id : s.equals("all") ? APP_SERVERS : List.of(s.split(","))) {
            platforms.add(switch (id.trim()) {
                case "wildfly" -> new Platform("wildfly", "WildFly", "raw Undertow", "Undertow, WildFly's WebSocket",
                        fanoutTarget(1.0), Double.NaN);
                // Payara runs Tyrus: Wiregate writes raw frames there through Tyrus's writer, as standalone.
                case "payara" -> new Platform("payara", "Payara Micro", "raw Tyrus (Payara)", "Tyrus, Payara's WebSocket",
                        fanoutTarget(1.5), Double.NaN);
                case "liberty" -> new Platform("liberty", "Open Liberty", "raw Liberty", "Open Liberty's own WebSocket",
                        fanoutTarget(1.0), Double.NaN);
                default -> throw new IllegalArgumentException("unknown server '" + id + "' (standalone, wildfly, payara, liberty, all)");
            });
        }
        return platforms;
    }

    private static double fanoutTarget(double byDefault) {
        String set = System.getProperty("bench.fanout.target");
        return set == null ? byDefault : Double.parseDouble(set);
    }

    /** A server's label in tables and logs. */
    String label(ServerProcess.Kind kind) {
        return kind.label == null ? rawLabel : kind.label;
    }

    /** A result's server (a {@link ServerProcess.Kind} id) as {@link #label(ServerProcess.Kind)} names it. */
    String label(String server) {
        ServerProcess.Kind kind = ServerProcess.Kind.find(server);
        return kind == null ? server : label(kind);
    }

    /** The server kinds of a run on this platform by default: every kind standalone, the two WARs on a server. */
    String defaultServers() {
        return String.join(",", ServerProcess.Kind.ALL.stream().filter(k -> standalone() || k.contextRoot != null)
                .map(k -> k.id).toList());
    }

    /**
     * Where a step's servers run: standalone, a fresh JVM per server and run; on an application server, one
     * server started for the step with both WARs (its start-up bounded in time).
     */
    Host host(Config cfg, String step) throws IOException, InterruptedException {
        if (standalone()) {
            return (kind, label) -> ServerProcess.start(kind, cfg, label);
        }
        return AppServer.start(this, cfg, step);
    }

    boolean standalone() {
        return this == STANDALONE || id.equals("standalone");
    }

    /** Where this platform's results.json, results.csv, chart and profiles go. */
    Path out(Config cfg) {
        return standalone() ? cfg.out() : cfg.out().resolve(id);
    }

    /** The chart's path as RESULTS.md links it. */
    String chartLink() {
        return standalone() ? "results/chart.svg" : "results/" + id + "/chart.svg";
    }

    /** A prefix for this platform's log and profile files under target/bench-logs. */
    String filePrefix() {
        return standalone() ? "" : id + "-";
    }

    /** The first line of this platform's generated block in RESULTS.md. */
    String beginMarker() {
        return standalone() ? Report.BEGIN
                : "<!-- BEGIN GENERATED: benchmarks/run.sh -Dbench.server=" + id + " rewrites this block; edit outside it -->";
    }

    /** The last line of this platform's generated block (distinct per platform: no block ends another's). */
    String endMarker() {
        return standalone() ? Report.END : "<!-- END GENERATED: " + id + " -->";
    }

    /** The server's version, from the unpacked distribution under {@code servers} (empty when unknown). */
    String version(Path servers) {
        try {
            switch (id) {
                case "wildfly" -> {
                    try (var dirs = Files.list(servers)) {
                        return dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("wildfly-"))
                                .map(n -> n.substring("wildfly-".length())).findFirst().orElse("");
                    }
                }
                case "liberty" -> {
                    for (String line : Files.readAllLines(servers.resolve("wlp/lib/versions/openliberty.properties"))) {
                        if (line.startsWith("com.ibm.websphere.productVersion=")) {
                            return line.substring(line.indexOf('=') + 1).trim();
                        }
                    }
                    return "";
                }
                case "payara" -> {
                    try (var jar = new java.util.jar.JarFile(servers.resolve("payara-micro.jar").toFile())) {
                        var entry = jar.getEntry("META-INF/maven/fish.payara.server.internal.extras/payara-micro-boot/pom.properties");
                        var props = new java.util.Properties();
                        if (entry != null) {
                            try (var in = jar.getInputStream(entry)) {
                                props.load(in);
                            }
                        }
                        return props.getProperty("version", "");
                    }
                }
                default -> {
                    return "";
                }
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
