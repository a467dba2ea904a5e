package io.wiregate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Node test suites run from a JUnit test (the protocol kit, the JavaScript client, the chat page in Chromium): each
 * command a child process bounded in time, its output in a log file of its own, whose failures a failed test
 * quotes.
 */
public final class NodeTests {

    private NodeTests() {
    }

    /**
     * Runs {@code command} in {@code dir} with {@code env} added, its output (stdout and stderr) going to {@code log};
     * kills it and its children after {@code minutes}.
     *
     * @return the exit code
     * @throws AssertionError when the command did not finish in time
     */
    public static int run(Path dir, List<String> command, Map<String, String> env, int minutes, Path log)
            throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
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
        return p.exitValue();
    }

    /**
     * Runs a command that must succeed, such as {@code npm ci}.
     *
     * @throws AssertionError when it fails or does not finish in time, quoting its output
     */
    public static void runOrFail(Path dir, List<String> command, int minutes, Path log)
            throws IOException, InterruptedException {
        int exit = run(dir, command, Map.of(), minutes, log);
        if (exit != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + exit + ":\n" + report(log));
        }
    }

    /** What a {@code node --test} run printed: its failures ({@code not ok} and what follows), or its last lines. */
    public static String report(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).stripLeading().startsWith("not ok")) {
                failures.addAll(lines.subList(i, Math.min(lines.size(), i + 25)));
            }
        }
        List<String> shown = failures.isEmpty() ? lines.subList(Math.max(0, lines.size() - 60), lines.size()) : failures;
        return String.join("\n", shown) + "\n(the whole output: " + log + ")";
    }

    /**
     * Copies a Node project's folder without its {@code node_modules} and {@code logs}, so that a test installs and
     * runs it under {@code target/} and leaves the source tree clean.
     */
    public static void copyProject(Path from, Path to) throws IOException {
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(from)) {
            files.filter(p -> !from.relativize(p).startsWith("node_modules") && !from.relativize(p).startsWith("logs"))
                    .forEach(sources::add);
        }
        for (Path source : sources) {
            Path target = to.resolve(from.relativize(source).toString());
            if (Files.isDirectory(source)) {
                Files.createDirectories(target);
            } else {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                target.toFile().setWritable(true);
            }
        }
    }
}
