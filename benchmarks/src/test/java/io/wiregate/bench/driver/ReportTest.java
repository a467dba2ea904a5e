package io.wiregate.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

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
