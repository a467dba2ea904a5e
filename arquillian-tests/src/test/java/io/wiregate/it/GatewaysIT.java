package io.wiregate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import static io.wiregate.test.Gateways.await;
import static io.wiregate.testing.Wire.errorCode;
import static io.wiregate.testing.Wire.event;
import static io.wiregate.testing.Wire.obj;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.wiregate.client.Disconnected;
import io.wiregate.client.WiregateClient;
import io.wiregate.client.WiregateException;

import io.wiregate.it.app.AuditConnections;
import io.wiregate.it.app.AuditLog;
import io.wiregate.it.app.Audited;
import io.wiregate.it.app.ChatGateway;
import io.wiregate.it.app.EchoGateway;
import io.wiregate.it.app.FeedGateway;
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
import io.wiregate.test.Events;
import io.wiregate.testing.RawWebSocket;

/**
 * One WAR with several gateways, exercised over real WebSocket connections from the test JVM: wiregate-client, and a
 * plain socket ({@link RawWebSocket}) where a test looks at the exact frames, sends one that is not JSON, or reads the
 * HTTP status of a refused upgrade.
 */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class GatewaysIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("gateways", EchoGateway.class, Audited.class, AuditLog.class, AuditConnections.class,
                TraceFirst.class, TraceSecond.class, UpperCase.class, UpperCaseInterceptor.class, NewsGateway.class,
                NewsService.class, PublishServlet.class, GuardedGateway.class, ChatGateway.class, Members.class,
                StaffRoomGuard.class, RoomsGateway.class, FeedGateway.class);
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

    /** What {@code NewsService} pushes (public, as JSON-B binds only public types). */
    public record Headline(String text) {
    }

    /** What {@code ChatGateway} delivers to users and rooms. */
    public record Note(String from, String text) {
    }

    /** What {@code RoomsGateway} delivers to the room of its path. */
    public record Said(String roomId, String data) {
    }

    @Test
    void everyGatewayIsRegisteredAtDeploymentAndOtherPathsGet404() throws Exception {
        for (String path : List.of("/echo", "/news", "/rooms/lobby")) {
            try (WiregateClient client = Clients.connect(ws(path))) {
                assertThat(client.id()).as(path).isNotBlank();
                assertThat(client.userId()).as(path).isNull();
            }
        }
        assertThat(RawWebSocket.handshakeStatus(ws("/nowhere"))).isEqualTo(404);
    }

    /** On the wire: the reply carries the request's id as sent (a string or a number), once; no id, no ack. */
    @Test
    void frameWithIdIsAnsweredOnceWithTheHandlersReply() throws Exception {
        try (RawWebSocket socket = RawWebSocket.connect(ws("/echo"))) {
            assertThat(event(socket.next(Clients.WAIT))).isEqualTo("connected");
            socket.send("{'event':'echo','data':{'a':[1,2]},'id':'e1'}");
            assertThat(socket.next(Clients.WAIT)).isEqualTo(obj("{'event':'echo','data':{'a':[1,2]},'id':'e1'}"));
            socket.send("{'event':'void','id':7}");
            assertThat(socket.next(Clients.WAIT)).isEqualTo(obj("{'event':'ack','id':7}"));
            socket.send("{'event':'shout','data':'hi'}");
            assertThat(socket.next(Clients.WAIT).getString("data")).isEqualTo("hi");
            assertThat(socket.sync()).as("nothing more before the answer to a later frame").isEmpty();
        }
    }

    @Test
    void badFramesGetTheProtocolsErrorCodesAndTheConnectionStaysOpen() throws Exception {
        try (WiregateClient client = Clients.connect(ws("/echo"))) {
            WiregateException validation = error(client.request("validated",
                    Map.of("text", "", "count", -1), JsonValue.class));
            assertThat(validation.code()).isEqualTo("validation");
            assertThat(validation.violations()).extracting(v -> v.path()).containsExactlyInAnyOrder("text", "count");

            assertThat(await(client.request("validated", Map.of("text", "fine", "count", 2), JsonValue.class)))
                    .isEqualTo(obj("{'ok':true}"));

            assertThat(error(client.request("nope", null, JsonValue.class)).code()).isEqualTo("unknown_event");

            WiregateException internal = error(client.request("boom", null, JsonValue.class));
            assertThat(internal.code()).isEqualTo("internal");
            assertThat(internal.getMessage()).doesNotContain("SECRET-DETAIL").doesNotContain("IllegalStateException");

            assertThat(await(client.request("echo", 1, Integer.class))).isEqualTo(1);
        }
        // A text that is not JSON, which no client library sends.
        try (RawWebSocket socket = RawWebSocket.connect(ws("/echo"))) {
            assertThat(event(socket.next(Clients.WAIT))).isEqualTo("connected");
            socket.sendRaw("not json");
            assertThat(errorCode(socket.next(Clients.WAIT))).isEqualTo("bad_frame");
            socket.send("{'event':'echo','data':1,'id':'still-open'}");
            assertThat(socket.next(Clients.WAIT).getString("id")).isEqualTo("still-open");
        }
    }

    /**
     * docs/protocol.md section 9 in a WAR: a client whose connection is cut (a TCP reset through a proxy) in the
     * middle of a burst reconnects by itself, resumes its session, and has every event once, in order.
     */
    @Test
    void aClientCutOffMidBurstResumesItsSessionAndMissesNothing() throws Exception {
        CutMidBurst.resumesWithEveryEventOnceInOrder(ws("/feed"));
    }

    @Test
    void aBroadcasterInjectedInAnApplicationServiceReachesEveryClient() throws Exception {
        try (WiregateClient first = Clients.connect(ws("/news")); WiregateClient second = Clients.connect(ws("/news"))) {
            Events<Headline> firstHeadlines = Events.of(first, "headline", Headline.class);
            Events<Headline> secondHeadlines = Events.of(second, "headline", Headline.class);
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(http("/publish?text=extra")).timeout(Clients.WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(firstHeadlines.next().text()).isEqualTo("extra");
            assertThat(secondHeadlines.next().text()).isEqualTo("extra");
        }
    }

    @Test
    void interceptorChainsRunInPriorityOrderAndHandlersAreContextualCalls() throws Exception {
        try (WiregateClient client = Clients.connect(ws("/echo"))) {
            assertThat(await(client.request("trace", List.of("client"), JsonArray.class)).getValuesAs(JsonString::getString))
                    .containsExactly("client", "first", "second");

            assertThat(error(client.request("secret", null, JsonValue.class)).code()).isEqualTo("forbidden");

            assertThat(await(client.request("upper", "shout it", String.class))).isEqualTo("SHOUT IT");

            assertThat(await(client.request("audit", null, JsonObject.class)).getInt("enter")).isGreaterThanOrEqualTo(1);
        }
        try (WiregateClient news = Clients.connect(ws("/news"))) {
            // TraceFirst is bound to @Audited gateways only: "secret" on /news is just an unknown event.
            assertThat(error(news.request("secret", null, JsonValue.class)).code()).isEqualTo("unknown_event");
        }
    }

    @Test
    void theHandshakeGuardRefusesWith401And403() throws Exception {
        assertThat(RawWebSocket.handshakeStatus(ws("/guarded?token=good-ann"))).isEqualTo(101);
        if (Server.current().refusesWithStatus()) {
            assertThat(RawWebSocket.handshakeStatus(ws("/guarded"))).isEqualTo(401);
            assertThat(RawWebSocket.handshakeStatus(ws("/guarded?token=bad"), Map.of("Origin", "http://localhost"))).isEqualTo(401);
            assertThat(RawWebSocket.handshakeStatus(ws("/guarded?token=good-ann"), Map.of("Origin", "http://evil.example"))).isEqualTo(403);
        } else {
            for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Origin", "http://evil.example"))) {
                List<Object> connected = new java.util.concurrent.CopyOnWriteArrayList<>();
                try (WiregateClient refused = Clients.start(ws(headers.isEmpty() ? "/guarded" : "/guarded?token=good-ann"),
                        b -> b.headers(headers))) {
                    refused.onConnected(connected::add);
                    Disconnected closed = await(Clients.disconnected(refused));
                    assertThat(closed.code()).isEqualTo(4003);
                    assertThat(connected).as("connected before the close").isEmpty();
                }
            }
        }
        try (WiregateClient ann = Clients.connect(ws("/guarded?token=good-ann"), b -> b.header("Origin", "http://localhost"))) {
            assertThat(ann.userId()).isEqualTo("ann");
            assertThat(await(ann.request("whoami", null, JsonObject.class)).getString("userId")).isEqualTo("ann");
        }
        try (WiregateClient bob = Clients.connect(ws("/guarded"), b -> b.header("X-Token", "good-bob"))) {
            assertThat(bob.userId()).isEqualTo("bob");
        }
    }

    @Test
    void roomsAndUsers() throws Exception {
        // Before authenticating (a client library waits for connected before it sends anything).
        try (RawWebSocket anonymous = RawWebSocket.connect(ws("/chat"))) {
            anonymous.send("{'event':'whoami','id':0}");
            assertThat(errorCode(anonymous.next(Clients.WAIT))).isEqualTo("unauthorized");
        }
        try (WiregateClient alice1 = chat("alice"); WiregateClient alice2 = chat("alice");
             WiregateClient bob = chat("bob"); WiregateClient boss = chat("boss")) {
            Events<Note> alice1Notes = Events.of(alice1, "note", Note.class);
            Events<Note> alice2Notes = Events.of(alice2, "note", Note.class);
            Events<Note> bobNotes = Events.of(bob, "note", Note.class);

            bob.emit("toUser", Map.of("to", "alice", "text", "hi alice"));
            assertThat(alice1Notes.next().text()).isEqualTo("hi alice");
            assertThat(alice2Notes.next().from()).isEqualTo("bob");

            assertThat(await(alice1.join("lobby"))).containsExactly("lobby");
            WiregateException refused = error(alice1.join("staff-only"));
            assertThat(refused.code()).isEqualTo("forbidden");
            assertThat(refused.getMessage()).contains("staff-only");
            assertThat(await(boss.join("staff-only", "lobby"))).hasSize(2);

            boss.emit("toRoom", Map.of("to", "lobby", "text", "meeting"));
            assertThat(alice1Notes.next().text()).isEqualTo("meeting");
            // Each answer comes after every earlier delivery to its connection.
            assertThat(await(bob.request("whoami", null, JsonObject.class)).getString("userId")).isEqualTo("bob");
            assertThat(bobNotes.drain()).as("bob is in no room and got nothing else").isEmpty();
            await(alice2.request("whoami", null, JsonObject.class));
            assertThat(alice2Notes.drain()).as("alice2 is in no room").isEmpty();
        }
        try (WiregateClient a = Clients.connect(ws("/rooms/a")); WiregateClient a2 = Clients.connect(ws("/rooms/a"));
             WiregateClient b = Clients.connect(ws("/rooms/b"))) {
            Events<Said> saidToA = Events.of(a, "said", Said.class);
            Events<Said> saidToA2 = Events.of(a2, "said", Said.class);
            Events<Said> saidToB = Events.of(b, "said", Said.class);
            a.emit("say", "hello a");
            assertThat(saidToA2.next()).isEqualTo(new Said("a", "hello a"));
            assertThat(saidToA.next()).isEqualTo(new Said("a", "hello a"));
            // b's own say, answered after its delivery to b: anything from room a would have come before.
            await(b.request("say", "hello b", JsonValue.class));
            assertThat(saidToB.drain()).containsExactly(new Said("b", "hello b"));
        }
    }

    /** The server's error that answered a request (or join). */
    private static WiregateException error(java.util.concurrent.CompletableFuture<?> request) {
        Throwable thrown = catchThrowable(() -> await(request));
        assertThat(thrown).isInstanceOf(WiregateException.class);
        return (WiregateException) thrown;
    }

    /** A client of the in-band authenticated /chat, authenticated as {@code user}. */
    private WiregateClient chat(String user) {
        WiregateClient client = Clients.connect(ws("/chat"), b -> b.auth(Map.of("token", "good-" + user)));
        assertThat(client.userId()).isEqualTo(user);
        return client;
    }
}
