package io.wiregate.bench.driver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of one scenario against one server. */
final class Result {

    final String scenario;
    final String kind;
    final String server;
    final Map<String, Double> metrics = new LinkedHashMap<>();
    final Map<String, String> notes = new LinkedHashMap<>();
    /** For idle: the classes whose live bytes grew most, per connection. */
    final List<String[]> topClasses = new ArrayList<>();

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

    @Override
    public String toString() {
        return scenario + " [" + server + "] " + metrics + (notes.isEmpty() ? "" : " " + notes);
    }
}
