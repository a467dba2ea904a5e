package io.wiregate.tyrus;

import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.errorCode;
import static io.wiregate.testing.Wire.event;
import static io.wiregate.testing.Wire.hasId;
import static io.wiregate.testing.Wire.isEvent;
import static io.wiregate.testing.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.Peer;
import io.wiregate.testing.RawWebSocket;
import io.wiregate.testing.Wire;

/**
 * docs/protocol.md sections 3, 4, 6 and 10 for {@link Auth#MESSAGE} gateways: nothing but errors before {@code
 * connected}, {@code unauthorized}, {@code connected} with the user id, the {@code ack} of {@code authenticate}, the
 * close codes 4003 (refused) and 4001 (timeout, expiry), and the refresh of an identity on a connected connection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InBandAuthProtocolTest {

    /** The credentials: {@code {"token": "good-USER"}} authenticates as USER, {@code "throw"} makes it throw. */
    public record Credentials(String token) {
    }

    /** Shared token rule; {@code "expiring-USER-MS"} authenticates as USER for MS milliseconds. */
    static Identity identityOf(Credentials credentials) {
        if (credentials == null || credentials.token() == null) {
            return null;
        }
        if (credentials.token().equals("throw")) {
            throw new IllegalStateException("SECRET-AUTH-DETAIL");
        }
        java.util.regex.Matcher expiring = java.util.regex.Pattern.compile("expiring-(.+)-([0-9]+)").matcher(credentials.token());
        if (expiring.matches()) {
            return Identity.of(expiring.group(1))
                    .expiringAt(java.time.Instant.now().plusMillis(Long.parseLong(expiring.group(2))));
        }
        return credentials.token().startsWith("good-") && credentials.token().length() > 5
                ? Identity.of(credentials.token().substring(5)) : null;
    }

    /** In-band authentication with the default (5 s) authentication timeout. */
    @Gateway(value = "/inband", auth = Auth.MESSAGE, heartbeatTimeoutMs = 0)
    public static class InBandGateway {

        @Authenticate
        Identity authenticate(Credentials credentials) {
            return identityOf(credentials);
        }

        @OnEvent("whoami")
        @Emit("whoami")
        Map<String, String> whoami(Peer peer) {
            return Map.of("userId", peer.userId(), "clientId", peer.id());
        }
    }

    /** Lets {@code {"token": "slow"}} authenticate only when released (at most 3 s). */
    static volatile CountDownLatch slowRelease = new CountDownLatch(1);

    /** In-band authentication with a 300 ms authentication timeout. */
    @Gateway(value = "/hurry", auth = Auth.MESSAGE, authTimeoutMs = 300, heartbeatTimeoutMs = 0)
    public static class HurryGateway {

        @Authenticate
        Identity authenticate(Credentials credentials) throws InterruptedException {
            if (credentials != null && "slow".equals(credentials.token())) {
                slowRelease.await(3, TimeUnit.SECONDS);
                return Identity.of("slowpoke");
            }
            return identityOf(credentials);
        }

        @OnEvent("ping")
        @Emit("pong")
        String ping() {
            return "pong";
        }
    }

    @RegisterExtension
    static final TestServer server = new TestServer(InBandGateway.class, HurryGateway.class);

    @BeforeEach
    void newLatch() {
        slowRelease = new CountDownLatch(1);
    }

    @AfterEach
    void releaseSlowAuthentications() {
        slowRelease.countDown(); // before the extension closes the clients
    }

    @Test
    void applicationEventBeforeAuthenticationIsAnsweredWithUnauthorizedAndTheConnectionStaysOpen() {
        RawWebSocket client = server.open("/inband");
        client.send("{'event':'whoami','id':'w'}");
        JsonObject error = client.next(hasId("w"));
        assertThat(event(error)).isEqualTo("error");
        assertThat(errorCode(error)).isEqualTo("unauthorized");

        client.send("{'event':'whoami'}");
        JsonObject withoutId = client.next();
        assertThat(errorCode(withoutId)).isEqualTo("unauthorized");
        assertThat(withoutId.containsKey("id")).isFalse();

        assertThat(data(client.authenticate("{'token':'good-alice'}")).asJsonObject().getString("userId")).isEqualTo("alice");
    }

    @Test
    void nothingButErrorsPrecedesConnected() {
        RawWebSocket client = server.open("/inband");
        client.send("{'event':'whoami','id':1}");
        client.send("{'event':'heartbeat','id':'hb-before'}");
        client.send("{'event':'heartbeat'}");
        client.send("{'event':'join','data':{'rooms':['a']},'id':2}");
        client.send("{'event':'leave','data':{'rooms':['a']},'id':3}");
        client.send("{'event':'nobodyHandlesThis','id':4}");
        client.sendRaw("not json");
        client.send("{'event':'authenticate','data':{'token':'good-bob'},'id':'auth'}");

        JsonObject connected = client.next(isEvent("connected"));
        assertThat(data(connected).asJsonObject().getString("userId")).isEqualTo("bob");
        client.sync();
        List<JsonObject> all = client.received();
        int connectedAt = all.indexOf(connected);
        assertThat(all.subList(0, connectedAt).stream().map(Wire::errorCode).toList()).as("frames before connected")
                .containsExactly("unauthorized", "unauthorized", "unauthorized", "unauthorized", "bad_frame");
        assertThat(all.get(connectedAt + 1)).isEqualTo(obj("{'event':'ack','id':'auth'}"));
        assertThat(all).as("a heartbeat before connected is never answered").noneMatch(hasId("hb-before"));
    }

    @Test
    void authenticateWithIdIsAnsweredByConnectedWithTheUserIdThenAnAck() {
        RawWebSocket client = server.open("/inband");
        client.send("{'event':'authenticate','data':{'token':'good-carol'},'id':'a1'}");
        JsonObject connected = client.next();
        assertThat(event(connected)).isEqualTo("connected");
        assertThat(connected.containsKey("id")).isFalse();
        JsonObject data = data(connected).asJsonObject();
        assertThat(data.getString("userId")).isEqualTo("carol");
        assertThat(data.getString("id")).isNotBlank();
        assertThat(data.get("time")).isNotNull();
        assertThat(data.get("rooms")).isNotNull();
        assertThat(client.next()).as("right after connected").isEqualTo(obj("{'event':'ack','id':'a1'}"));

        client.send("{'event':'whoami','id':'w'}");
        JsonObject whoami = data(client.next(hasId("w"))).asJsonObject();
        assertThat(whoami.getString("userId")).isEqualTo("carol");
        assertThat(whoami.getString("clientId")).isEqualTo(data.getString("id"));
    }

    @Test
    void authenticateWithoutIdIsAnsweredByConnectedOnly() {
        RawWebSocket client = server.open("/inband");
        client.send("{'event':'authenticate','data':{'token':'good-dan'}}");
        assertThat(event(client.next())).isEqualTo("connected");
        assertThat(client.sync()).isEmpty();
    }

    @Test
    void badCredentialsCloseWith4003WithoutConnected() {
        RawWebSocket client = server.open("/inband");
        client.send("{'event':'authenticate','data':{'token':'bad'},'id':'a'}");
        assertThat(client.awaitClose()).isEqualTo(4003);
        assertOnlyADisconnectMayPrecedeTheClose(client, 4003);
    }

    @Test
    void credentialsThatDoNotBindCloseWith4003() {
        for (String data : List.of("'a string'", "[1,2]", "{'token':{'nested':true}}", "null")) {
            RawWebSocket client = server.open("/inband");
            client.send("{'event':'authenticate','data':" + data + ",'id':'a'}");
            assertThat(client.awaitClose()).as(data).isEqualTo(4003);
            assertOnlyADisconnectMayPrecedeTheClose(client, 4003);
        }
    }

    @Test
    void authenticateWithoutDataClosesWith4003() {
        RawWebSocket client = server.open("/inband");
        client.send("{'event':'authenticate','id':'a'}");
        assertThat(client.awaitClose()).isEqualTo(4003);
    }

    @Test
    void authenticatorThatThrowsClosesWith4003AndLeaksNothing() {
        RawWebSocket client = server.open("/inband");
        client.send("{'event':'authenticate','data':{'token':'throw'},'id':'a'}");
        assertThat(client.awaitClose()).isEqualTo(4003);
        assertOnlyADisconnectMayPrecedeTheClose(client, 4003);
        assertThat(client.receivedText()).noneMatch(t -> t.contains("SECRET") || t.contains("Exception"));
        assertThat(client.closeReason()).doesNotContain("SECRET", "Exception");
    }

    @Test
    void authenticatingAgainAsTheSameUserRefreshesTheIdentityAndIsAcked() {
        RawWebSocket client = authenticatedAsErin();
        client.send("{'event':'whoami','id':'w1'}");
        String clientId = data(client.next(hasId("w1"))).asJsonObject().getString("clientId");

        client.send("{'event':'authenticate','data':{'token':'good-erin'},'id':'again'}");
        client.send("{'event':'whoami','id':'w2'}"); // handled after the refresh, in order

        assertThat(client.next()).isEqualTo(obj("{'event':'ack','id':'again'}"));
        JsonObject whoami = data(client.next(hasId("w2"))).asJsonObject();
        assertThat(whoami.getString("userId")).isEqualTo("erin");
        assertThat(whoami.getString("clientId")).isEqualTo(clientId);
        assertThat(client.received().stream().filter(isEvent("connected"))).hasSize(1);
    }

    @Test
    void refusedFreshCredentialsAreUnauthorizedAndTheConnectionKeepsItsIdentity() {
        RawWebSocket client = authenticatedAsErin();

        client.send("{'event':'authenticate','data':{'token':'bad'},'id':'bad-again'}");

        assertThat(errorCode(client.next(hasId("bad-again")))).isEqualTo("unauthorized");
        client.send("{'event':'whoami','id':'w'}");
        assertThat(data(client.next(hasId("w"))).asJsonObject().getString("userId")).isEqualTo("erin");
    }

    @Test
    void anotherUsersCredentialsOnAConnectedConnectionCloseItWith4003() {
        RawWebSocket client = authenticatedAsErin();

        client.send("{'event':'authenticate','data':{'token':'good-mallory'},'id':'other'}");

        assertThat(client.awaitClose()).isEqualTo(4003);
    }

    @Test
    void anIdentityThatExpiresWithoutARefreshClosesTheConnectionWith4001() {
        RawWebSocket client = server.open("/inband");
        client.authenticate("{'token':'expiring-erin-400'}");
        long authenticated = System.nanoTime();

        assertThat(client.awaitClose()).isEqualTo(4001);
        assertThat(client.closeReason()).isEqualTo("authentication expired");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - authenticated)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void aRefreshBeforeTheExpiryReplacesIt() throws InterruptedException {
        RawWebSocket client = server.open("/inband");
        client.authenticate("{'token':'expiring-erin-500'}");
        client.send("{'event':'authenticate','data':{'token':'good-erin'},'id':'refresh'}");
        client.next(hasId("refresh"));

        Thread.sleep(900); // past the first identity's expiry: time itself is what the test waits for

        client.send("{'event':'whoami','id':'w'}");
        assertThat(data(client.next(hasId("w"))).asJsonObject().getString("userId")).isEqualTo("erin");
        client.send("{'event':'authenticate','data':{'token':'expiring-erin-200'},'id':'shorter'}");
        client.next(hasId("shorter"));
        assertThat(client.awaitClose()).as("the refreshed identity's own expiry applies").isEqualTo(4001);
    }

    @Test
    void heartbeatWithIdIsAckedOnceConnected() {
        RawWebSocket client = server.open("/inband");
        client.authenticate("{'token':'good-fay'}");
        client.send("{'event':'heartbeat','id':'hb'}");
        assertThat(client.next(hasId("hb"))).isEqualTo(obj("{'event':'ack','id':'hb'}"));
    }

    @Test
    void noAuthenticateWithinTheAuthTimeoutClosesWith4001() {
        long start = System.nanoTime();
        RawWebSocket client = server.open("/hurry");
        assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo(4001);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertOnlyADisconnectMayPrecedeTheClose(client, 4001);
    }

    @Test
    void framesOtherThanAuthenticateDoNotStopTheAuthTimeout() {
        RawWebSocket client = server.open("/hurry");
        client.send("{'event':'ping','id':1}");
        assertThat(errorCode(client.next(hasId(1)))).isEqualTo("unauthorized");
        client.send("{'event':'heartbeat'}");
        assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo(4001);
    }

    @Test
    void authenticatedClientIsNotClosedByTheAuthTimeout() {
        RawWebSocket client = server.open("/hurry");
        client.authenticate("{'token':'good-gus'}");
        await().during(Duration.ofMillis(900)).atMost(Duration.ofSeconds(3)).until(() -> !client.isClosed());
        client.send("{'event':'ping','id':'p'}");
        assertThat(client.next(hasId("p"))).isEqualTo(obj("{'event':'pong','data':'pong','id':'p'}"));
    }

    @Test
    void authenticationNotFinishedWithinThreeTimesTheAuthTimeoutClosesWith4001() {
        RawWebSocket client = server.open("/hurry");
        client.send("{'event':'authenticate','data':{'token':'slow'},'id':'slow'}");
        assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo(4001);
        slowRelease.countDown();
        assertThat(client.received()).noneMatch(isEvent("connected"));
    }

    /** Only a {@code disconnect} announcing the close (with its code) may reach a client that never connected. */
    static void assertOnlyADisconnectMayPrecedeTheClose(RawWebSocket client, int code) {
        List<JsonObject> frames = client.received().stream().filter(f -> !"error".equals(event(f))).toList();
        assertThat(frames).hasSizeLessThanOrEqualTo(1);
        for (JsonObject f : frames) {
            assertThat(event(f)).isEqualTo("disconnect");
            assertThat(data(f).asJsonObject().getInt("code")).isEqualTo(code);
            assertThat(data(f).asJsonObject().get("reason")).isNotEqualTo(JsonValue.NULL);
        }
    }

    /** A client of {@code /inband} authenticated as erin, its answer read. */
    private static RawWebSocket authenticatedAsErin() {
        RawWebSocket client = server.open("/inband");
        client.authenticate("{'token':'good-erin'}");
        client.next(hasId("auth"));
        return client;
    }
}
