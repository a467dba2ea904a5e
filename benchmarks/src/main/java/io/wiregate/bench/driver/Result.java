package io.wiregate.bench.driver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures of one scenario against one server: one run, or the median of several ({@link #median}), which keeps
 * the runs it summarizes for their spread.
 */
final class Result {

    /** Counts that must be zero in every run: summed over the runs rather than a median. */
    static final Set<String> SUMMED = Set.of("lost", "duplicates", "outOfOrder", "closed", "unexpected");

    final String scenario;
    final String kind;
    final String server;
    final Map<String, Double> metrics = new LinkedHashMap<>();
    final Map<String, String> notes = new LinkedHashMap<>();
    /** For idle: the classes whose live bytes grew most, per connection. */
    final List<String[]> topClasses = new ArrayList<>();
    /** The runs a median summarizes (empty for a single run), in the order they ran. */
    final List<Result> runs = new ArrayList<>();

    Result(String scenario, String kind, String server) {
        this.scenario = scenario;
        this.kind = kind;
        this.server = server;
    }

    Result put(String metric, double value) {
        metrics.put(metric, value);
        return this;
    }

    Result note(String key, String value) {
        notes.put(key, value);
        return this;
    }

    double get(String metric) {
        Double v = metrics.get(metric);
        return v == null ? Double.NaN : v;
    }

    /** How many runs this result stands for. */
    int runCount() {
        return runs.isEmpty() ? 1 : runs.size();
    }

    /** Whether this run (or every run of a median) failed to give figures. */
    boolean failed() {
        return runs.isEmpty() ? notes.containsKey("error") || metrics.isEmpty() : validRuns().isEmpty();
    }

    /** The runs with figures: itself for a single run. */
    List<Result> validRuns() {
        if (runs.isEmpty()) {
            return failed() ? List.of() : List.of(this);
        }
        return runs.stream().filter(r -> !r.failed()).toList();
    }

    /** {min, max} of {@code metric} over the runs with figures (NaN, NaN when none has it). */
    double[] spread(String metric) {
        double min = Double.NaN;
        double max = Double.NaN;
        for (Result r : validRuns()) {
            double v = r.get(metric);
            if (!Double.isNaN(v)) {
                min = Double.isNaN(min) ? v : Math.min(min, v);
                max = Double.isNaN(max) ? v : Math.max(max, v);
            }
        }
        return new double[] {min, max};
    }

    /** The main figure of a scenario kind, the one that picks a median's representative run. */
    static String primaryMetric(String kind) {
        return kind.startsWith("fanout") ? "deliveriesPerSec" : kind.equals("echo") ? "roundTripsPerSec" : "heapPerConnBytes";
    }

    /**
     * The median of several runs of one scenario against one server: each metric is the median over the runs that
     * gave figures, except the counts of {@link #SUMMED}, added up over them; the per-thread CPU breakdowns and the
     * class growth are the representative run's (the one whose main figure is the median); any other note of any run
     * is kept, prefixed with its run's number. A single run is returned as it is.
     */
    static Result median(List<Result> runs) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        Result first = runs.get(0);
        Result m = new Result(first.scenario, first.kind, first.server);
        m.runs.addAll(runs);
        List<Result> valid = runs.stream().filter(r -> !r.failed()).toList();
        Set<String> names = new LinkedHashSet<>();
        valid.forEach(r -> names.addAll(r.metrics.keySet()));
        names.remove("repetition");
        for (String name : names) {
            double[] values = valid.stream().mapToDouble(r -> r.get(name)).filter(v -> !Double.isNaN(v)).toArray();
            if (values.length == 0) {
                continue;
            }
            m.put(name, SUMMED.contains(name) ? Arrays.stream(values).sum() : median(values));
        }
        Result representative = representative(valid, primaryMetric(first.kind));
        for (int i = 0; i < runs.size(); i++) {
            Result r = runs.get(i);
            for (Map.Entry<String, String> n : r.notes.entrySet()) {
                if (n.getKey().endsWith("Threads")) {
                    if (r == representative) {
                        m.note(n.getKey(), n.getValue());
                    }
                } else {
                    String value = "run " + (i + 1) + ": " + n.getValue();
                    m.notes.merge(n.getKey(), value, (a, b) -> a + "; " + b);
                }
            }
        }
        if (representative != null) {
            m.topClasses.addAll(representative.topClasses);
        }
        return m;
    }

    /** The run whose {@code metric} is the median (the lower middle one of an even count), or null. */
    static Result representative(List<Result> runs, String metric) {
        List<Result> with = runs.stream().filter(r -> !Double.isNaN(r.get(metric)))
                .sorted((a, b) -> Double.compare(a.get(metric), b.get(metric))).toList();
        if (with.isEmpty()) {
            return runs.isEmpty() ? null : runs.get(0);
        }
        return with.get((with.size() - 1) / 2);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    @Override
    public String toString() {
        return scenario + " [" + server + "] " + metrics + (notes.isEmpty() ? "" : " " + notes);
    }
}
