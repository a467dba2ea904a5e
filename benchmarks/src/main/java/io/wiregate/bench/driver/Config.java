package io.wiregate.bench.driver;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark's settings, all system properties ({@code -Dbench.x=y}, or {@code run.sh -Dbench.x=y}),
 * with the sizes as defaults. {@code -Dbench.server} chooses the platforms ({@link Platform#of}): none
 * or {@code standalone} (the default), {@code wildfly}, {@code payara}, {@code liberty}, a comma list or {@code all};
 * on application servers the scenarios default to fanout in burst, echo and idle (issue 12).
 * {@code -Dbench.servers} chooses the server kinds ({@link ServerProcess.Kind}): standalone, all of them by default
 * ({@code raw,raw-verbatim,wiregate,quarkus}); on application servers {@code raw,wiregate}, the two WARs. The Quarkus
 * server is {@code quarkus/target/quarkus-app/quarkus-run.jar} under the benchmarks module ({@code -Dbench.quarkus.jar}
 * to use another).
 * {@code -Dbench.repetitions=N} runs every (scenario, server) N times, the servers interleaved, each run in a fresh
 * server JVM; the report gives medians and the spread (min-max).
 */
record Config(
        List<Platform> platforms,
        List<String> scenarios,
        List<String> servers,
        int repetitions,
        List<Integer> fanoutClients,
        int burstSeconds,
        int burstMessages,
        int burstWindow,
        int pacedDeliveriesPerSecond,
        int pacedSeconds,
        int warmupSeconds,
        int echoClients,
        int echoSeconds,
        int echoWarmupSeconds,
        int idleClients,
        int payloadBytes,
        int ioThreads,
        int keepAliveSeconds,
        List<String> serverJvmArgs,
        String profile,
        String profiler,
        double quietCores,
        double disturbedCores,
        int retries,
        int quietWaitSeconds,
        Path home,
        Path out,
        String command) {

    static Config fromSystemProperties() {
        Path home = Path.of(System.getProperty("bench.home", ".")).toAbsolutePath().normalize();
        List<Platform> platforms = Platform.of(System.getProperty("bench.server"));
        boolean standalone = platforms.size() == 1 && platforms.get(0).standalone();
        return new Config(
                platforms,
                list("bench.scenarios", standalone ? "fanout-burst,fanout-paced,echo,idle" : "fanout-burst,echo,idle"),
                list("bench.servers", platforms.size() == 1 ? platforms.get(0).defaultServers() : "raw,wiregate"),
                Math.max(1, Integer.getInteger("bench.repetitions", 1)),
                list("bench.fanout.clients", "1000,5000").stream().map(Integer::parseInt).toList(),
                Integer.getInteger("bench.burst.seconds", 10),
                Integer.getInteger("bench.burst.messages", 0),
                Integer.getInteger("bench.burst.window", 32),
                Integer.getInteger("bench.paced.deliveriesPerSecond", 10_000),
                Integer.getInteger("bench.paced.seconds", 10),
                Integer.getInteger("bench.warmup.seconds", 5),
                Integer.getInteger("bench.echo.clients", 100),
                Integer.getInteger("bench.echo.seconds", 10),
                Integer.getInteger("bench.echo.warmupSeconds", 10),
                Integer.getInteger("bench.idle.clients", 10_000),
                Integer.getInteger("bench.payload.bytes", 128),
                Integer.getInteger("bench.io.threads", 1),
                Integer.getInteger("bench.keepAlive.seconds", 20),
                Arrays.asList(System.getProperty("bench.server.jvmArgs",
                        "-Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch").trim().split("\\s+")),
                System.getProperty("bench.profile", "missed"),
                System.getProperty("bench.profiler", "async"),
                Double.parseDouble(System.getProperty("bench.quiet.cores", "0.3")),
                Double.parseDouble(System.getProperty("bench.disturbed.cores", "0.25")),
                Integer.getInteger("bench.retries", 1),
                Integer.getInteger("bench.quiet.maxWaitSeconds", 120),
                home,
                Path.of(System.getProperty("bench.out", home.resolve("results").toString())).toAbsolutePath(),
                System.getProperty("bench.command", "benchmarks/run.sh"));
    }

    private static List<String> list(String key, String dflt) {
        return Arrays.stream(System.getProperty(key, dflt).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Paced rate in messages per second for a fanout to {@code clients} receivers (at least 1). */
    int pacedRate(int clients) {
        return Math.max(1, pacedDeliveriesPerSecond / clients);
    }
}
