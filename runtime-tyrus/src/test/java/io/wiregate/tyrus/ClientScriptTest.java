package io.wiregate.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;

/**
 * The standalone runtime serves the browser client, {@code clients/js/wiregate.js} of the repository, at
 * {@code /wiregate.js} as JavaScript, with or without static files of the application's own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientScriptTest {

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
}
