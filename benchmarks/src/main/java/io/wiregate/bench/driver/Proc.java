package io.wiregate.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Process figures from /proc: CPU time (utime + stime) and resident set size. */
final class Proc {

    /** Clock ticks per second of /proc's CPU times ({@code getconf CLK_TCK}). */
    static final long CLK_TCK = clockTicks();

    /** CPU times of a process in nanoseconds. */
    record Cpu(long userNanos, long systemNanos, long wallNanos) {
        long totalNanos() {
            return userNanos + systemNanos;
        }

        Cpu minus(Cpu start) {
            return new Cpu(userNanos - start.userNanos, systemNanos - start.systemNanos, wallNanos - start.wallNanos);
        }

        /** Average cores busy over the wall time. */
        double cores() {
            return wallNanos <= 0 ? 0 : (double) totalNanos() / wallNanos;
        }
    }

    private Proc() {
    }

    static Cpu cpu(long pid) {
        long wall = System.nanoTime();
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(3) ppid(4) ... utime(14) stime(15)
            long utime = Long.parseLong(f[14 - 3]);
            long stime = Long.parseLong(f[15 - 3]);
            return new Cpu(utime * 1_000_000_000L / CLK_TCK, stime * 1_000_000_000L / CLK_TCK, wall);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat: " + e.getMessage(), e);
        }
    }

    /**
     * CPU nanoseconds (user + system) of each thread of a process, grouped by thread name with digits replaced by
     * {@code #} (for example {@code C2 CompilerThre#}, {@code Grizzly-worker(#)}). Threads that ended are missing.
     */
    static java.util.Map<String, Long> threadCpu(long pid) {
        java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
                    byName.merge(name, ticks * 1_000_000_000L / CLK_TCK, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        return byName;
    }

    /** The thread groups that used most CPU between two {@link #threadCpu} readings, as "name ms; ...". */
    static String threadCpuDiff(java.util.Map<String, Long> before, java.util.Map<String, Long> after, double wallSeconds, int top) {
        java.util.List<java.util.Map.Entry<String, Long>> diff = new java.util.ArrayList<>();
        for (java.util.Map.Entry<String, Long> e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                diff.add(java.util.Map.entry(e.getKey(), d));
            }
        }
        diff.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        StringBuilder b = new StringBuilder();
        for (java.util.Map.Entry<String, Long> e : diff.subList(0, Math.min(top, diff.size()))) {
            b.append(b.length() == 0 ? "" : "; ").append(e.getKey()).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.2f", e.getValue() / 1e9 / wallSeconds)).append(" cores");
        }
        return b.toString();
    }

    /** Machine-wide busy and total CPU nanoseconds so far (the {@code cpu} line of /proc/stat, all cores). */
    static long[] machine() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {(total - idle) * 1_000_000_000L / CLK_TCK, total * 1_000_000_000L / CLK_TCK};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** Cores busy machine-wide between two {@link #machine()} readings taken {@code wallNanos} apart. */
    static double machineCores(long[] before, long[] after, long wallNanos) {
        return wallNanos <= 0 ? 0 : (double) (after[0] - before[0]) / wallNanos;
    }

    /**
     * Waits until the machine is quiet (less than {@code maxCores} busy over one second), at most
     * {@code maxWaitSeconds}; returns the cores last seen busy.
     */
    static double awaitQuiet(double maxCores, int maxWaitSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + maxWaitSeconds * 1_000_000_000L;
        double busy;
        do {
            long[] a = machine();
            long t0 = System.nanoTime();
            Thread.sleep(1000);
            busy = machineCores(a, machine(), System.nanoTime() - t0);
        } while (busy > maxCores && System.nanoTime() < deadline);
        return busy;
    }

    /** Resident set size in bytes ({@code VmRSS}). */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The soft limit on open files of this process. */
    static String openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return line.replaceAll("\\s+", " ").trim();
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "unknown";
    }

    /** Runs a short command (bounded in time) and returns its output (stdout and stderr), or the error. */
    static String run(long timeoutSeconds, String... command) {
        Path out = null;
        try {
            out = Files.createTempFile("bench-cmd", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return "(timed out: " + String.join(" ", command) + ")";
            }
            return Files.readString(out).stripTrailing();
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    private static long clockTicks() {
        try {
            return Long.parseLong(run(10, "getconf", "CLK_TCK").trim());
        } catch (NumberFormatException e) {
            return 100;
        }
    }
}
