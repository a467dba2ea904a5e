package io.wiregate.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the repository's protocol conformance kit ({@code tck/}, black-box tests in Node) against the packaged
 * conformance jar, as a client author would: every group the standalone runtime supports. The kit is copied to
 * {@code target/tck} and its two pinned dependencies installed there from its lockfile ({@code npm ci}), so the
 * source tree stays clean. Needs Node 20+ and the npm registry; the cluster group also needs {@code redis-server}.
 */
class ConformanceKitIT {

    private static final Path ROOT = Path.of(System.getProperty("wiregate.root", "../..")).toAbsolutePath().normalize();

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void theConformanceJarPassesTheProtocolKit() throws Exception {
        Path kit = ROOT.resolve("tck");
        assertThat(kit.resolve("conformance.test.mjs")).as("the protocol kit of the repository").exists();
        assertThat(kit.resolve("package-lock.json")).as("the kit's lockfile").exists();
        Path jar = ROOT.resolve("examples/conformance/target/conformance.jar");
        assertThat(jar).as("the packaged conformance jar").exists();

        Path work = ROOT.resolve("examples/conformance/target/tck");
        copy(kit, work);
        run(work, List.of("npm", "ci", "--no-audit", "--no-fund"), null, 5);
        String groups = System.getProperty("wiregate.tck.groups",
                "echo,maxsize,secure,timeouts,pings,guarded,rooms,shutdown,slow,cluster");
        int exit = run(work, List.of("node", "--test", "--test-concurrency=1", "conformance.test.mjs"),
                new String[] {"WG_SERVER=java {opts} -jar " + jar, "WG_GROUPS=" + groups,
                        "WG_LOG_DIR=" + work.resolve("logs")}, 12);
        assertThat(exit).as("the kit's exit code (its report is above; server logs in %s)", work.resolve("logs")).isZero();
    }

    private static int run(Path dir, List<String> command, String[] env, int minutes) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).inheritIO();
        if (env != null) {
            for (String kv : env) {
                int eq = kv.indexOf('=');
                pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        Process p = pb.start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + minutes + " minutes");
        }
        assertThat(p.exitValue() == 0 || command.get(0).equals("node")).as("%s exit code", command).isTrue();
        return p.exitValue();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path rel = from.relativize(source);
                if (rel.startsWith("node_modules") || rel.startsWith("logs")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().setWritable(true);
                }
            }
        }
        new File(to.toFile(), ".").setWritable(true);
    }
}
