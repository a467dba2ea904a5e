package io.wiregate.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.testing.NodeTests;

/**
 * Runs the repository's protocol conformance kit ({@code tck/}, black-box tests in Node) against the packaged
 * conformance jar, as a client author would: every group the standalone runtime supports. The kit is copied to
 * {@code target/tck} and its two pinned dependencies installed there from its lockfile ({@code npm ci}), so the
 * source tree stays clean. It runs twice: on the Tyrus runtime and on the Netty runtime, the same jar started with
 * {@code -Dwiregate.runtime}. Needs Node 20+ and the npm registry; the cluster group also needs {@code redis-server}.
 */
class ConformanceKitIT {

    /** The repository's root. */
    static final Path ROOT = Path.of(System.getProperty("wiregate.root", "../..")).toAbsolutePath().normalize();

    /** Whether this JVM copied the kit to its work folder and installed its packages. */
    private static boolean prepared;

    /** The packaged conformance jar, which the Node suites start as their server. */
    static Path conformanceJar() {
        Path jar = ROOT.resolve("examples/conformance/target/conformance.jar");
        assertThat(jar).as("the packaged conformance jar").exists();
        return jar;
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void theKitPassesAgainstTheStandaloneRuntimeOnTyrus() throws Exception {
        runKit("tyrus", "echo,maxsize,secure,timeouts,pings,guarded,rooms,shutdown,slow,cluster,recovery,recovery-cluster,refresh,presence,presence-cluster,sealed");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void theKitPassesAgainstTheStandaloneRuntimeOnNetty() throws Exception {
        runKit("netty", "echo,maxsize,secure,timeouts,pings,guarded,rooms,shutdown,slow,cluster,recovery,recovery-cluster,refresh,presence,presence-cluster,sealed");
    }

    /** Runs every group of the kit against the conformance jar started on {@code runtime} ({@code wiregate.runtime}). */
    private static void runKit(String runtime, String defaultGroups) throws Exception {
        Path kit = ROOT.resolve("tck");
        assertThat(kit.resolve("conformance.test.mjs")).as("the protocol kit of the repository").exists();
        assertThat(kit.resolve("package-lock.json")).as("the kit's lockfile").exists();
        Path jar = conformanceJar();

        Path work = ROOT.resolve("examples/conformance/target/tck");
        synchronized (ConformanceKitIT.class) {
            if (!prepared) { // once for both runtimes
                NodeTests.copyProject(kit, work);
                NodeTests.runOrFail(work, List.of("npm", "ci", "--no-audit", "--no-fund"), 5, work.resolve("logs/npm-ci.log"));
                prepared = true;
            }
        }
        String groups = System.getProperty("wiregate.tck.groups", defaultGroups);
        Path logs = work.resolve("logs-" + runtime);
        Path log = logs.resolve("kit.log");
        int exit = NodeTests.run(work, List.of("node", "--test", "--test-concurrency=1", "conformance.test.mjs"),
                Map.of("WG_SERVER", "java {opts} -Dwiregate.runtime=" + runtime + " -jar " + jar, "WG_GROUPS", groups,
                        "WG_LOG_DIR", logs.toString()), 12, log);
        assertThat(exit).as("the kit's exit code on %s; its failures:%n%s%nserver logs in %s", runtime,
                NodeTests.report(log), logs).isZero();
    }
}
