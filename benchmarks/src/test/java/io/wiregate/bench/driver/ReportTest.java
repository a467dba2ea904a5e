package io.wiregate.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir
    Path home;

    @AfterEach
    void clear() {
        System.clearProperty("bench.home");
        System.clearProperty("bench.server");
    }

    @Test
    void eachPlatformRewritesItsOwnBlockOnly() throws Exception {
        Path md = home.resolve("RESULTS.md");
        Files.writeString(md, "# Results\n\nhand-written before\n\n" + Report.BEGIN + "\nold standalone\n" + Report.END
                + "\n\nhand-written after\n");
        Platform wildfly = Platform.of("wildfly").get(0);
        Platform payara = Platform.of("payara").get(0);

        write(wildfly, "idle-1000", 20_000);
        write(payara, "idle-1000", 30_000);
        write(wildfly, "idle-1000", 21_000);
        String text = Files.readString(md);

        assertThat(text).contains("hand-written before", "old standalone", "hand-written after");
        assertThat(count(text, wildfly.beginMarker())).isEqualTo(1);
        assertThat(count(text, payara.beginMarker())).isEqualTo(1);
        assertThat(text).contains("21,000 B").doesNotContain("20,000 B").contains("30,000 B");
        assertThat(text).contains("### WildFly").contains("#### Targets (Wiregate against raw Undertow in the same run)");
        assertThat(home.resolve("results/wildfly/results.json")).exists();
        assertThat(home.resolve("results/results.json")).doesNotExist();

        write(Platform.STANDALONE, "idle-1000", 16_000);
        text = Files.readString(md);
        assertThat(text).doesNotContain("old standalone").contains("16,000 B").contains("21,000 B").contains("30,000 B")
                .contains("hand-written after");
        assertThat(text.indexOf("16,000 B")).isLessThan(text.indexOf("hand-written after"));
    }

    @Test
    void applicationServersHaveTheirOwnTargets() {
        assertThat(Platform.of(null)).containsExactly(Platform.STANDALONE);
        assertThat(Platform.of("all")).extracting(Platform::id).containsExactly("wildfly", "payara", "liberty");
        assertThat(Platform.of("liberty").get(0).fanoutTarget()).isEqualTo(1.0);
        assertThat(Platform.of("liberty").get(0).cpuTarget()).isNaN();
        assertThat(Platform.STANDALONE.fanoutTarget()).isEqualTo(1.5);
    }

    @Test
    void serverKindsByPlatform() {
        assertThat(Platform.STANDALONE.defaultServers()).isEqualTo("raw,raw-verbatim,wiregate,raw-netty,wiregate-netty,quarkus,raw-vertx");
        assertThat(Platform.of("wildfly").get(0).defaultServers()).isEqualTo("raw,wiregate");
        assertThat(ServerProcess.Kind.of("raw-verbatim")).isSameAs(ServerProcess.Kind.RAW_VERBATIM);
        assertThat(ServerProcess.Kind.of("raw-vertx")).isSameAs(ServerProcess.Kind.RAW_VERTX);
        assertThat(Platform.STANDALONE.label("raw-verbatim")).isEqualTo("raw Tyrus verbatim");
        assertThat(Platform.STANDALONE.label("raw")).isEqualTo("raw Tyrus");
        assertThat(Platform.of("payara").get(0).label("raw")).isEqualTo("raw Tyrus (Payara)");
    }

    @Test
    void mediansOfRoundsWithSpreadsAndTheTargetsAgainstQuarkusAndTheFloor() throws Exception {
        System.setProperty("bench.home", home.toString());
        Config cfg = Config.fromSystemProperties();
        // three rounds of echo: round trips/s and CPU µs per round trip per server
        double[][] raw = {{26_000, 20}, {27_000, 21}, {25_000, 22}};
        double[][] verbatim = {{30_000, 14}, {31_000, 15}, {29_000, 16}};
        double[][] wiregate = {{31_000, 18}, {33_000, 19}, {29_000, 22}};
        double[][] quarkus = {{30_000, 17}, {31_000, 17}, {34_000, 18}};
        List<Result> results = List.of(echo("raw", raw), echo("raw-verbatim", verbatim), echo("wiregate", wiregate),
                echo("quarkus", quarkus));
        Result wg = results.get(2);
        assertThat(wg.runCount()).isEqualTo(3);
        assertThat(wg.get("roundTripsPerSec")).isEqualTo(31_000);
        assertThat(wg.spread("roundTripsPerSec")).containsExactly(29_000, 33_000);
        assertThat(wg.get("lost")).isEqualTo(3); // one lost in each run: added up, not a median

        Report report = new Report(cfg, Platform.STANDALONE, new Environment(Map.of("date", "today")), results);
        Report.Target vsRaw = target(report, "wiregate", "raw");
        assertThat(vsRaw.value()).isCloseTo(31_000 / 26_000.0, within(1e-9));
        assertThat(vsRaw.rule()).isEqualTo(">= 0.90x");
        Report.Target vsQuarkus = target(report, "wiregate", "quarkus");
        assertThat(vsQuarkus.issue()).isEqualTo("14");
        assertThat(vsQuarkus.value()).isCloseTo(31_000 / 31_000.0, within(1e-9));
        assertThat(vsQuarkus.met()).isTrue();
        // per-round ratios: 31/30, 33/31, 29/34
        assertThat(vsQuarkus.spread()[0]).isCloseTo(29 / 34.0, within(1e-9));
        assertThat(vsQuarkus.spread()[1]).isCloseTo(33 / 31.0, within(1e-9));
        Report.Target pipeline = target(report, "wiregate", "raw-verbatim");
        assertThat(pipeline.type()).isEqualTo(Report.Rule.DIFFERENCE);
        assertThat(pipeline.value()).isCloseTo(19 - 15, within(1e-9));
        assertThat(pipeline.met()).isTrue();
        assertThat(report.targets()).filteredOn(t -> t.metric().equals("lost")).extracting(Report.Target::server)
                .containsExactly("raw", "raw-verbatim", "wiregate", "quarkus");
        assertThat(report.targets()).filteredOn(t -> t.metric().equals("lost")).allMatch(t -> !t.met());
        assertThat(report.missedServers("echo-100")).contains("raw", "quarkus");

        report.writeAll();
        String text = Files.readString(home.resolve("RESULTS.md"));
        assertThat(text).contains("31,000 (29,000–33,000)", "*Wiregate ÷ Quarkus*", "Pipeline cost per round trip (server CPU",
                "Wiregate +4.0 µs (+4.0–+6.0) above raw Tyrus verbatim's 15 µs", "| 1.00x (0.85x–1.06x) | >= 1.00x | **met** |", "Quarkus WebSockets Next");
        assertThat(Files.readString(home.resolve("results/results.csv"))).contains("echo-100,wiregate,median,roundTripsPerSec,31000",
                "echo-100,wiregate,2,roundTripsPerSec,33000");
    }

    private static Result echo(String server, double[][] rounds) {
        List<Result> runs = new java.util.ArrayList<>();
        for (int i = 0; i < rounds.length; i++) {
            runs.add(new Result("echo-100", "echo", server).put("roundTripsPerSec", rounds[i][0])
                    .put("serverCpuUsPerRoundTrip", rounds[i][1]).put("lost", 1).put("repetition", i + 1));
        }
        return Result.median(runs);
    }

    private static Report.Target target(Report report, String server, String reference) {
        return report.targets().stream().filter(t -> t.server().equals(server) && t.reference().equals(reference))
                .findFirst().orElseThrow();
    }

    private void write(Platform platform, String scenario, double wiregateBytes) throws Exception {
        System.setProperty("bench.home", home.toString());
        Config cfg = Config.fromSystemProperties();
        Result raw = new Result(scenario, "idle", "raw").put("heapPerConnBytes", 15_000);
        Result wg = new Result(scenario, "idle", "wiregate").put("heapPerConnBytes", wiregateBytes);
        Report report = new Report(cfg, platform, new Environment(Map.of("date", "today")), List.of(raw, wg));
        report.writeAll();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
