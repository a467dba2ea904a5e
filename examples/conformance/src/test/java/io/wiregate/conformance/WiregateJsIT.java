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
 * Runs the browser and Node client's own tests ({@code clients/js/test}, {@code node --test}) against the packaged
 * conformance jar, which they start and restart as their server. The client has no dependencies, so nothing is
 * installed; Node 20 gets its WebSocket from {@code --experimental-websocket}.
 */
class WiregateJsIT {

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theJavaScriptClientsTestsPassAgainstTheStandaloneRuntime() throws Exception {
        Path client = ConformanceKitIT.ROOT.resolve("clients/js");
        assertThat(client.resolve("wiregate.js")).as("the JavaScript client of the repository").exists();
        Path log = ConformanceKitIT.ROOT.resolve("examples/conformance/target/wiregate-js/test.log");
        int exit = NodeTests.run(client,
                List.of("node", "--experimental-websocket", "--test", "--test-concurrency=1", "test/wiregate.test.mjs"),
                Map.of("WG_CONFORMANCE_JAR", ConformanceKitIT.conformanceJar().toString()), 5, log);
        assertThat(exit).as("the exit code of the client's tests; their failures:%n%s", NodeTests.report(log)).isZero();
    }
}
