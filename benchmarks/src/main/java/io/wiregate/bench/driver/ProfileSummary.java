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
 * Where a server's time goes, from a JFR recording: the execution samples ({@code jdk.ExecutionSample}) by top
 * frame (self), by layer (Wiregate, Tyrus, Grizzly, JSON, JDK...), and the Wiregate methods by inclusive share;
 * the allocation samples by the first Wiregate (or else the top) frame.
 */
final class JfrSummary {

    final String server;
    final String scenario;
    long samples;
    long nativeSamples;
    final Map<String, Long> self = new HashMap<>();
    final Map<String, Long> selfLayer = new HashMap<>();
    final Map<String, Long> inclusiveLayer = new HashMap<>();
    final Map<String, Long> inclusiveWiregate = new HashMap<>();
    final Map<String, Long> nativeTop = new HashMap<>();
    final Map<String, Long> allocation = new HashMap<>();
    long allocationTotal;

    JfrSummary(String server, String scenario) {
        this.server = server;
        this.scenario = scenario;
    }

    static JfrSummary read(Path file, String server, String scenario) throws IOException {
        JfrSummary s = new JfrSummary(server, scenario);
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
        } else if (cls.startsWith("org.jboss.weld")) {
            return "Weld";
        } else if (cls.startsWith("org.hibernate.validator") || cls.startsWith("jakarta.validation")) {
            return "Validation";
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
        b.append("JFR summary: ").append(server).append(", ").append(scenario).append('\n');
        b.append("execution samples: ").append(samples).append(", native-method samples: ").append(nativeSamples).append('\n');
        section(b, "self time by layer (top frame)", selfLayer, samples, 20);
        section(b, "inclusive time by layer (layer anywhere on the stack)", inclusiveLayer, samples, 20);
        section(b, "top frames, self", self, samples, 25);
        section(b, "Wiregate methods, inclusive", inclusiveWiregate, samples, 25);
        section(b, "native-method samples, top frame (threads blocked or in syscalls)", nativeTop, nativeSamples, 10);
        section(b, "allocation (sampled bytes) by first Wiregate frame -> class", allocation, allocationTotal, 15);
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
