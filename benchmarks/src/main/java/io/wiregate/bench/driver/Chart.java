package io.wiregate.bench.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The results chart, as an SVG written by hand (no plotting library on the machine). */
final class Chart {

    private static final int WIDTH = 1100;
    private static final int LABEL_W = 440;
    private static final int BAR_W = WIDTH - LABEL_W - 110;
    private static final String MET = "#3a9a4a";
    private static final String MISSED = "#c83a3a";
    private static final String INFO = "#8d99ae";
    /** Bar colours of the server kinds, by id; others take {@link #OTHER} in turn. */
    private static final java.util.Map<String, String> COLOURS = java.util.Map.of(
            "raw", "#7f8c9a", "raw-verbatim", "#b8c2cc", "wiregate", "#e07b24", "quarkus", "#4169e1");
    private static final String[] OTHER = {"#9b59b6", "#16a085", "#c0392b", "#2c3e50"};

    private Chart() {
    }

    private record Row(String label, double value, double limit, Boolean met, String text) {
    }

    /** One figure of one scenario, a bar per server. */
    private record Group(String label, List<Result> results, String metric, String unit) {
    }

    static String svg(Report report, List<Result> results, List<Report.Target> targets) {
        StringBuilder body = new StringBuilder();
        int y = 40;
        List<String> servers = report.servers();
        java.util.Map<String, String> colours = new java.util.LinkedHashMap<>();
        int other = 0;
        for (String server : servers) {
            colours.put(server, COLOURS.getOrDefault(server, OTHER[other++ % OTHER.length]));
        }

        // 1. the ratio targets and the Wiregate ÷ raw ratios of latency and CPU
        List<Row> rows = new ArrayList<>();
        for (Report.Target t : targets) {
            if (t.type() == Report.Rule.RATIO) {
                rows.add(new Row(t.scenario() + ": " + t.figure() + ", " + report.label(t.server()) + " ÷ " + report.label(t.reference()),
                        t.value(), t.limit(), t.met(), fmt(t.value()) + "x (target " + t.rule() + ")"));
            }
        }
        for (String s : scenarios(results)) {
            if (s.startsWith("idle")) {
                continue;
            }
            for (String w : report.wiregateServers()) {
                Result wg = report.find(s, w);
                Result raw = report.find(s, ServerProcess.Kind.RAW.id);
                if (wg == null || raw == null || wg.failed() || raw.failed()) {
                    continue;
                }
                String who = report.label(w) + " ÷ " + report.label(raw.server);
                double p99 = wg.get("p99Us") / raw.get("p99Us");
                rows.add(new Row(s + ": p99 latency, " + who, p99, Double.NaN, null, fmt(p99) + "x"));
                String cpu = s.startsWith("echo") ? "serverCpuUsPerRoundTrip" : "serverCpuUsPerDelivery";
                double c = wg.get(cpu) / raw.get(cpu);
                rows.add(new Row(s + ": server CPU per " + (s.startsWith("echo") ? "round trip" : "delivery") + ", " + who,
                        c, Double.NaN, null, fmt(c) + "x"));
            }
        }
        double scale = 2;
        for (Row r : rows) {
            if (Double.isFinite(r.value)) { // a ratio to a raw run that failed (0) is infinite
                scale = Math.max(scale, Math.ceil(r.value));
            }
        }
        y = title(body, y, "Wiregate ÷ the others, same run (dashed: 1x; red tick: the issue's target; latency, CPU: lower is better)");
        int top = y;
        for (Row r : rows) {
            text(body, LABEL_W - 8, y + 13, r.label, "end", 11);
            double v = Double.isFinite(r.value) ? r.value : Double.isNaN(r.value) ? 0 : scale;
            String color = r.met == null ? INFO : r.met ? MET : MISSED;
            rect(body, LABEL_W, y + 2, BAR_W * v / scale, 14, color);
            text(body, LABEL_W + BAR_W * v / scale + 4, y + 13, r.text, "start", 11);
            if (!Double.isNaN(r.limit)) {
                double x = LABEL_W + BAR_W * r.limit / scale;
                body.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='%s' stroke-width='2'/>%n",
                        x, y, x, y + 18, MISSED));
            }
            y += 20;
        }
        double one = LABEL_W + BAR_W / scale;
        body.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#333' stroke-dasharray='4,3'/>%n",
                one, top - 4, one, y));
        for (int k = 0; k <= scale; k++) {
            text(body, LABEL_W + BAR_W * k / scale, y + 12, k + "x", "middle", 10);
        }
        y += 30;

        // 2. throughput, 3. latency, 4. CPU, 5. memory: a bar per server
        List<Group> thr = new ArrayList<>();
        List<Group> lat = new ArrayList<>();
        List<Group> cpu = new ArrayList<>();
        List<Group> mem = new ArrayList<>();
        for (String s : scenarios(results)) {
            List<Result> rs = new ArrayList<>();
            for (String server : servers) {
                Result r = report.find(s, server);
                if (r != null && !r.failed()) {
                    rs.add(r);
                }
            }
            if (rs.isEmpty()) {
                continue;
            }
            if (s.startsWith("idle")) {
                mem.add(new Group(s + ": live heap / connection", rs, "heapPerConnBytes", "B"));
                mem.add(new Group(s + ": RSS / connection", rs, "rssPerConnBytes", "B"));
            } else if (s.startsWith("echo")) {
                thr.add(new Group(s + ": round trips/s", rs, "roundTripsPerSec", ""));
                lat.add(new Group(s + ": p99 µs", rs, "p99Us", "µs"));
                cpu.add(new Group(s + ": µs per round trip", rs, "serverCpuUsPerRoundTrip", "µs"));
            } else {
                thr.add(new Group(s + ": deliveries/s", rs, "deliveriesPerSec", ""));
                lat.add(new Group(s + ": p99 µs", rs, "p99Us", "µs"));
                cpu.add(new Group(s + ": µs per delivery", rs, "serverCpuUsPerDelivery", "µs"));
            }
        }
        y = groups(body, y, "Throughput (each group on its own scale)", thr, colours);
        y = groups(body, y, "Latency p99 (each group on its own scale)", lat, colours);
        y = groups(body, y, "Server CPU (each group on its own scale)", cpu, colours);
        y = groups(body, y, "Memory per idle connection", mem, colours);

        // legend
        double x = LABEL_W;
        for (java.util.Map.Entry<String, String> c : colours.entrySet()) {
            rect(body, x, y, 14, 12, c.getValue());
            text(body, x + 20, y + 11, report.label(c.getKey()), "start", 12);
            x += 40 + 7 * report.label(c.getKey()).length();
        }
        y += 30;

        String title = "Wiregate vs " + String.join(", ", servers.stream().filter(sv -> !Report.isWiregate(sv)).map(report::label).toList());
        return "<svg xmlns='http://www.w3.org/2000/svg' width='" + WIDTH + "' height='" + y + "' viewBox='0 0 " + WIDTH + " " + y
                + "' font-family='DejaVu Sans, Arial, sans-serif'>\n"
                + "<rect width='100%' height='100%' fill='white'/>\n"
                + "<text x='" + WIDTH / 2 + "' y='22' text-anchor='middle' font-size='16' font-weight='bold'>"
                + esc(title) + " (" + esc(report.script()) + ")</text>\n"
                + body + "</svg>\n";
    }

    private static int groups(StringBuilder body, int y, String title, List<Group> groups, java.util.Map<String, String> colours) {
        if (groups.isEmpty()) {
            return y;
        }
        y = title(body, y, title);
        for (Group g : groups) {
            double max = 0;
            for (Result r : g.results) {
                max = Math.max(max, nn(r.get(g.metric)));
            }
            if (!(max > 0)) {
                max = 1;
            }
            int h = 12 * g.results.size();
            text(body, LABEL_W - 8, y + h / 2.0 + 5, g.label, "end", 12);
            for (Result r : g.results) {
                double v = r.get(g.metric);
                double w = BAR_W * 0.85 * nn(v) / max;
                rect(body, LABEL_W, y + 2, w, 10, colours.getOrDefault(r.server, INFO));
                text(body, LABEL_W + w + 4, y + 11, num(v) + (g.unit.isEmpty() ? "" : " " + g.unit), "start", 10);
                y += 12;
            }
            y += 8;
        }
        return y + 10;
    }

    private static double nn(double v) {
        return Double.isNaN(v) || v < 0 ? 0 : v;
    }

    private static List<String> scenarios(List<Result> results) {
        List<String> s = new ArrayList<>();
        for (Result r : results) {
            if (!s.contains(r.scenario)) {
                s.add(r.scenario);
            }
        }
        return s;
    }

    private static int title(StringBuilder body, int y, String title) {
        body.append("<text x='16' y='").append(y + 12).append("' font-size='13' font-weight='bold'>").append(esc(title)).append("</text>\n");
        return y + 22;
    }

    private static void rect(StringBuilder body, double x, double y, double w, double h, String color) {
        body.append(String.format(Locale.ROOT, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'/>%n", x, y, Math.max(0, w), h, color));
    }

    private static void text(StringBuilder body, double x, double y, String s, String anchor, int size) {
        body.append(String.format(Locale.ROOT, "<text x='%.1f' y='%.1f' text-anchor='%s' font-size='%d'>%s</text>%n", x, y, anchor, size, esc(s)));
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num(double v) {
        return Report.num(v);
    }
}
