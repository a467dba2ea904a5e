package io.wiregate.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.wiregate.testing.NodeTests;

/**
 * The chat page in a real headless Chromium ({@code src/test/browser/chat-page.test.mjs}, puppeteer-core pinned in
 * its lockfile) against the packaged chat jar: two users log in, see each other, message, see typing, switch rooms,
 * and chat again after the server is killed and restarted. The test is copied to {@code target/browser} and its
 * dependency installed there ({@code npm ci}), so the source tree stays clean. Needs Node 20+, the npm registry and
 * Chromium ({@code /usr/bin/chromium}, Debian's package, or the path in {@code -Dchromium}); {@code .ci/run}
 * installs it when absent.
 */
class ChatPageIT {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path WORK = MODULE.resolve("target/browser");
    /** Whether this JVM copied the test to its work folder and installed its packages. */
    private static boolean prepared;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void twoUsersChatInChromiumAndThePagesReconnectAfterARestart() throws Exception {
        runPageTest("netty");
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theSameOnTheTyrusRuntime() throws Exception {
        runPageTest("tyrus");
    }

    /** Runs the browser test against the chat jar started on {@code runtime} ({@code -Dwiregate.runtime}). */
    private static void runPageTest(String runtime) throws Exception {
        Path jar = MODULE.resolve("target/chat.jar");
        assertThat(jar).as("the packaged chat jar").exists();
        String chromium = System.getProperty("chromium", "/usr/bin/chromium");
        assertThat(Path.of(chromium)).as("Chromium (Debian: apt-get install chromium)").exists();

        synchronized (ChatPageIT.class) {
            if (!prepared) {
                NodeTests.copyProject(MODULE.resolve("src/test/browser"), WORK);
                NodeTests.runOrFail(WORK, List.of("npm", "ci", "--no-audit", "--no-fund"), 4, WORK.resolve("npm-ci.log"));
                prepared = true;
            }
        }
        Path log = WORK.resolve("test-" + runtime + ".log");
        int exit = NodeTests.run(WORK, List.of("node", "--test", "--test-concurrency=1", "chat-page.test.mjs"),
                Map.of("CHAT_JAR", jar.toString(), "CHROMIUM", chromium, "WG_RUNTIME", runtime,
                        "WG_JS_TEST_SERVER", MODULE.resolve("../../clients/js/test/server.mjs").normalize().toString()), 4, log);
        assertThat(exit).as("the browser test's exit code on %s; its failures:%n%s", runtime, NodeTests.report(log)).isZero();
    }
}
