package io.wiregate.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;

/**
 * What the standalone runtime answers to plain HTTP requests, over real sockets. It serves the browser client,
 * {@code clients/js/wiregate.js} of the repository, at {@code /wiregate.js}. A malformed request target gets a plain
 * 400, and no error page (400, 404, 405...) names the server, its version or its code
 * (no {@code Server} or {@code X-Powered-By} header, no stack trace, no "Grizzly", no Java class names). Checked on
 * a server with only gateways and on one that also serves static files ({@code wiregate.static}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpEdgeTest {

    @Gateway(value = "/echo", heartbeatTimeoutMs = 0)
    public static class EchoGateway {
        @OnEvent("echo")
        @Emit("echo")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    @RegisterExtension
    static final TestServer gatewaysOnly = new TestServer(EchoGateway.class);

    @RegisterExtension
    static final TestServer withStaticFiles = new TestServer(EchoGateway.class).serving("edge-static/");

    /**
     * Request targets sent byte for byte: traversals, encoded traversals, bad escapes, escaped control characters,
     * slashes and backslashes, characters a URI may not hold.
     */
    private static final List<String> MALFORMED_TARGETS = List.of(
            "/%2e%2e/x",
            "/../../etc/passwd",
            "/..",
            "/a/../../b",
            "/%2e%2e%2f%2e%2e%2fetc/passwd",
            "/echo/../../x",
            "/%",
            "/%zz",
            "/%c0%ae%c0%ae/x",
            "/a%00b",
            "/a%2fb",
            "/a%5c..%5cb",
            "/a\\b",
            "/a|b",
            "/a{b}",
            "/echo%zz");

    @Test
    void wiregateJsIsTheRepositorysClientServedAsJavaScript() throws Exception {
        String source = Files.readString(Path.of("..", "clients", "js", "wiregate.js"));
        // HTTP/1.1 as browsers send it: the JDK's default h2c upgrade headers make Grizzly drop Content-Type
        // (eclipse-ee4j/glassfish-grizzly#2192).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (TestServer server : List.of(gatewaysOnly, withStaticFiles)) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/wiregate.js"))
                            .timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(response.body()).isEqualTo(source).contains("export function connect(");
        }
    }

    @Test
    void malformedRequestTargetsGetAPlain400WithoutInternals() throws IOException {
        for (TestServer server : List.of(gatewaysOnly, withStaticFiles)) {
            for (String target : MALFORMED_TARGETS) {
                String response = RawHttp.get(server.port(), target, Map.of());
                assertThat(status(response)).as("GET %s answered\n%s", target, response).isEqualTo(400);
                assertRevealsNothing(response, target);
            }
        }
    }

    @Test
    void malformedRequestTargetsOfWebSocketUpgradesGetAPlain400WithoutInternals() throws IOException {
        Map<String, String> upgrade = Map.of("Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13");
        for (TestServer server : List.of(gatewaysOnly, withStaticFiles)) {
            for (String target : MALFORMED_TARGETS) {
                String response = RawHttp.get(server.port(), target, upgrade);
                assertThat(status(response)).as("upgrade %s answered\n%s", target, response).isEqualTo(400);
                assertRevealsNothing(response, target);
            }
        }
    }

    @Test
    void unknownPathGets404WithoutServerBanner() throws IOException {
        for (TestServer server : List.of(gatewaysOnly, withStaticFiles)) {
            String response = RawHttp.get(server.port(), "/no-such-page", Map.of());
            assertThat(status(response)).isEqualTo(404);
            assertRevealsNothing(response, "/no-such-page");
        }
    }

    @Test
    void traceRequestGets405WithoutServerBanner() throws IOException {
        for (TestServer server : List.of(gatewaysOnly, withStaticFiles)) {
            String response = RawHttp.request(server.port(), "TRACE", "/", Map.of());
            assertThat(status(response)).isEqualTo(405);
            assertRevealsNothing(response, "TRACE /");
        }
    }

    @Test
    void staticFilesAreServedWithoutServerBanner() throws IOException {
        String response = RawHttp.get(withStaticFiles.port(), "/index.html", Map.of());
        assertThat(status(response)).isEqualTo(200);
        assertThat(response).contains("static page");
        assertThat(headers(response)).doesNotContainIgnoringCase("\r\nServer:").doesNotContainIgnoringCase("X-Powered-By");
    }

    @Test
    void wellFormedRequestsStillReachTheGatewayAfterMalformedOnes() throws IOException {
        RawHttp.get(gatewaysOnly.port(), "/%2e%2e/x", Map.of());
        assertThat(gatewaysOnly.handshakeStatus("/echo")).isEqualTo(101);
    }

    private static int status(String response) {
        return Integer.parseInt(response.split(" ", 3)[1]);
    }

    private static String headers(String response) {
        int end = response.indexOf("\r\n\r\n");
        return end < 0 ? response : response.substring(0, end + 2);
    }

    private static void assertRevealsNothing(String response, String request) {
        assertThat(headers(response)).as("headers of the answer to %s", request)
                .doesNotContainIgnoringCase("\r\nServer:")
                .doesNotContainIgnoringCase("X-Powered-By");
        assertThat(response).as("answer to %s", request)
                .doesNotContainIgnoringCase("grizzly")
                .doesNotContainIgnoringCase("tyrus")
                .doesNotContain("java.")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }
}
