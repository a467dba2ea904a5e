package io.wiregate.bench.driver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every scenario against every server kind of {@code -Dbench.servers} in one run ({@link ServerProcess.Kind}:
 * standalone, raw Tyrus, raw Tyrus verbatim, Wiregate and Quarkus by default), on each platform of
 * {@code -Dbench.server} ({@link Platform}): standalone (the default), each server in a fresh JVM started with the
 * same flags; on an application server, one server JVM per step with both WARs deployed. With
 * {@code -Dbench.repetitions=N}, each step runs N rounds of every server in turn (interleaved, a fresh server JVM
 * each time), and the report gives the medians with their spread. Per platform, writes
 * {@code results.json}, {@code results.csv}, {@code chart.svg} and the platform's generated block of
 * {@code RESULTS.md}; then profiles the scenarios where a target is missed. Settings: see {@link Config}. Usage:
 * {@code benchmarks/run.sh [-Dbench.x=y ...]}.
 */
public final class BenchmarkDriver {

    private BenchmarkDriver() {
    }

    public static void main(String[] args) throws Exception {
        Config cfg = Config.fromSystemProperties();
        Files.createDirectories(cfg.out());
        Instant started = Instant.now();
        log("Wiregate benchmark: " + cfg.platforms().stream().map(Platform::name).toList() + ", scenarios " + cfg.scenarios()
                + ", servers " + cfg.servers() + ", repetitions " + cfg.repetitions() + ", fanout clients " + cfg.fanoutClients()
                + ", generator I/O threads " + cfg.ioThreads());
        for (String id : cfg.servers()) {
            ServerProcess.Kind kind = ServerProcess.Kind.of(id); // fails at once on an unknown id
            for (Platform platform : cfg.platforms()) {
                if (platform.standalone()) {
                    kind.launch.check(cfg); // and on a server that is not built
                } else if (kind.contextRoot == null) {
                    throw new IllegalArgumentException("server '" + id + "' runs standalone only, not on " + platform.name()
                            + " (-Dbench.servers=raw,wiregate there)");
                }
            }
        }
        log("open files: " + Proc.openFilesLimit());
        for (Platform platform : cfg.platforms()) {
            run(cfg, platform);
        }
        log("done in " + Duration.between(started, Instant.now()).toSeconds() + " s; " + cfg.out());
        System.exit(0);
    }

    /** Every step on one platform, its report, then the profiles of the steps where a target is missed. */
    private static void run(Config cfg, Platform platform) throws Exception {
        Instant started = Instant.now();
        if (!platform.standalone()) {
            log("== " + platform.name() + " " + platform.version(AppServer.serversDirectory(cfg)));
        }
        Environment env = Environment.capture(cfg, platform);
        List<Result> results = new ArrayList<>();
        for (Step step : steps(cfg)) {
            java.util.Map<String, List<Result>> runs = new java.util.LinkedHashMap<>();
            cfg.servers().forEach(id -> runs.put(id, new ArrayList<>()));
            try (Host host = platform.host(cfg, step.name)) {
                for (int rep = 1; rep <= cfg.repetitions(); rep++) {
                    if (cfg.repetitions() > 1) {
                        log("== " + step.name + ", round " + rep + " of " + cfg.repetitions());
                    }
                    for (String id : cfg.servers()) {
                        Result r = best(cfg, platform, step, host, ServerProcess.Kind.of(id), rep);
                        if (cfg.repetitions() > 1) {
                            r.put("repetition", rep);
                        }
                        runs.get(id).add(r);
                    }
                }
            } catch (Exception e) {
                log("   " + platform.name() + " did not start: " + e);
                for (String id : cfg.servers()) {
                    runs.get(id).add(new Result(step.name, step.kind, id).note("error", String.valueOf(e)));
                }
            }
            for (List<Result> r : runs.values()) {
                Result median = Result.median(r);
                if (r.size() > 1) {
                    log("   median of " + r.size() + ": " + median);
                }
                results.add(median);
            }
        }
        Report report = new Report(cfg, platform, env, results);
        report.writeAll();

        List<ProfileSummary> profiles = new ArrayList<>();
        java.util.Set<String> profiledFamilies = new java.util.HashSet<>();
        if (!cfg.profile().equals("none")) {
            for (Step step : steps(cfg)) {
                if (step.kind.equals("idle")) {
                    continue; // the memory figure's profile is the class histogram, already in the results
                }
                String family = step.kind.startsWith("fanout") ? "fanout" : step.kind;
                boolean wanted = cfg.profile().equals("all")
                        || (report.missed(step.name) && !profiledFamilies.contains(family));
                if (!wanted) {
                    continue;
                }
                profiledFamilies.add(family);
                // all: every server; missed: the servers of the missed targets (the Wiregate kind and its reference)
                List<String> servers = cfg.profile().equals("all") ? cfg.servers()
                        : cfg.servers().stream().filter(report.missedServers(step.name)::contains).toList();
                profiles.addAll(profile(cfg, platform, step, servers));
            }
        }
        report.profiles(profiles);
        report.writeAll();
        log(platform.name() + " done in " + Duration.between(started, Instant.now()).toSeconds() + " s; " + platform.out(cfg));
    }

    /** The least disturbed of at most 1 + retries runs of a step against one server (round {@code rep}). */
    private static Result best(Config cfg, Platform platform, Step step, Host host, ServerProcess.Kind kind, int rep)
            throws InterruptedException {
        Result best = null;
        for (int attempt = 1; attempt <= 1 + cfg.retries(); attempt++) {
            Result r = runOnce(cfg, platform, step, host, kind, attempt, rep);
            r.put("attempt", attempt);
            if (best == null || disturbance(r) < disturbance(best)) {
                best = r;
            }
            double other = disturbance(r);
            if (r.notes.containsKey("error") || other <= cfg.disturbedCores()) {
                break;
            }
            if (attempt <= cfg.retries()) {
                log(String.format("   other processes used %.2f cores during the measured window: run again", other));
            }
        }
        return best;
    }

    /** A separate run of a step with each of {@code servers} profiled over its measured window. */
    private static List<ProfileSummary> profile(Config cfg, Platform platform, Step step, List<String> servers) {
        List<ProfileSummary> profiles = new ArrayList<>();
        String name = step.name + "-profile";
        try (Host host = platform.host(cfg, name)) {
            for (String id : servers) {
                ServerProcess.Kind kind = ServerProcess.Kind.of(id);
                log("-> profiling " + step.name + " on " + platform.label(kind));
                try (ServerProcess server = host.serve(kind, name)) {
                    Profiler.Session profile = Profiler.attach(server, cfg, step.name, platform.filePrefix());
                    Result r = step.run(server, cfg, profile);
                    log("   (profiled run) " + r);
                    ProfileSummary summary = profile.summary();
                    Path out = platform.out(cfg);
                    Files.createDirectories(out);
                    Files.writeString(out.resolve("profile-" + step.name + "-" + kind.id + ".txt"), summary.text());
                    Path flame = profile.output();
                    if (flame.getFileName().toString().endsWith(".html") && Files.exists(flame)) {
                        Files.copy(flame, out.resolve(step.name + "-" + kind.id + "-flamegraph.html"),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    log("   profile: " + flame);
                    profiles.add(summary);
                } catch (Exception e) {
                    log("   profiling failed: " + e);
                }
            }
        } catch (Exception e) {
            log("   profiling failed: " + platform.name() + " did not start: " + e);
        }
        return profiles;
    }

    private static Result runOnce(Config cfg, Platform platform, Step step, Host host, ServerProcess.Kind kind, int attempt,
                                  int rep) throws InterruptedException {
        double busy = Proc.awaitQuiet(cfg.quietCores(), cfg.quietWaitSeconds());
        log("-> " + step.name + " on " + platform.label(kind) + String.format(" (machine busy before: %.2f cores)", busy)
                + (cfg.repetitions() > 1 ? ", round " + rep : "") + (attempt > 1 ? ", attempt " + attempt : ""));
        Result r;
        try (ServerProcess server = host.serve(kind, rep > 1 ? step.name + "-round" + rep : step.name)) {
            r = step.run(server, cfg, Measure.NONE);
            r.put("machineBusyBefore", busy);
            if (!server.alive()) {
                r.note("server", "the server process died; see " + server.log());
            }
        } catch (Exception e) {
            r = new Result(step.name, step.kind, kind.id).note("error", String.valueOf(e));
            e.printStackTrace();
        }
        log("   " + r);
        return r;
    }

    /** Cores other processes used during the measured window (0 where not measured). */
    private static double disturbance(Result r) {
        double other = r.get("otherCores");
        return Double.isNaN(other) ? 0 : other;
    }

    /** One scenario of the run (against one server at a time). */
    private record Step(String name, String kind, ScenarioRun run) {
        Result run(ServerProcess server, Config cfg, Measure measure) throws Exception {
            return run.run(server, cfg, measure);
        }
    }

    @FunctionalInterface
    private interface ScenarioRun {
        Result run(ServerProcess server, Config cfg, Measure measure) throws Exception;
    }

    private static List<Step> steps(Config cfg) {
        List<Step> steps = new ArrayList<>();
        for (String s : cfg.scenarios()) {
            switch (s) {
                case "fanout-burst", "fanout-paced" -> {
                    boolean paced = s.equals("fanout-paced");
                    for (int clients : cfg.fanoutClients()) {
                        steps.add(new Step(s + "-" + clients, s, (server, c, m) -> FanoutScenario.run(server, c, clients, paced, m)));
                    }
                }
                case "echo" -> steps.add(new Step("echo-" + cfg.echoClients(), "echo", EchoScenario::run));
                case "idle" -> steps.add(new Step("idle-" + cfg.idleClients(), "idle", (server, c, m) -> IdleScenario.run(server, c)));
                default -> throw new IllegalArgumentException("unknown scenario '" + s + "' (fanout-burst, fanout-paced, echo, idle)");
            }
        }
        return steps;
    }

    static void log(String line) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + line);
        System.out.flush();
    }
}
