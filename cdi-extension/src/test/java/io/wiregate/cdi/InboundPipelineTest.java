package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotBlank;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcast;
import io.wiregate.Emit;
import io.wiregate.ForbiddenException;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.PacketInterceptor;
import io.wiregate.Peer;
import io.wiregate.RoomGuard;
import io.wiregate.cdi.transport.FakeTransport;
import io.wiregate.protocol.EnvelopeParser;
import io.wiregate.spi.Delivery;

/**
 * The life of a frame through the inbound pipeline, step by step, without a socket: every frame is handed to the
 * pipeline as the container would, and what the client gets is read off a fake transport.
 */
class InboundPipelineTest {

    @Gateway(value = "/pipeline", maxMessageBytes = 64)
    public static class OpenGateway {
        public record Note(@NotBlank String text) {
        }

        @OnEvent("echo")
        @Emit("echoed")
        JsonValue echo(JsonValue data) {
            return data;
        }

        @OnEvent("shout")
        @Broadcast(value = "shout", includeSender = false)
        JsonValue shout(JsonValue data) {
            return data;
        }

        @OnEvent("toRoom")
        @Broadcast(value = "said", roomFrom = "room")
        String toRoom(JsonObject data) {
            return "hi";
        }

        @OnEvent("note")
        void note(@Valid Note note, Peer peer) {
            // answered with an ack
        }

        @OnEvent("boom")
        void boom() {
            throw new IllegalStateException("SECRET-DETAIL");
        }

        @OnEvent("forbidden")
        void forbidden() {
            throw new ForbiddenException("not yours");
        }
    }

    @Gateway(value = "/pipeline-auth", auth = Auth.MESSAGE)
    public static class AuthGateway {
        @Authenticate
        Identity authenticate(JsonObject credentials) {
            return "secret".equals(credentials.getString("token", null)) ? Identity.of("ada") : null;
        }

        @OnEvent("echo")
        @Emit("echoed")
        JsonValue echo(JsonValue data) {
            return data;
        }
    }

    private static Jsonb jsonb;
    private static ValidatorFactory validation;

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final ClientRegistry registry = new ClientRegistry();
    private final List<Delivery> delivered = new CopyOnWriteArrayList<>();
    private final List<Connection> connected = new CopyOnWriteArrayList<>();
    private final FakeTransport transport = FakeTransport.inline();

    @BeforeAll
    static void services() {
        jsonb = JsonbBuilder.create();
        validation = Validation.buildDefaultValidatorFactory();
    }

    @AfterAll
    static void closeServices() throws Exception {
        jsonb.close();
        validation.close();
    }

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    private InboundPipeline pipeline(Object gateway, List<PacketInterceptor> packets, List<RoomGuard> guards) {
        GatewayModel model = new GatewayModelBuilder().build(gateway.getClass()).model();
        Invoker invoker = (method, args) -> {
            try {
                return method.invoke(gateway, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return new InboundPipeline(model, registry, new EnvelopeParser(), new PayloadBinder(jsonb),
                new PayloadValidator(validation.getValidator()), invoker, gateway, delivered::add,
                new Interceptors(List.of(), packets, guards, List.of()), connected::add);
    }

    private Connection connection(RateLimiter limiter) {
        Connection c = new Connection("c1", "/pipeline", transport, Map.of(), registry, jsonb::toJson, timers, 64,
                Connection.State.AWAITING_AUTH, limiter, 1000);
        registry.add(c);
        return c;
    }

    private Connection connected() {
        Connection c = connection(null);
        c.connect(null, List.of(), () -> { });
        return c;
    }

    /** What the client got after {@code connected}. */
    private List<String> answers() {
        List<String> all = new ArrayList<>(transport.written());
        all.removeIf(f -> f.startsWith("{\"event\":\"connected\""));
        return all;
    }

    @Test
    void aHandlerResultGoesBackUnderItsEventWithTheFramesId() {
        InboundPipeline pipeline = pipeline(new OpenGateway(), List.of(), List.of());
        Connection c = connected();

        pipeline.onText(c, "{\"event\":\"echo\",\"data\":{\"a\":1},\"id\":7}");

        assertThat(answers()).containsExactly("{\"event\":\"echoed\",\"data\":{\"a\":1},\"id\":7}");
    }

    /** Not serialized again: the reply carries the frame's own text of the data, and of a numeric id. */
    @Test
    void dataReturnedUnchangedGoesBackAsTheFrameWroteIt() {
        InboundPipeline pipeline = pipeline(new OpenGateway(), List.of(), List.of());
        Connection c = connected();

        pipeline.onText(c, "{\"event\":\"echo\",\"data\":{ \"a\" : [1, 2] },\"id\":1e2}");

        assertThat(answers()).containsExactly("{\"event\":\"echoed\",\"data\":{ \"a\" : [1, 2] },\"id\":1e2}");
    }

    @Test
    void aBroadcastIsOneDeliveryAndTheSenderGetsTheAck() {
        InboundPipeline pipeline = pipeline(new OpenGateway(), List.of(), List.of());
        Connection c = connected();

        pipeline.onText(c, "{\"event\":\"shout\",\"data\":\"hey\",\"id\":\"s1\"}");

        assertThat(delivered).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(Delivery.TargetKind.BROADCAST);
            assertThat(d.event()).isEqualTo("shout");
            assertThat(d.dataJson()).isEqualTo("\"hey\"");
            assertThat(d.exclude()).containsExactly("c1");
        });
        assertThat(answers()).containsExactly("{\"event\":\"ack\",\"id\":\"s1\"}");
    }

    @Test
    void aBroadcastToARoomNamedByThePayloadNeedsAValidRoomName() {
        InboundPipeline pipeline = pipeline(new OpenGateway(), List.of(), List.of());
        Connection c = connected();

        pipeline.onText(c, "{\"event\":\"toRoom\",\"data\":{\"room\":\"lobby\"}}");
        pipeline.onText(c, "{\"event\":\"toRoom\",\"data\":{\"room\":42},\"id\":2}");

        assertThat(delivered).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(Delivery.TargetKind.ROOM);
            assertThat(d.target()).isEqualTo("lobby");
        });
        assertThat(answers()).singleElement().asString().contains("\"code\":\"validation\"").contains("\"path\":\"room\"")
                .endsWith(",\"id\":2}");
    }

    @Test
    void anInvalidPayloadIsAnsweredWithItsViolationsAndTheHandlerIsNotCalled() {
        InboundPipeline pipeline = pipeline(new OpenGateway(), List.of(), List.of());
        Connection c = connected();

        pipeline.onText(c, "{\"event\":\"note\",\"data\":{\"text\":\"\"},\"id\":1}");
        pipeline.onText(c, "{\"event\":\"note\",\"data\":{\"text\":\"ok\"},\"id\":2}");

        assertThat(answers()).hasSize(2);
        assertThat(answers().get(0)).contains("\"code\":\"validation\"").contains("\"path\":\"text\"");
        assertThat(answers().get(1)).isEqualTo("{\"event\":\"ack\",\"id\":2}");
    }

    @Test
    void whatAHandlerThrowsReachesTheClientOnlyAsTheProtocolsCode() {
        InboundPipeline pipeline = pipeline(new OpenGateway(), List.of(), List.of());
        Connection c = connected();

        pipeline.onText(c, "{\"event\":\"boom\",\"id\":1}");
        pipeline.onText(c, "{\"event\":\"forbidden\",\"id\":2}");

        assertThat(answers().get(0)).contains("\"code\":\"internal\"").doesNotContain("SECRET");
        assertThat(answers().get(1)).contains("\"code\":\"forbidden\"").contains("not yours");
        assertThat(c.isConnected()).isTrue();
    }

    @Test
    void anUnknownEventAndAMalformedFrameAreAnsweredWithTheirCodes() {
        InboundPipeline pipeline = pipeline(new OpenGateway(), List.of(), List.of());
        Connection c = connected();

        pipeline.onText(c, "{\"event\":\"nope\",\"id\":1}");
        pipeline.onText(c, "{\"event\":");

        assertThat(answers().get(0)).contains("\"code\":\"unknown_event\"").endsWith(",\"id\":1}");
        assertThat(answers().get(1)).contains("\"code\":\"bad_frame\"");
    }

    @Test
    void aFrameOverTheSizeLimitClosesWith1009() {
        InboundPipeline pipeline = pipeline(new OpenGateway(), List.of(), List.of());
        Connection c = connected();

        pipeline.onText(c, "{\"event\":\"echo\",\"data\":\"" + "x".repeat(100) + "\"}");

        assertThat(transport.closes()).containsExactly(new FakeTransport.Close(1009, "message too big"));
    }

    @Test
    void heartbeatIsAcknowledgedAndDisconnectClosesWith1000() {
        InboundPipeline pipeline = pipeline(new OpenGateway(), List.of(), List.of());
        Connection c = connected();

        pipeline.onText(c, "{\"event\":\"heartbeat\",\"id\":1}");
        pipeline.onText(c, "{\"event\":\"disconnect\"}");
        pipeline.onText(c, "{\"event\":\"echo\",\"id\":2}");

        assertThat(answers()).startsWith("{\"event\":\"ack\",\"id\":1}");
        assertThat(answers()).noneMatch(f -> f.contains("\"id\":2"));
        assertThat(transport.closes()).containsExactly(new FakeTransport.Close(1000, "client disconnected"));
    }

    @Test
    void roomsAreJoinedAsTheGuardsAllowAndLeft() {
        RoomGuard noSecrets = (peer, room) -> !room.startsWith("secret");
        InboundPipeline pipeline = pipeline(new OpenGateway(), List.of(), List.of(noSecrets));
        Connection c = connected();

        pipeline.onText(c, "{\"event\":\"join\",\"data\":{\"rooms\":[\"a\",\"b\"]},\"id\":1}");
        pipeline.onText(c, "{\"event\":\"join\",\"data\":{\"rooms\":[\"c\",\"secret\"]},\"id\":2}");
        pipeline.onText(c, "{\"event\":\"leave\",\"data\":{\"rooms\":[\"a\"]},\"id\":3}");
        pipeline.onText(c, "{\"event\":\"join\",\"data\":{\"rooms\":\"a\"},\"id\":4}");

        assertThat(answers()).containsExactly(
                "{\"event\":\"joined\",\"data\":{\"rooms\":[\"a\",\"b\"]},\"id\":1}",
                "{\"event\":\"error\",\"data\":{\"code\":\"forbidden\",\"message\":\"rooms refused: secret\"},\"id\":2}",
                "{\"event\":\"joined\",\"data\":{\"rooms\":[\"c\"]}}",
                "{\"event\":\"left\",\"data\":{\"rooms\":[\"a\"]},\"id\":3}",
                "{\"event\":\"error\",\"data\":{\"code\":\"validation\",\"message\":\"rooms must be an array of room names\","
                        + "\"violations\":[{\"path\":\"rooms\",\"message\":\"must be an array of room names\"}]},\"id\":4}");
        assertThat(c.rooms()).containsExactlyInAnyOrder("c1", "b", "c");
    }

    @Test
    void aPacketInterceptorMayRefuseOrReplaceAFramesData() {
        PacketInterceptor interceptor = (packet, chain) -> {
            if (packet.event().equals("shout")) {
                packet.refuse("no shouting");
                return;
            }
            packet.data(JsonValue.TRUE);
            chain.proceed();
        };
        InboundPipeline pipeline = pipeline(new OpenGateway(), List.of(interceptor), List.of());
        Connection c = connected();

        pipeline.onText(c, "{\"event\":\"shout\",\"data\":1,\"id\":1}");
        pipeline.onText(c, "{\"event\":\"echo\",\"data\":1,\"id\":2}");

        assertThat(answers()).containsExactly(
                "{\"event\":\"error\",\"data\":{\"code\":\"forbidden\",\"message\":\"no shouting\"},\"id\":1}",
                "{\"event\":\"echoed\",\"data\":true,\"id\":2}");
        assertThat(delivered).isEmpty();
    }

    @Test
    void aFrameOverTheRateIsRefusedThenTheConnectionClosedWith1008() {
        InboundPipeline pipeline = pipeline(new OpenGateway(), List.of(), List.of());
        Connection c = connection(new RateLimiter(1, 1));
        c.connect(null, List.of(), () -> { });

        for (int i = 0; i < 50 && transport.closes().isEmpty(); i++) {
            pipeline.onText(c, "{\"event\":\"echo\",\"data\":" + i + "}");
        }

        assertThat(answers()).anyMatch(f -> f.contains("\"code\":\"rate_limited\""));
        assertThat(transport.closes()).containsExactly(new FakeTransport.Close(1008, "rate limit exceeded"));
    }

    @Test
    void aBinaryFrameIsUnsupported() {
        InboundPipeline pipeline = pipeline(new OpenGateway(), List.of(), List.of());
        Connection c = connected();

        pipeline.onBinary(c, 10);
        pipeline.onBinary(c, 1000);

        assertThat(answers()).hasSize(2);
        assertThat(answers().get(0)).contains("\"code\":\"unsupported\"");
        assertThat(answers().get(1)).startsWith("{\"event\":\"disconnect\",\"data\":{\"code\":1009");
        assertThat(transport.closes()).containsExactly(new FakeTransport.Close(1009, "message too big"));
    }

    @Test
    void beforeAuthenticationOnlyAuthenticateIsAnswered() {
        InboundPipeline pipeline = pipeline(new AuthGateway(), List.of(), List.of());
        Connection c = connection(null);

        pipeline.onText(c, "{\"event\":\"echo\",\"data\":1,\"id\":1}");
        pipeline.onText(c, "{\"event\":\"heartbeat\",\"id\":2}");

        assertThat(answers()).containsExactly(
                "{\"event\":\"error\",\"data\":{\"code\":\"unauthorized\",\"message\":\"authenticate first\"},\"id\":1}");
        assertThat(connected).isEmpty();
    }

    @Test
    void authenticateConnectsTheClientAndAcknowledgesAfterConnected() {
        InboundPipeline pipeline = pipeline(new AuthGateway(), List.of(), List.of());
        Connection c = connection(null);

        pipeline.onText(c, "{\"event\":\"authenticate\",\"data\":{\"token\":\"secret\"},\"id\":1}");
        pipeline.onText(c, "{\"event\":\"echo\",\"data\":2,\"id\":2}");

        assertThat(transport.written().get(0)).startsWith("{\"event\":\"connected\"").contains("\"userId\":\"ada\"");
        assertThat(answers()).containsExactly("{\"event\":\"ack\",\"id\":1}", "{\"event\":\"echoed\",\"data\":2,\"id\":2}");
        assertThat(connected).containsExactly(c);
    }

    @Test
    void refusedCredentialsCloseWith4003() {
        InboundPipeline pipeline = pipeline(new AuthGateway(), List.of(), List.of());
        Connection c = connection(null);

        pipeline.onText(c, "{\"event\":\"authenticate\",\"data\":{\"token\":\"guess\"},\"id\":1}");

        assertThat(transport.closes()).containsExactly(new FakeTransport.Close(4003, "authentication failed"));
        assertThat(connected).isEmpty();
    }
}
