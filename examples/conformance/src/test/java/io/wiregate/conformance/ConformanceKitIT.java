package io.wiregate.conformance;

import static io.wiregate.conformance.NodeRuns.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the repository's protocol conformance kit ({@code tck/}, black-box tests in Node) against the packaged
 * conformance jar, as a client author would: every group the standalone runtime supports. The kit is copied to
 * {@code target/tck} and its two pinned dependencies installed there from its lockfile ({@code npm ci}), so the
 * source tree stays clean. Needs Node 20+ and the npm registry; the cluster group also needs {@code redis-server}.
 */
class ConformanceKitIT {

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void theKitPassesAgainstTheStandaloneRuntime() throws Exception {
        Path kit = ROOT.resolve("tck");
        assertThat(kit.resolve("conformance.test.mjs")).as("the protocol kit of the repository").exists();
        assertThat(kit.resolve("package-lock.json")).as("the kit's lockfile").exists();
        Path jar = NodeRuns.conformanceJar();

        Path work = ROOT.resolve("examples/conformance/target/tck");
        NodeRuns.copy(kit, work);
        NodeRuns.run(work, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 5, work.resolve("logs/npm-ci.log"));
        String groups = System.getProperty("wiregate.tck.groups",
                "echo,maxsize,secure,timeouts,pings,guarded,rooms,shutdown,slow,cluster");
        int exit = NodeRuns.run(work, List.of("node", "--test", "--test-concurrency=1", "conformance.test.mjs"),
                Map.of("WG_SERVER", "java {opts} -jar " + jar, "WG_GROUPS", groups,
                        "WG_LOG_DIR", work.resolve("logs").toString()), 12, work.resolve("logs/kit.log"));
        assertThat(exit).as("the kit's exit code; its failures:%n%s%nserver logs in %s", NodeRuns.report(work.resolve("logs/kit.log")),
                work.resolve("logs")).isZero();
    }
}
