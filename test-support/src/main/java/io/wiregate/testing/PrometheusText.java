package io.wiregate.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text scrape (format 0.0.4), for tests that scrape metrics. */
public final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private PrometheusText() {
    }

    /**
     * The value of the one sample {@code name} whose labels include {@code labels} (it may have more).
     *
     * @throws AssertionError if there is none, or several
     */
    public static double value(String scrape, String name, Map<String, String> labels) {
        Double found = null;
        for (String line : scrape.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> have = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(3) == null ? "" : m.group(3));
            while (l.find()) {
                have.put(l.group(1), l.group(2));
            }
            if (have.entrySet().containsAll(labels.entrySet())) {
                if (found != null) {
                    throw new AssertionError("several samples of " + name + " " + labels + " in:\n" + scrape);
                }
                found = Double.parseDouble(m.group(4));
            }
        }
        if (found == null) {
            throw new AssertionError("no sample of " + name + " " + labels + " in:\n" + scrape);
        }
        return found;
    }

    /** {@code labels} and one more. */
    public static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> all = new HashMap<>(labels);
        all.put(key, value);
        return all;
    }
}
