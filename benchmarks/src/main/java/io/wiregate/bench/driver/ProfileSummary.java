package io.wiregate.bench.driver;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a server's time goes, from an async-profiler CPU profile (collapsed stacks, kernel frames included) or a
 * JFR recording: samples by leaf frame (self), by layer (Wiregate, Tyrus, Grizzly, Undertow, Open Liberty, Payara,
 * JSON, JDK, JVM, kernel), the Wiregate methods by inclusive share, by thread, and the kernel time by system call;
 * for JFR also the allocation samples by the first Wiregate (or else the top) frame.
 */
final class ProfileSummary {

    final String server;
    final String tool;
    final String scenario;
    long samples;
    long nativeSamples;
    final Map<String, Long> self = new HashMap<>();
    final Map<String, Long> selfLayer = new HashMap<>();
    final Map<String, Long> inclusiveLayer = new HashMap<>();
    final Map<String, Long> inclusiveWiregate = new HashMap<>();
    final Map<String, Long> nativeTop = new HashMap<>();
    final Map<String, Long> allocation = new HashMap<>();
    final Map<String, Long> threads = new HashMap<>();
    final Map<String, Long> syscalls = new HashMap<>();
    long allocationTotal;

    ProfileSummary(String server, String scenario, String tool) {
        this.tool = tool;
        this.server = server;
        this.scenario = scenario;
    }

    static ProfileSummary fromJfr(Path file, String server, String scenario) throws IOException {
        ProfileSummary s = new ProfileSummary(server, scenario, "JFR");
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String type = e.getEventType().getName();
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = st.getFrames();
                switch (type) {
                    case "jdk.ExecutionSample" -> s.execution(frames);
                    case "jdk.NativeMethodSample" -> {
                        s.nativeSamples++;
                        s.nativeTop.merge(name(frames.get(0)), 1L, Long::sum);
                    }
                    case "jdk.ObjectAllocationSample" -> {
                        long weight = e.getLong("weight");
                        String cls = e.getClass("objectClass") == null ? "?" : e.getClass("objectClass").getName();
                        String site = null;
                        for (RecordedFrame f : frames) {
                            if (layer(f).equals("Wiregate")) {
                                site = name(f);
                                break;
                            }
                        }
                        if (site == null) {
                            site = name(frames.get(0));
                        }
                        s.allocation.merge(site + " -> " + cls, weight, Long::sum);
                        s.allocationTotal += weight;
                    }
                    default -> {
                    }
                }
            }
        }
        return s;
    }

    /**
     * Reads async-profiler's collapsed output ({@code collapsed,threads}): one line per distinct stack, root
     * first ({@code [thread name tid=N]} when recorded with {@code threads}), then the sample count.
     */
    static ProfileSummary fromCollapsed(Path file, String server, String scenario) throws IOException {
        ProfileSummary s = new ProfileSummary(server, scenario, "async-profiler");
        for (String line : java.nio.file.Files.readAllLines(file)) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            long count = Long.parseLong(line.substring(space + 1).trim());
            String[] frames = line.substring(0, space).split(";");
            int first = 0;
            if (frames.length > 0 && frames[0].startsWith("[") && frames[0].endsWith("]")) {
                String thread = frames[0].substring(1, frames[0].length() - 1).replaceAll(" tid=\\d+", "").replaceAll("[0-9]+", "#");
                s.threads.merge(thread, count, Long::sum);
                first = 1;
            }
            if (first >= frames.length) {
                continue;
            }
            s.samples += count;
            String leaf = frames[frames.length - 1];
            s.self.merge(collapsedName(leaf), count, Long::sum);
            s.selfLayer.merge(collapsedLayer(leaf), count, Long::sum);
            Set<String> layers = new HashSet<>();
            Set<String> methods = new HashSet<>();
            String syscall = null;
            for (int i = first; i < frames.length; i++) {
                String layer = collapsedLayer(frames[i]);
                layers.add(layer);
                if (layer.equals("Wiregate")) {
                    methods.add(collapsedName(frames[i]));
                }
                if (syscall == null && layer.equals("kernel")) {
                    syscall = kernelEntry(frames, i);
                }
            }
            layers.forEach(l -> s.inclusiveLayer.merge(l, count, Long::sum));
            methods.forEach(m -> s.inclusiveWiregate.merge(m, count, Long::sum));
            if (syscall != null) {
                s.syscalls.merge(syscall, count, Long::sum);
            }
        }
        return s;
    }

    private static final java.util.regex.Pattern SYSCALL =
            java.util.regex.Pattern.compile("^(?:__x64_sys_|__arm64_sys_|__ia32_sys_|ksys_|__do_sys_|do_sys_)([a-z0-9_]+?)(?:2)?_\\[k\\]$");

    /**
     * What brought a thread into the kernel, from the first kernel frame of a stack on: the system call
     * ({@code sys_write}, {@code sys_futex}...), the scheduler on the way back from one, or an interrupt.
     */
    static String kernelEntry(String[] frames, int first) {
        for (int j = first; j < frames.length; j++) {
            java.util.regex.Matcher m = SYSCALL.matcher(frames[j]);
            if (m.matches()) {
                return "sys_" + m.group(1);
            }
            if (frames[j].startsWith("exit_to_user_mode") || frames[j].startsWith("schedule")) {
                return "(rescheduling on return to user mode)";
            }
        }
        String entry = frames[first].replace("_[k]", "");
        if (entry.startsWith("asm_sysvec") || entry.startsWith("asm_common_interrupt") || entry.startsWith("asm_exc")) {
            return "(interrupts, page faults)";
        }
        return "(" + entry + ")";
    }

    /** {@code io/wiregate/cdi/session/OutboundQueue.drain} as {@code OutboundQueue.drain (Wiregate)}. */
    static String collapsedName(String frame) {
        String layer = collapsedLayer(frame);
        String f = frame.replace("_[k]", "").replace("_[j]", "").replace("_[i]", "");
        if (f.contains("/")) {
            String cls = f.substring(0, f.lastIndexOf('.') < 0 ? f.length() : f.lastIndexOf('.'));
            String method = f.lastIndexOf('.') < 0 ? "" : f.substring(f.lastIndexOf('.'));
            f = cls.substring(cls.lastIndexOf('/') + 1) + method;
        }
        return f.replaceAll("\\$\\$Lambda\\$[0-9]+(/0x[0-9a-f]+|\\.0x[0-9a-f]+)?", "\\$\\$Lambda") + " (" + layer + ")";
    }

    static String collapsedLayer(String frame) {
        if (frame.endsWith("_[k]")) {
            return "kernel";
        }
        if (frame.contains("/")) {
            return layer(frame.replace('/', '.'));
        }
        if (frame.contains("::") || frame.startsWith("JVM_") || frame.startsWith("Unsafe_") || frame.startsWith("jni_")
                || frame.equals("Interpreter") || frame.startsWith("G1") || frame.startsWith("Compile")) {
            return "JVM (GC, JIT, runtime)";
        }
        return "native (libc, JVM)";
    }

    private void execution(List<RecordedFrame> frames) {
        samples++;
        RecordedFrame top = frames.get(0);
        self.merge(name(top), 1L, Long::sum);
        selfLayer.merge(layer(top), 1L, Long::sum);
        Set<String> layers = new HashSet<>();
        Set<String> methods = new HashSet<>();
        for (RecordedFrame f : frames) {
            String layer = layer(f);
            layers.add(layer);
            if (layer.equals("Wiregate")) {
                methods.add(name(f));
            }
        }
        layers.forEach(l -> inclusiveLayer.merge(l, 1L, Long::sum));
        methods.forEach(m -> inclusiveWiregate.merge(m, 1L, Long::sum));
    }

    static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        if (m == null) {
            return "?";
        }
        String cls = m.getType().getName();
        return cls.substring(cls.lastIndexOf('.') + 1) + "." + m.getName() + " (" + layer(cls) + ")";
    }

    static String layer(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        return m == null ? "other" : layer(m.getType().getName());
    }

    static String layer(String cls) {
        if (cls.startsWith("io.wiregate.bench")) {
            return "bench app";
        } else if (cls.startsWith("io.wiregate")) {
            return "Wiregate";
        } else if (cls.startsWith("org.glassfish.tyrus")) {
            return "Tyrus";
        } else if (cls.startsWith("org.glassfish.grizzly")) {
            return "Grizzly";
        } else if (cls.startsWith("org.eclipse.parsson") || cls.startsWith("org.eclipse.yasson")
                || cls.startsWith("jakarta.json")) {
            return "JSON-P/B";
        } else if (cls.startsWith("io.quarkus")) {
            return "Quarkus";
        } else if (cls.startsWith("io.vertx")) {
            return "Vert.x";
        } else if (cls.startsWith("io.netty")) {
            return "Netty";
        } else if (cls.startsWith("io.smallrye.mutiny")) {
            return "Mutiny";
        } else if (cls.startsWith("com.fasterxml.jackson")) {
            return "Jackson";
        } else if (cls.startsWith("org.jboss.weld")) {
            return "Weld";
        } else if (cls.startsWith("org.hibernate.validator") || cls.startsWith("jakarta.validation")) {
            return "Validation";
        } else if (cls.startsWith("io.undertow") || cls.startsWith("org.xnio") || cls.startsWith("org.jboss.threads")) {
            return "Undertow/XNIO";
        } else if (cls.startsWith("org.jboss") || cls.startsWith("org.wildfly")) {
            return "WildFly";
        } else if (cls.startsWith("com.ibm") || cls.startsWith("io.openliberty")) {
            return "Open Liberty";
        } else if (cls.startsWith("fish.payara") || cls.startsWith("com.sun.enterprise") || cls.startsWith("com.sun.web")
                || cls.startsWith("org.glassfish") || cls.startsWith("org.apache.catalina")) {
            return "Payara/GlassFish";
        } else if (cls.startsWith("java.util.concurrent")) {
            return "JDK j.u.concurrent";
        } else if (cls.startsWith("sun.nio") || cls.startsWith("java.nio")) {
            return "JDK NIO";
        } else if (cls.startsWith("java.") || cls.startsWith("javax.") || cls.startsWith("sun.")
                || cls.startsWith("jdk.") || cls.startsWith("com.sun.")) {
            return "JDK other";
        }
        return "other";
    }

    /** The {@code n} largest entries, with their share of {@code total}. */
    static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
        return counts.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .limit(n).toList();
    }

    /** A plain-text summary (also written next to the recording). */
    String text() {
        StringBuilder b = new StringBuilder();
        b.append(tool).append(" profile summary: ").append(server).append(", ").append(scenario).append('\n');
        b.append("samples: ").append(samples).append(tool.equals("JFR") ? ", native-method samples: " + nativeSamples : "").append('\n');
        section(b, "self time by layer (top frame)", selfLayer, samples, 20);
        section(b, "inclusive time by layer (layer anywhere on the stack)", inclusiveLayer, samples, 20);
        section(b, "top frames, self", self, samples, 25);
        section(b, "Wiregate methods, inclusive", inclusiveWiregate, samples, 25);
        if (!threads.isEmpty()) {
            section(b, "by thread (digits folded)", threads, samples, 12);
        }
        if (!syscalls.isEmpty()) {
            section(b, "kernel time by system call (share of all samples)", syscalls, samples, 12);
        }
        if (tool.equals("JFR")) {
            section(b, "native-method samples, top frame (threads blocked or in syscalls)", nativeTop, nativeSamples, 10);
            section(b, "allocation (sampled bytes) by first Wiregate frame -> class", allocation, allocationTotal, 15);
        }
        return b.toString();
    }

    private static void section(StringBuilder b, String title, Map<String, Long> counts, long total, int n) {
        b.append("\n").append(title).append(":\n");
        for (Map.Entry<String, Long> e : top(counts, n)) {
            b.append(String.format("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", server);
        m.put("scenario", scenario);
        m.put("samples", samples);
        return m;
    }
}
