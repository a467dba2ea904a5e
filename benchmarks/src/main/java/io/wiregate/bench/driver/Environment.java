package io.wiregate.bench.driver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine and software of a run, as the commands a reader would type show them. */
record Environment(Map<String, String> facts) {

    static Environment capture(Config cfg, Platform platform) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        f.put("nproc", Proc.run(10, "nproc"));
        f.put("cpu", cpuModel());
        f.put("free -h", Proc.run(10, "free", "-h"));
        f.put("java -version", Proc.run(30, Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version"));
        f.put("uname -srm", Proc.run(10, "uname", "-srm"));
        f.put("open files (driver)", Proc.openFilesLimit());
        f.put("git commit", Proc.run(10, "git", "-C", cfg.home().toString(), "rev-parse", "--short", "HEAD")
                + (Proc.run(10, "git", "-C", cfg.home().toString(), "status", "--porcelain", "--", "..").isEmpty() ? "" : " (work tree modified)"));
        if (!platform.standalone()) {
            f.put("application server", platform.name() + " " + platform.version(AppServer.serversDirectory(cfg))
                    + ", its WebSocket: " + platform.stack());
            f.put("WARs", AppServer.war(cfg, ServerProcess.Kind.WIREGATE).getFileName() + " at /wiregate, "
                    + AppServer.war(cfg, ServerProcess.Kind.RAW).getFileName() + " at /raw, in the same server JVM");
        }
        f.put("server JVM flags", String.join(" ", cfg.serverJvmArgs()));
        if (platform.standalone() && cfg.servers().contains(ServerProcess.Kind.QUARKUS.id)) {
            f.put("Quarkus", quarkusVersion(cfg));
        }
        f.put("generator JVM", String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                .stream().filter(a -> !a.startsWith("-Dbench.command=") && !a.startsWith("-Dbench.home=")).toList()));
        f.put("Wiregate jars used", wiregateJars());
        return new Environment(f);
    }

    /** The Wiregate jars on the class path (lib/), with their build times: what the run measured. */
    private static String wiregateJars() {
        StringBuilder b = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry).toAbsolutePath();
            Path lib = jar.getParent() == null ? null : jar.getParent().resolve("lib");
            if (lib == null || !Files.isDirectory(lib)) {
                continue;
            }
            try (java.util.stream.Stream<Path> files = Files.list(lib)) {
                files.filter(p -> p.getFileName().toString().startsWith("wiregate-")).sorted().forEach(p -> {
                    try {
                        b.append(b.length() == 0 ? "" : ", ").append(p.getFileName()).append(" (built ")
                                .append(Files.getLastModifiedTime(p).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                                .append(")");
                    } catch (java.io.IOException e) {
                        b.append(p.getFileName());
                    }
                });
            } catch (java.io.IOException e) {
                // not listed
            }
        }
        return b.toString();
    }

    /** The Quarkus version of the Quarkus server's fast-jar (its quarkus-core jar) and when it was built. */
    private static String quarkusVersion(Config cfg) {
        Path jar = Path.of(System.getProperty("bench.quarkus.jar",
                cfg.home().resolve("quarkus/target/quarkus-app/quarkus-run.jar").toString()));
        Path lib = jar.toAbsolutePath().getParent().resolve("lib/main");
        try (java.util.stream.Stream<Path> files = Files.list(lib)) {
            String version = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("io.quarkus.quarkus-core-") && n.endsWith(".jar"))
                    .map(n -> n.substring("io.quarkus.quarkus-core-".length(), n.length() - ".jar".length()))
                    .findFirst().orElse("unknown");
            return version + " (" + jar.getFileName() + " built "
                    + Files.getLastModifiedTime(jar).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")";
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
