package io.wiregate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.wiregate.it.app.AuditConnections;
import io.wiregate.it.app.AuditLog;
import io.wiregate.it.app.Audited;
import io.wiregate.it.app.ChatGateway;
import io.wiregate.it.app.EchoGateway;
import io.wiregate.it.app.GuardedGateway;
import io.wiregate.it.app.Members;
import io.wiregate.it.app.NewsGateway;
import io.wiregate.it.app.NewsService;
import io.wiregate.it.app.PublishServlet;
import io.wiregate.it.app.RoomsGateway;
import io.wiregate.it.app.StaffRoomGuard;
import io.wiregate.it.app.TraceFirst;
import io.wiregate.it.app.TraceSecond;
import io.wiregate.it.app.UpperCase;
import io.wiregate.it.app.UpperCaseInterceptor;

/** One WAR with several gateways, exercised over real WebSocket connections from the test JVM. */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class GatewaysIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("gateways", EchoGateway.class, Audited.class, AuditLog.class, AuditConnections.class,
                TraceFirst.class, TraceSecond.class, UpperCase.class, UpperCaseInterceptor.class, NewsGateway.class,
                NewsService.class, PublishServlet.class, GuardedGateway.class, ChatGateway.class, Members.class,
                StaffRoomGuard.class, RoomsGateway.class);
    }

    @ArquillianResource
    URL base;

    /** The application's URI on 127.0.0.1 (servers bind the loopback address only; "localhost" may resolve to ::1). */
    private URI http(String path) {
        String context = base.getPath().endsWith("/") ? base.getPath().substring(0, base.getPath().length() - 1) : base.getPath();
        return URI.create("http://127.0.0.1:" + base.getPort() + context + path);
    }

    private URI ws(String path) {
        return URI.create(http(path).toString().replaceFirst("^http", "ws"));
    }

    private static JsonObject parse(String json) {
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(json))) {
            return reader.readObject();
        }
    }

    /** wiregate-cdi carries the browser client as META-INF/resources/wiregate.js: the container serves it. */
    @Test
    void theBrowserClientIsServedAtWiregateJs() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(http("/wiregate.js"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).containsIgnoringCase("javascript"));
        assertThat(response.body()).contains("export function connect(").contains("export class WiregateClient");
    }

    @Test
    void everyGatewayIsRegisteredAtDeploymentAndOtherPathsGet404() throws Exception {
        for (String path : List.of("/echo", "/news", "/rooms/lobby")) {
            try (WsClient client = WsClient.connect(ws(path))) {
                JsonObject connected = client.next();
                assertThat(connected.getString("event")).as(path).isEqualTo("connected");
                assertThat(connected.getJsonObject("data").getString("id")).isNotBlank();
                assertThat(connected.getJsonObject("data").isNull("userId")).isTrue();
            }
        }
        assertThat(WsClient.handshakeStatus(ws("/nowhere"), null)).isEqualTo(404);
    }

    @Test
    void frameWithIdIsAnsweredOnceWithTheHandlersReply() throws Exception {
        try (WsClient client = WsClient.connected(ws("/echo"))) {
            client.send("{\"event\":\"echo\",\"data\":{\"a\":[1,2]},\"id\":\"e1\"}");
            assertThat(client.next()).isEqualTo(parse("{\"event\":\"echo\",\"data\":{\"a\":[1,2]},\"id\":\"e1\"}"));
            client.send("{\"event\":\"void\",\"id\":7}");
            assertThat(client.next()).isEqualTo(parse("{\"event\":\"ack\",\"id\":7}"));
            client.send("{\"event\":\"shout\",\"data\":\"hi\"}");
            assertThat(client.next().getString("data")).isEqualTo("hi");
            assertThat(client.poll(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void badFramesGetTheProtocolsErrorCodesAndTheConnectionStaysOpen() throws Exception {
        try (WsClient client = WsClient.connected(ws("/echo"))) {
            client.send("{\"event\":\"validated\",\"data\":{\"text\":\"\",\"count\":-1},\"id\":\"v\"}");
            JsonObject validation = client.next();
            assertThat(validation.getString("event")).isEqualTo("error");
            assertThat(validation.getString("id")).isEqualTo("v");
            assertThat(validation.getJsonObject("data").getString("code")).isEqualTo("validation");
            assertThat(validation.getJsonObject("data").getJsonArray("violations").stream()
                    .map(v -> v.asJsonObject().getString("path"))).containsExactlyInAnyOrder("text", "count");

            client.send("{\"event\":\"validated\",\"data\":{\"text\":\"fine\",\"count\":2},\"id\":\"ok\"}");
            assertThat(client.next()).isEqualTo(parse("{\"event\":\"validated\",\"data\":{\"ok\":true},\"id\":\"ok\"}"));

            client.send("{\"event\":\"nope\",\"id\":\"u\"}");
            assertThat(client.next().getJsonObject("data").getString("code")).isEqualTo("unknown_event");

            client.send("not json");
            assertThat(client.next().getJsonObject("data").getString("code")).isEqualTo("bad_frame");

            client.send("{\"event\":\"boom\",\"id\":\"b\"}");
            JsonObject internal = client.next();
            assertThat(internal.getJsonObject("data").getString("code")).isEqualTo("internal");
            assertThat(internal.toString()).doesNotContain("SECRET-DETAIL").doesNotContain("IllegalStateException");

            client.send("{\"event\":\"echo\",\"data\":1,\"id\":\"still-open\"}");
            assertThat(client.next().getString("id")).isEqualTo("still-open");
        }
    }

    @Test
    void aBroadcasterInjectedInAnApplicationServiceReachesEveryClient() throws Exception {
        try (WsClient first = WsClient.connected(ws("/news")); WsClient second = WsClient.connected(ws("/news"))) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(http("/publish?text=extra")).timeout(WsClient.WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(first.next("headline").getJsonObject("data").getString("text")).isEqualTo("extra");
            assertThat(second.next("headline").getJsonObject("data").getString("text")).isEqualTo("extra");
        }
    }

    @Test
    void interceptorChainsRunInPriorityOrderAndHandlersAreContextualCalls() throws Exception {
        try (WsClient client = WsClient.connected(ws("/echo"))) {
            client.send("{\"event\":\"trace\",\"data\":[\"client\"],\"id\":1}");
            assertThat(client.next().getJsonArray("data").getValuesAs(JsonString::getString))
                    .containsExactly("client", "first", "second");

            client.send("{\"event\":\"secret\",\"id\":2}");
            JsonObject refused = client.next();
            assertThat(refused.getJsonObject("data").getString("code")).isEqualTo("forbidden");
            assertThat(refused.getInt("id")).isEqualTo(2);

            client.send("{\"event\":\"upper\",\"data\":\"shout it\",\"id\":3}");
            assertThat(client.next().getString("data")).isEqualTo("SHOUT IT");

            client.send("{\"event\":\"audit\",\"id\":4}");
            assertThat(client.next().getJsonObject("data").getInt("enter")).isGreaterThanOrEqualTo(1);
        }
        try (WsClient news = WsClient.connected(ws("/news"))) {
            // TraceFirst is bound to @Audited gateways only: "secret" on /news is just an unknown event.
            news.send("{\"event\":\"secret\",\"id\":5}");
            assertThat(news.next().getJsonObject("data").getString("code")).isEqualTo("unknown_event");
        }
    }

    @Test
    void theHandshakeGuardRefusesWith401And403() throws Exception {
        assertThat(WsClient.handshakeStatus(ws("/guarded?token=good-ann"), null)).isEqualTo(101);
        if (Server.current().refusesWithStatus()) {
            assertThat(WsClient.handshakeStatus(ws("/guarded"), null)).isEqualTo(401);
            assertThat(WsClient.handshakeStatus(ws("/guarded?token=bad"), "http://localhost")).isEqualTo(401);
            assertThat(WsClient.handshakeStatus(ws("/guarded?token=good-ann"), "http://evil.example")).isEqualTo(403);
        } else {
            for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Origin", "http://evil.example"))) {
                try (WsClient refused = WsClient.connect(ws(headers.isEmpty() ? "/guarded" : "/guarded?token=good-ann"), headers)) {
                    assertThat(refused.closeCode()).isEqualTo(4003);
                    assertThat(refused.pending()).isZero();
                }
            }
        }
        try (WsClient ann = WsClient.connect(ws("/guarded?token=good-ann"), Map.of("Origin", "http://localhost"))) {
            assertThat(ann.next().getJsonObject("data").getString("userId")).isEqualTo("ann");
            ann.send("{\"event\":\"whoami\",\"id\":1}");
            assertThat(ann.next().getJsonObject("data").getString("userId")).isEqualTo("ann");
        }
        try (WsClient bob = WsClient.connect(ws("/guarded"), Map.of("X-Token", "good-bob"))) {
            assertThat(bob.next().getJsonObject("data").getString("userId")).isEqualTo("bob");
        }
    }

    @Test
    void roomsAndUsers() throws Exception {
        try (WsClient alice1 = WsClient.connect(ws("/chat")); WsClient alice2 = WsClient.connect(ws("/chat"));
             WsClient bob = WsClient.connect(ws("/chat")); WsClient boss = WsClient.connect(ws("/chat"))) {
            alice1.send("{\"event\":\"whoami\",\"id\":0}");
            assertThat(alice1.next().getJsonObject("data").getString("code")).isEqualTo("unauthorized");
            authenticate(alice1, "alice");
            authenticate(alice2, "alice");
            authenticate(bob, "bob");
            authenticate(boss, "boss");

            bob.send("{\"event\":\"toUser\",\"data\":{\"to\":\"alice\",\"text\":\"hi alice\"}}");
            assertThat(alice1.next("note").getJsonObject("data").getString("text")).isEqualTo("hi alice");
            assertThat(alice2.next("note").getJsonObject("data").getString("from")).isEqualTo("bob");

            alice1.send("{\"event\":\"join\",\"data\":{\"rooms\":[\"lobby\"]},\"id\":\"j\"}");
            assertThat(alice1.next("joined").getJsonObject("data").getJsonArray("rooms").getString(0)).isEqualTo("lobby");
            alice1.send("{\"event\":\"join\",\"data\":{\"rooms\":[\"staff-only\"]},\"id\":\"s\"}");
            JsonObject refused = alice1.next("error");
            assertThat(refused.getJsonObject("data").getString("code")).isEqualTo("forbidden");
            assertThat(refused.getJsonObject("data").getString("message")).contains("staff-only");
            boss.send("{\"event\":\"join\",\"data\":{\"rooms\":[\"staff-only\",\"lobby\"]},\"id\":\"b\"}");
            assertThat(boss.next("joined").getJsonObject("data").getJsonArray("rooms")).hasSize(2);

            boss.send("{\"event\":\"toRoom\",\"data\":{\"to\":\"lobby\",\"text\":\"meeting\"}}");
            assertThat(alice1.next("note").getJsonObject("data").getString("text")).isEqualTo("meeting");
            bob.send("{\"event\":\"whoami\",\"id\":\"w\"}");
            assertThat(bob.next().getString("event")).as("bob is in no room and got nothing else").isEqualTo("whoami");
            assertThat(alice2.poll(Duration.ofMillis(300))).isNull();
        }
        try (WsClient a = WsClient.connected(ws("/rooms/a")); WsClient a2 = WsClient.connected(ws("/rooms/a"));
             WsClient b = WsClient.connected(ws("/rooms/b"))) {
            a.send("{\"event\":\"say\",\"data\":\"hello a\"}");
            JsonObject said = a2.next("said").getJsonObject("data");
            assertThat(said.getString("roomId")).isEqualTo("a");
            assertThat(said.getString("data")).isEqualTo("hello a");
            assertThat(a.next("said")).isNotNull();
            assertThat(b.poll(Duration.ofMillis(300))).isNull();
        }
    }

    private static void authenticate(WsClient client, String user) throws InterruptedException {
        client.send("{\"event\":\"authenticate\",\"data\":{\"token\":\"good-" + user + "\"},\"id\":\"auth\"}");
        JsonObject connected = client.next("connected");
        assertThat(connected.getJsonObject("data").getString("userId")).isEqualTo(user);
        assertThat(client.next().getString("event")).isEqualTo("ack");
    }
}
