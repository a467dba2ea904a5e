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
 * Runs the browser and Node client's own tests ({@code clients/js/test}, {@code node --test}) against the packaged
 * conformance jar, which they start and restart as their server. The client has no dependencies, so nothing is
 * installed; Node 20 gets its WebSocket from {@code --experimental-websocket}.
 */
class WiregateJsIT {

    private static final Path LOG = ROOT.resolve("examples/conformance/target/wiregate-js/test.log");

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theJavaScriptClientsTestsPassAgainstTheStandaloneRuntime() throws Exception {
        Path client = ROOT.resolve("clients/js");
        assertThat(client.resolve("wiregate.js")).as("the JavaScript client of the repository").exists();
        int exit = NodeRuns.run(client,
                List.of("node", "--experimental-websocket", "--test", "--test-concurrency=1", "test/wiregate.test.mjs"),
                Map.of("WG_CONFORMANCE_JAR", NodeRuns.conformanceJar().toString()), 5, LOG);
        assertThat(exit).as("the exit code of the client's tests; their failures:%n%s", NodeRuns.report(LOG)).isZero();
    }
}
