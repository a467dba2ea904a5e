package io.wiregate.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs Node test suites of the repository (the kit, the JavaScript client) as child processes bounded in time, each
 * one's output in a log file of its own, whose failures a failed assertion quotes.
 */
final class NodeRuns {

    /** The repository's root. */
    static final Path ROOT = Path.of(System.getProperty("wiregate.root", "../..")).toAbsolutePath().normalize();

    /** The packaged conformance jar, which the suites start as their server. */
    static Path conformanceJar() {
        Path jar = ROOT.resolve("examples/conformance/target/conformance.jar");
        assertThat(jar).as("the packaged conformance jar").exists();
        return jar;
    }

    private NodeRuns() {
    }

    /**
     * Runs {@code command} in {@code dir} with {@code env} added, its output going to {@code log}; kills it and its
     * children after {@code minutes}. A command other than {@code node} must succeed.
     *
     * @return the exit code
     */
    static int run(Path dir, List<String> command, Map<String, String> env, int minutes, Path log) throws Exception {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + minutes + " minutes:\n"
                    + report(log));
        }
        assertThat(p.exitValue() == 0 || command.get(0).equals("node"))
                .as("%s exit code; its output:%n%s", command, report(log)).isTrue();
        return p.exitValue();
    }

    /** What a test run printed: its failures, or its last lines when it names none. */
    static String report(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        List<String> failures = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("not ok") || lines.get(i).matches("\\s+not ok .*")) {
                failures.addAll(lines.subList(i, Math.min(lines.size(), i + 25)));
            }
        }
        List<String> shown = failures.isEmpty() ? lines.subList(Math.max(0, lines.size() - 60), lines.size()) : failures;
        return String.join("\n", shown) + "\n(the whole output: " + log + ")";
    }

    /** Copies a folder without its {@code node_modules} and {@code logs}, so that the source tree stays clean. */
    static void copy(Path from, Path to) throws IOException {
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
