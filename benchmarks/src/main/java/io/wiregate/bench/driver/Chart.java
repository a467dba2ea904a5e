package io.wiregate.bench.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The results chart, as an SVG written by hand (no plotting library on the machine). */
final class Chart {

    private static final int WIDTH = 1000;
    private static final int LABEL_W = 370;
    private static final int BAR_W = WIDTH - LABEL_W - 110;
    private static final String RAW = "#7f8c9a";
    private static final String WG = "#e07b24";
    private static final String MET = "#3a9a4a";
    private static final String MISSED = "#c83a3a";
    private static final String INFO = "#8d99ae";

    private Chart() {
    }

    private record Row(String label, double value, double limit, Boolean met, String text) {
    }

    private record Pair(String label, double raw, double wiregate, String unit) {
    }

    static String svg(Report report, List<Result> results, List<Report.Target> targets) {
        StringBuilder body = new StringBuilder();
        int y = 40;

        // 1. ratios
        List<Row> rows = new ArrayList<>();
        for (Report.Target t : targets) {
            if (t.figure().contains("÷")) {
                rows.add(new Row(t.scenario() + ": " + t.figure().replace(", Wiregate ÷ raw", ""), t.value(), t.limit(), t.met(),
                        fmt(t.value()) + "x (target " + t.rule() + ")"));
            }
        }
        for (String s : scenarios(results)) {
            Result raw = report.find(s, "raw");
            Result wg = report.find(s, "wiregate");
            if (raw == null || wg == null || raw.metrics.isEmpty() || wg.metrics.isEmpty() || s.startsWith("idle")) {
                continue;
            }
            double p99 = wg.get("p99Us") / raw.get("p99Us");
            rows.add(new Row(s + ": p99 latency", p99, Double.NaN, null, fmt(p99) + "x"));
            String cpu = s.startsWith("echo") ? "serverCpuUsPerRoundTrip" : "serverCpuUsPerDelivery";
            double c = wg.get(cpu) / raw.get(cpu);
            rows.add(new Row(s + ": server CPU per " + (s.startsWith("echo") ? "round trip" : "delivery"),
                    c, Double.NaN, null, fmt(c) + "x"));
        }
        double scale = 2;
        for (Row r : rows) {
            if (Double.isFinite(r.value)) { // a ratio to a raw run that failed (0) is infinite
                scale = Math.max(scale, Math.ceil(r.value));
            }
        }
        y = title(body, y, "Wiregate ÷ " + report.rawLabel() + ", same run (dashed: 1x; red tick: the issue's target; latency, CPU: lower is better)");
        int top = y;
        for (Row r : rows) {
            text(body, LABEL_W - 8, y + 13, r.label, "end", 12);
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

        // 2. throughput, 3. latency, 4. CPU, 5. memory
        List<Pair> thr = new ArrayList<>();
        List<Pair> lat = new ArrayList<>();
        List<Pair> cpu = new ArrayList<>();
        List<Pair> mem = new ArrayList<>();
        for (String s : scenarios(results)) {
            Result raw = report.find(s, "raw");
            Result wg = report.find(s, "wiregate");
            if (raw == null || wg == null || raw.metrics.isEmpty() || wg.metrics.isEmpty()) {
                continue;
            }
            if (s.startsWith("idle")) {
                mem.add(new Pair(s + ": live heap / connection", raw.get("heapPerConnBytes"), wg.get("heapPerConnBytes"), "B"));
                mem.add(new Pair(s + ": RSS / connection", raw.get("rssPerConnBytes"), wg.get("rssPerConnBytes"), "B"));
            } else if (s.startsWith("echo")) {
                thr.add(new Pair(s + ": round trips/s", raw.get("roundTripsPerSec"), wg.get("roundTripsPerSec"), ""));
                lat.add(new Pair(s + ": p99 µs", raw.get("p99Us"), wg.get("p99Us"), "µs"));
                cpu.add(new Pair(s + ": µs per round trip", raw.get("serverCpuUsPerRoundTrip"), wg.get("serverCpuUsPerRoundTrip"), "µs"));
            } else {
                thr.add(new Pair(s + ": deliveries/s", raw.get("deliveriesPerSec"), wg.get("deliveriesPerSec"), ""));
                lat.add(new Pair(s + ": p99 µs", raw.get("p99Us"), wg.get("p99Us"), "µs"));
                cpu.add(new Pair(s + ": µs per delivery", raw.get("serverCpuUsPerDelivery"), wg.get("serverCpuUsPerDelivery"), "µs"));
            }
        }
        y = pairs(body, y, "Throughput (each pair on its own scale)", thr, false);
        y = pairs(body, y, "Latency p99 (each pair on its own scale)", lat, false);
        y = pairs(body, y, "Server CPU (each pair on its own scale)", cpu, false);
        y = pairs(body, y, "Memory per idle connection", mem, false);

        // legend
        rect(body, LABEL_W, y, 14, 12, RAW);
        text(body, LABEL_W + 20, y + 11, report.rawLabel(), "start", 12);
        rect(body, LABEL_W + 170, y, 14, 12, WG);
        text(body, LABEL_W + 190, y + 11, "Wiregate", "start", 12);
        y += 30;

        return "<svg xmlns='http://www.w3.org/2000/svg' width='" + WIDTH + "' height='" + y + "' viewBox='0 0 " + WIDTH + " " + y
                + "' font-family='DejaVu Sans, Arial, sans-serif'>\n"
                + "<rect width='100%' height='100%' fill='white'/>\n"
                + "<text x='" + WIDTH / 2 + "' y='22' text-anchor='middle' font-size='16' font-weight='bold'>Wiregate vs "
                + esc(report.rawLabel()) + " (" + esc(report.script()) + ")</text>\n"
                + body + "</svg>\n";
    }

    private static int pairs(StringBuilder body, int y, String title, List<Pair> pairs, boolean unused) {
        if (pairs.isEmpty()) {
            return y;
        }
        y = title(body, y, title);
        for (Pair p : pairs) {
            double max = Math.max(p.raw, p.wiregate);
            if (!(max > 0)) {
                max = 1;
            }
            text(body, LABEL_W - 8, y + 17, p.label, "end", 12);
            rect(body, LABEL_W, y + 2, BAR_W * 0.85 * nn(p.raw) / max, 11, RAW);
            text(body, LABEL_W + BAR_W * 0.85 * nn(p.raw) / max + 4, y + 11, num(p.raw) + (p.unit.isEmpty() ? "" : " " + p.unit), "start", 10);
            rect(body, LABEL_W, y + 14, BAR_W * 0.85 * nn(p.wiregate) / max, 11, WG);
            text(body, LABEL_W + BAR_W * 0.85 * nn(p.wiregate) / max + 4, y + 23,
                    num(p.wiregate) + (p.unit.isEmpty() ? "" : " " + p.unit), "start", 10);
            y += 30;
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
