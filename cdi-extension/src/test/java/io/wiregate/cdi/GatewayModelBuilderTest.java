package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcast;
import io.wiregate.CloseStatus;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;
import io.wiregate.OnClose;
import io.wiregate.OnEvent;
import io.wiregate.OnOpen;
import io.wiregate.Peer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayModelBuilderTest {

    // ---- payload types ----

    public record Message(@NotBlank String text) {
    }

    public record RoomMessage(String room, String text) {
    }

    public record Credentials(String token) {
    }

    public static class Bean {
        public String name;

        public Bean() {
        }
    }

    public enum Color { RED, GREEN }

    public interface Shape {
    }

    public abstract static class AbstractPayload {
        public AbstractPayload() {
        }
    }

    public static class NoDefaultConstructor {
        public NoDefaultConstructor(int x) {
        }
    }

    /** Non-static on purpose: needs an enclosing instance. */
    public class InnerPayload {
        public InnerPayload() {
        }
    }

    // ---- valid gateways ----

    @Gateway("/chat")
    public static class ChatGateway {
        @OnEvent("send")
        @Emit("sent")
        public Message send(@Valid Message message, Peer peer) {
            return message;
        }

        @OnEvent("shout")
        @Broadcast("shouted")
        public Message shout(Peer peer, Message message) {
            return message;
        }

        @OnEvent("say")
        @Broadcast(value = "said", includeSender = false, roomFrom = "room")
        public RoomMessage say(RoomMessage message) {
            return message;
        }

        @OnEvent("ping")
        public void ping() {
        }

        @OnEvent("echo")
        JsonValue echo(JsonValue value) {
            return value;
        }

        @OnOpen
        void opened(Peer peer) {
        }

        @OnClose
        void closed(Peer peer, CloseStatus status) {
        }

        @OnClose
        void closedToo() {
        }

        public String helper(String a, String b) {
            return a + b;
        }
    }

    @Gateway(value = "/secure", auth = Auth.MESSAGE)
    public static class SecureGateway {
        @Authenticate
        Identity login(Credentials credentials, Peer peer) {
            return Identity.of(credentials.token());
        }

        @OnEvent("whoami")
        String whoami(Peer peer) {
            return peer.userId();
        }
    }

    @Gateway(value = "/rooms/{roomId}", name = "custom", maxMessageBytes = 1024, outboundQueue = 8,
            heartbeatTimeoutMs = 0, defaultRooms = {"lobby", "news"})
    public static class NamedGateway {
        @OnEvent("a.b:c/d-e_f")
        void event() {
        }
    }

    @Gateway("/")
    public static class RootGateway {
    }

    @Gateway("/bindable")
    public static class BindablePayloads {
        @OnEvent("record") void record(Message m) { }
        @OnEvent("bean") void bean(Bean b) { }
        @OnEvent("string") void string(String s) { }
        @OnEvent("int") void primitive(int i) { }
        @OnEvent("long") void boxed(Long l) { }
        @OnEvent("bool") void bool(boolean b) { }
        @OnEvent("list") void list(List<Message> l) { }
        @OnEvent("map") void map(Map<String, Integer> m) { }
        @OnEvent("optional") void optional(Optional<String> o) { }
        @OnEvent("enum") void color(Color c) { }
        @OnEvent("time") void time(Instant t) { }
        @OnEvent("bytes") void bytes(byte[] b) { }
        @OnEvent("array") void array(Bean[] b) { }
        @OnEvent("json") void json(JsonObject o) { }
        @OnEvent("object") void object(Object o) { }
    }

    // ---- invalid gateways ----

    @Gateway("chat")
    public static class NoLeadingSlash {
    }

    @Gateway("")
    public static class EmptyPath {
    }

    @Gateway("/chat/")
    public static class TrailingSlash {
    }

    @Gateway("/a//b")
    public static class EmptySegment {
    }

    @Gateway("/a b")
    public static class SpaceInPath {
    }

    @Gateway("/rooms/{1room}")
    public static class BadTemplate {
    }

    @Gateway("/rooms/{room")
    public static class UnclosedTemplate {
    }

    @Gateway("/a?b=1")
    public static class QueryInPath {
    }

    @Gateway("/dup")
    public static class DuplicateEvents {
        @OnEvent("x") void a() { }
        @OnEvent("x") void b(String s) { }
        @OnEvent("y") void c() { }
    }

    @Gateway("/reserved")
    public static class ReservedEvents {
        @OnEvent("authenticate") void r1() { }
        @OnEvent("connected") void r2() { }
        @OnEvent("join") void r3() { }
        @OnEvent("leave") void r4() { }
        @OnEvent("heartbeat") void r5() { }
        @OnEvent("error") void r6() { }
        @OnEvent("disconnect") void r7() { }
    }

    static final String EVENT_129 = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
            + "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
    static final String EVENT_128 = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
            + "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";

    @Gateway("/invalid-events")
    public static class InvalidEvents {
        @OnEvent("a b") void space() { }
        @OnEvent("") void empty() { }
        @OnEvent("caf\u00e9") void accent() { }
        @OnEvent("a,b") void comma() { }
        @OnEvent(EVENT_129) void tooLong() { }
        @OnEvent(EVENT_128) void longest() { }
        @OnEvent("ok") @Emit("bad reply") String badReply() { return ""; }
        @OnEvent("ok2") @Broadcast("bad\nbroadcast") String badBroadcast() { return ""; }
    }

    @Gateway("/not-invocable")
    public static class NotInvocable {
        @OnEvent("p") private void hidden() { }
        @OnEvent("s") static void shared() { }
    }

    @Gateway("/two-payloads")
    public static class TwoPayloads {
        @OnEvent("x") void two(String a, Peer peer, Message b) { }
    }

    @Gateway("/unbindable")
    public static class UnbindablePayloads {
        @OnEvent("iface") void iface(Shape s) { }
        @OnEvent("abstract") void abstractClass(AbstractPayload p) { }
        @OnEvent("noDefault") void noDefault(NoDefaultConstructor p) { }
        @OnEvent("inner") void inner(InnerPayload p) { }
        @OnEvent("listOfIface") void listOfIface(List<Shape> p) { }
        @OnEvent("arrayOfIface") void arrayOfIface(Shape[] p) { }
    }

    @Gateway("/generic")
    public static class GenericGateway<T> {
        @OnEvent("t") void typeVariable(T t) { }
        @OnEvent("w") void wildcard(List<? extends Message> w) { }
    }

    @Gateway("/replies")
    public static class ReplyProblems {
        @OnEvent("both") @Emit("a") @Broadcast("b") String both() { return ""; }
        @Emit("orphan") String emitWithoutHandler() { return ""; }
        @Broadcast("orphan") String broadcastWithoutHandler() { return ""; }
        @OnEvent("voidEmit") @Emit("r") void voidEmit() { }
        @OnEvent("voidBroadcast") @Broadcast("r") void voidBroadcast() { }
        @OnEvent("boxedVoid") @Emit("r") Void boxedVoid() { return null; }
        @OnEvent("roomWithoutPayload") @Broadcast(value = "r", roomFrom = "room") String roomWithoutPayload() { return ""; }
    }

    @Gateway(value = "/auth-missing", auth = Auth.HANDSHAKE)
    public static class MissingAuthenticator {
    }

    @Gateway(value = "/auth-by-bean", auth = Auth.MESSAGE)
    public static class AuthenticatedByABean {
    }

    @Gateway("/auth-misplaced")
    public static class MisplacedAuthenticator {
        @Authenticate Identity login(Credentials c) { return null; }
    }

    @Gateway(value = "/auth-handshake", auth = Auth.HANDSHAKE)
    public static class CredentialsOnHandshakeGateway {
        @Authenticate Identity login(Credentials c) { return null; }
    }

    @Gateway(value = "/handshake", auth = Auth.HANDSHAKE)
    public static class HandshakeGateway {
        @Authenticate Identity check(HandshakeRequest request) { return null; }
    }

    @Gateway(value = "/handshake-missing", auth = Auth.HANDSHAKE)
    public static class MissingHandshakeAuthenticator {
    }

    @Gateway(value = "/auth-string", auth = Auth.MESSAGE)
    public static class StringAuthenticator {
        @Authenticate String login(Credentials c) { return "user"; }
    }

    @Gateway(value = "/auth-two", auth = Auth.MESSAGE)
    public static class TwoAuthenticators {
        @Authenticate Identity a(Credentials c) { return null; }
        @Authenticate Identity b(Credentials c) { return null; }
    }

    @Gateway(value = "/auth-bad-params", auth = Auth.MESSAGE)
    public static class AuthenticatorWithBadParameters {
        @Authenticate Identity login(Credentials c, Shape extra) { return null; }
    }

    @Gateway("/callbacks")
    public static class BadCallbacks {
        @OnOpen void openWithString(String s) { }
        @OnOpen void openWithCloseStatus(CloseStatus s) { }
        @OnClose void closeWithInt(Peer p, int code) { }
        @OnOpen private void privateOpen() { }
    }

    @Gateway("/final")
    public static final class FinalGateway {
    }

    @Gateway("/inner")
    public class InnerGateway {
    }

    @Gateway(value = "/bad-config", outboundQueue = 0)
    public static class BadConfiguration {
    }

    @Gateway(value = "/bad-room", defaultRooms = {"ok", ""})
    public static class BadDefaultRoom {
    }

    @Gateway(value = "/present", presence = io.wiregate.Presence.TRACKED)
    public static class PresenceHandler {
        @OnEvent("presence") void presence() { }
    }

    @Gateway(value = "/sealed-handshake", auth = io.wiregate.Auth.HANDSHAKE, encryption = true)
    public static class SealedWithoutInBandAuth {
        @io.wiregate.Authenticate io.wiregate.Identity auth(io.wiregate.HandshakeRequest r) { return null; }
    }

    @Gateway("/absent")
    public static class PresenceHandlerWithoutPresence {
        @OnEvent("presence") void presence() { }
    }

    @Gateway("/many")
    public static class ThreeProblems {
        @OnEvent("x") void a() { }
        @OnEvent("x") void b() { }
        @OnEvent("join") void c() { }
        @OnEvent("y") private void d() { }
    }

    @Gateway("bad path")
    public static final class EverythingWrong {
        @OnEvent("heartbeat") void reserved() { }
        @OnEvent("a b") void invalid() { }
        @OnEvent("s") static void shared() { }
        @OnEvent("two") void two(String a, String b) { }
        @OnEvent("iface") void iface(Shape s) { }
        @OnEvent("both") @Emit("a") @Broadcast("b") String both() { return ""; }
        @Emit("orphan") String orphan() { return ""; }
        @OnEvent("v") @Emit("r") void voidEmit() { }
        @Authenticate Identity auth(Credentials c) { return null; }
        @OnOpen void open(String s) { }
    }

    @Gateway("/dup-private")
    public static class DuplicateEventWithPrivateHandler {
        @OnEvent("x") void a() { }
        @OnEvent("x") private void b() { }
    }

    public static class NotAGateway {
    }

    public static class BaseGateway {
        @OnEvent("inherited") void inherited() { }
    }

    @Gateway("/derived")
    public static class DerivedGateway extends BaseGateway {
        @OnEvent("own") void own() { }
    }

    // ---- helpers ----

    private static GatewayModelBuilder.Result build(Class<?> type) {
        GatewayModelBuilder.Result result = new GatewayModelBuilder().build(type);
        assertThat(result.problems()).allSatisfy(p -> assertThat(p).matches("(?s)WG-00(0[1-9]|1[0-9]|2[0-3]) .+"));
        return result;
    }

    private static List<String> problemsOf(Class<?> type) {
        GatewayModelBuilder.Result result = build(type);
        assertThat(result.model()).as("model of a gateway with problems").isNull();
        return result.problems();
    }

    private static GatewayModel modelOf(Class<?> type) {
        GatewayModelBuilder.Result result = build(type);
        assertThat(result.problems()).isEmpty();
        assertThat(result.model()).isNotNull();
        return result.model();
    }

    private static void assertOnlyProblem(Class<?> type, String id, String... fragments) {
        List<String> problems = problemsOf(type);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith(id + " ").contains(fragments);
    }

    private static List<String> withId(List<String> problems, String id) {
        return problems.stream().filter(p -> p.startsWith(id + " ")).toList();
    }

    // ---- valid models ----

    @Test
    void validGatewayYieldsAModelWithEveryHandlerAndCallback() {
        GatewayModel model = modelOf(ChatGateway.class);

        assertThat(model.beanClass()).isEqualTo(ChatGateway.class);
        assertThat(model.path()).isEqualTo("/chat");
        assertThat(model.name()).isEqualTo("chat");
        assertThat(model.auth()).isEqualTo(Auth.NONE);
        assertThat(model.handlers()).containsOnlyKeys("send", "shout", "say", "ping", "echo");
        assertThat(model.onOpen()).hasSize(1);
        assertThat(model.onOpen().get(0).params()).containsExactly(ParamKind.PEER);
        assertThat(model.onClose()).hasSize(2);
        assertThat(model.onClose()).anySatisfy(c -> {
            assertThat(c.method().getName()).isEqualTo("closed");
            assertThat(c.params()).containsExactly(ParamKind.PEER, ParamKind.CLOSE_STATUS);
        });
        assertThat(model.authenticator()).isNull();
        assertThat(model.displayName()).isEqualTo("ChatGateway");
    }

    @Test
    void emitHandlerRepliesToSenderWithItsEvent() {
        HandlerModel send = modelOf(ChatGateway.class).handlers().get("send");

        assertThat(send.event()).isEqualTo("send");
        assertThat(send.method().getName()).isEqualTo("send");
        assertThat(send.reply()).isEqualTo(new Reply.ToSender("sent"));
        assertThat(send.params()).containsExactly(ParamKind.PAYLOAD, ParamKind.PEER);
        assertThat(send.payloadType()).isEqualTo(Message.class);
        assertThat(send.validated()).isTrue();
        assertThat(send.returnsVoid()).isFalse();
    }

    @Test
    void broadcastHandlerGoesToTheWholeGatewayIncludingSenderByDefault() {
        HandlerModel shout = modelOf(ChatGateway.class).handlers().get("shout");

        assertThat(shout.reply()).isEqualTo(new Reply.Broadcast("shouted", true, ""));
        assertThat(((Reply.Broadcast) shout.reply()).toRoom()).isFalse();
        assertThat(shout.params()).containsExactly(ParamKind.PEER, ParamKind.PAYLOAD);
        assertThat(shout.validated()).isFalse();
    }

    @Test
    void broadcastWithRoomFromGoesToARoom() {
        Reply reply = modelOf(ChatGateway.class).handlers().get("say").reply();

        assertThat(reply).isEqualTo(new Reply.Broadcast("said", false, "room"));
        assertThat(((Reply.Broadcast) reply).toRoom()).isTrue();
    }

    @Test
    void handlerWithoutDeclarationAcksAndTakesNoPayloadWhenItHasNoParameter() {
        HandlerModel ping = modelOf(ChatGateway.class).handlers().get("ping");

        assertThat(ping.reply()).isInstanceOf(Reply.Ack.class);
        assertThat(ping.params()).isEmpty();
        assertThat(ping.payloadType()).isNull();
        assertThat(ping.returnsVoid()).isTrue();
    }

    @Test
    void packagePrivateHandlerReturningAValueAcksWithIt() {
        HandlerModel echo = modelOf(ChatGateway.class).handlers().get("echo");

        assertThat(echo.reply()).isInstanceOf(Reply.Ack.class);
        assertThat(echo.payloadType()).isEqualTo(JsonValue.class);
        assertThat(echo.returnsVoid()).isFalse();
    }

    @Test
    void messageGatewayHasItsAuthenticator() {
        GatewayModel model = modelOf(SecureGateway.class);

        assertThat(model.auth()).isEqualTo(Auth.MESSAGE);
        assertThat(model.authenticator()).isNotNull();
        assertThat(model.authenticator().method().getName()).isEqualTo("login");
        assertThat(model.authenticator().payloadType()).isEqualTo(Credentials.class);
        assertThat(model.authenticator().params()).containsExactly(ParamKind.PAYLOAD, ParamKind.PEER);
        assertThat(model.handlers().get("whoami").params()).containsExactly(ParamKind.PEER);
    }

    @Test
    void explicitNameAndLimitsAreTakenFromTheAnnotation() {
        GatewayModel model = modelOf(NamedGateway.class);

        assertThat(model.name()).isEqualTo("custom");
        assertThat(model.path()).isEqualTo("/rooms/{roomId}");
        assertThat(model.handlers()).containsOnlyKeys("a.b:c/d-e_f");
        assertThat(model.limits().maxMessageBytes()).isEqualTo(1024);
        assertThat(model.limits().outboundQueue()).isEqualTo(8);
        assertThat(model.limits().heartbeatTimeoutMs()).isZero();
        assertThat(model.limits().authTimeoutMs()).isEqualTo(GatewayLimits.DEFAULT_AUTH_TIMEOUT_MS);
        assertThat(model.limits().defaultRooms()).containsExactly("lobby", "news");
    }

    @Test
    void limitsDefaultToTheBuiltInValues() {
        GatewayLimits limits = modelOf(ChatGateway.class).limits();

        assertThat(limits.maxMessageBytes()).isEqualTo(GatewayLimits.DEFAULT_MAX_MESSAGE_BYTES);
        assertThat(limits.outboundQueue()).isEqualTo(GatewayLimits.DEFAULT_OUTBOUND_QUEUE);
        assertThat(limits.heartbeatTimeoutMs()).isEqualTo(GatewayLimits.DEFAULT_HEARTBEAT_TIMEOUT_MS);
        assertThat(limits.defaultRooms()).isEmpty();
    }

    @Test
    void rootPathIsValidAndNamedRoot() {
        GatewayModel model = modelOf(RootGateway.class);

        assertThat(model.path()).isEqualTo("/");
        assertThat(model.name()).isEqualTo("root");
        assertThat(model.handlers()).isEmpty();
    }

    @Test
    void everyKindOfBindablePayloadIsAccepted() {
        assertThat(modelOf(BindablePayloads.class).handlers()).hasSize(15);
    }

    @Test
    void handlersOfASuperclassAreIncluded() {
        assertThat(modelOf(DerivedGateway.class).handlers()).containsOnlyKeys("own", "inherited");
    }

    @Test
    void classWithoutGatewayAnnotationIsRefused() {
        assertThatThrownBy(() -> new GatewayModelBuilder().build(NotAGateway.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NotAGateway");
    }

    // ---- defaultName ----

    @Test
    void defaultNameDropsPathParameters() {
        assertThat(GatewayModelBuilder.defaultName("/rooms/{roomId}")).isEqualTo("rooms");
    }

    @Test
    void defaultNameOfRootIsRoot() {
        assertThat(GatewayModelBuilder.defaultName("/")).isEqualTo("root");
    }

    @Test
    void defaultNameTurnsSlashesIntoDots() {
        assertThat(GatewayModelBuilder.defaultName("/api/chat")).isEqualTo("api.chat");
        assertThat(GatewayModelBuilder.defaultName("/a/{b}/c")).isEqualTo("a.c");
    }

    @Test
    void defaultNameOfAPathOfParametersOnlyIsRoot() {
        assertThat(GatewayModelBuilder.defaultName("/{tenant}")).isEqualTo("root");
    }

    // ---- problems ----

    @ParameterizedTest
    @ValueSource(classes = {NoLeadingSlash.class, EmptyPath.class, TrailingSlash.class, EmptySegment.class,
            SpaceInPath.class, BadTemplate.class, UnclosedTemplate.class, QueryInPath.class})
    void invalidPathIsReportedWithTheClassAndThePath(Class<?> type) {
        String path = type.getAnnotation(Gateway.class).value();

        assertOnlyProblem(type, "WG-0001", type.getSimpleName(), "'" + path + "'");
    }

    @Test
    void duplicateEventIsReportedOnceNamingBothMethods() {
        assertOnlyProblem(DuplicateEvents.class, "WG-0003", "'x'", "DuplicateEvents#a", "DuplicateEvents#b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"authenticate", "connected", "join", "leave", "heartbeat", "error", "disconnect"})
    void eachReservedEventNameIsReported(String event) {
        List<String> problems = problemsOf(ReservedEvents.class);

        assertThat(problems).hasSize(7).allSatisfy(p -> assertThat(p).startsWith("WG-0004 "));
        assertThat(problems).filteredOn(p -> p.contains("Event '" + event + "' on ReservedEvents#r")).hasSize(1);
    }

    @Test
    void invalidEventNamesAreReportedForHandlersAndReplies() {
        List<String> problems = problemsOf(InvalidEvents.class);

        assertThat(problems).hasSize(7).allSatisfy(p -> assertThat(p).startsWith("WG-0005 "));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("'a b'", "InvalidEvents#space"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("''", "InvalidEvents#empty"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("InvalidEvents#accent"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("'a,b'", "InvalidEvents#comma"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("InvalidEvents#tooLong"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("Reply event 'bad reply'", "InvalidEvents#badReply"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("InvalidEvents#badBroadcast"));
        assertThat(problems).noneSatisfy(p -> assertThat(p).contains("InvalidEvents#longest"));
    }

    @Test
    void privateAndStaticHandlersAreReported() {
        List<String> problems = problemsOf(NotInvocable.class);

        assertThat(problems).hasSize(2).allSatisfy(p -> assertThat(p).startsWith("WG-0006 "));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("NotInvocable#hidden", "private"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("NotInvocable#shared", "static"));
    }

    @Test
    void twoPayloadParametersAreReported() {
        assertOnlyProblem(TwoPayloads.class, "WG-0007", "TwoPayloads#two");
    }

    @Test
    void unbindablePayloadTypesAreReportedWithTheirReason() {
        List<String> problems = problemsOf(UnbindablePayloads.class);

        assertThat(problems).hasSize(6).allSatisfy(p -> assertThat(p).startsWith("WG-0008 "));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("UnbindablePayloads#iface", "interface"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("UnbindablePayloads#abstractClass", "abstract"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("UnbindablePayloads#noDefault", "no-argument constructor"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("UnbindablePayloads#inner", "inner class"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("UnbindablePayloads#listOfIface", "interface"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("UnbindablePayloads#arrayOfIface", "interface"));
    }

    @Test
    void typeVariableAndWildcardPayloadsAreReported() {
        List<String> problems = problemsOf(GenericGateway.class);

        assertThat(problems).hasSize(2).allSatisfy(p -> assertThat(p).startsWith("WG-0008 ").contains("type variable"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("GenericGateway#typeVariable", "has type T,"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("GenericGateway#wildcard"));
    }

    @Test
    void replyDeclarationProblemsAreEachReported() {
        List<String> problems = problemsOf(ReplyProblems.class);

        assertThat(problems).hasSize(7);
        assertThat(withId(problems, "WG-0009")).singleElement().asString().contains("ReplyProblems#both");
        assertThat(withId(problems, "WG-0010")).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("ReplyProblems#emitWithoutHandler", "@Emit"))
                .anySatisfy(p -> assertThat(p).contains("ReplyProblems#broadcastWithoutHandler", "@Broadcast"));
        assertThat(withId(problems, "WG-0011")).hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("ReplyProblems#voidEmit", "@Emit"))
                .anySatisfy(p -> assertThat(p).contains("ReplyProblems#voidBroadcast", "@Broadcast"))
                .anySatisfy(p -> assertThat(p).contains("ReplyProblems#boxedVoid"));
        assertThat(withId(problems, "WG-0021")).singleElement().asString().contains("ReplyProblems#roomWithoutPayload");
    }

    @Test
    void handshakeAuthWithoutAuthenticatorIsReported() {
        assertOnlyProblem(MissingAuthenticator.class, "WG-0012", "MissingAuthenticator", "Auth.HANDSHAKE");
    }

    @Test
    void messageAuthWithoutAMethodIsLeftToAnAuthenticatorBean() {
        GatewayModelBuilder.Result result = new GatewayModelBuilder().build(AuthenticatedByABean.class);
        assertThat(result.problems()).isEmpty();
        assertThat(result.model().authenticator()).isNull();
    }

    @Test
    void authenticatorOnAGatewayWithoutMessageAuthIsReported() {
        assertOnlyProblem(MisplacedAuthenticator.class, "WG-0013", "MisplacedAuthenticator#login");
    }

    @Test
    void handshakeAuthenticatorTakingCredentialsIsReported() {
        assertOnlyProblem(CredentialsOnHandshakeGateway.class, "WG-0016", "CredentialsOnHandshakeGateway#login",
                "HandshakeRequest", "Credentials");
    }

    @Test
    void handshakeGatewayWithoutAuthenticatorIsReported() {
        assertOnlyProblem(MissingHandshakeAuthenticator.class, "WG-0012", "MissingHandshakeAuthenticator", "Auth.HANDSHAKE");
    }

    @Test
    void handshakeAuthenticatorTakesTheHandshakeRequest() {
        GatewayModel model = modelOf(HandshakeGateway.class);

        assertThat(model.auth()).isEqualTo(Auth.HANDSHAKE);
        assertThat(model.authenticator().method().getName()).isEqualTo("check");
        assertThat(model.authenticator().params()).containsExactly(ParamKind.HANDSHAKE);
        assertThat(model.authenticator().payloadType()).isNull();
    }

    @Test
    void twoAuthenticatorsAreReported() {
        assertOnlyProblem(TwoAuthenticators.class, "WG-0014", "TwoAuthenticators#a", "TwoAuthenticators#b");
    }

    @Test
    void authenticatorReturningStringIsReported() {
        assertOnlyProblem(StringAuthenticator.class, "WG-0015", "StringAuthenticator#login", "java.lang.String");
    }

    @Test
    void authenticatorWithAnUnbindableSecondPayloadIsReported() {
        assertOnlyProblem(AuthenticatorWithBadParameters.class, "WG-0007", "AuthenticatorWithBadParameters#login");
    }

    @Test
    void callbackParametersThatCannotBeSuppliedAreReported() {
        List<String> problems = problemsOf(BadCallbacks.class);

        assertThat(withId(problems, "WG-0016")).hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("java.lang.String", "@OnOpen", "BadCallbacks#openWithString"))
                .anySatisfy(p -> assertThat(p).contains("CloseStatus", "@OnOpen", "BadCallbacks#openWithCloseStatus"))
                .anySatisfy(p -> assertThat(p).contains("int", "@OnClose", "BadCallbacks#closeWithInt"));
        assertThat(withId(problems, "WG-0006")).singleElement().asString().contains("BadCallbacks#privateOpen");
        assertThat(problems).hasSize(4);
    }

    @Test
    void finalGatewayClassIsReported() {
        assertOnlyProblem(FinalGateway.class, "WG-0017", "FinalGateway", "final");
    }

    @Test
    void innerGatewayClassIsReported() {
        assertOnlyProblem(InnerGateway.class, "WG-0017", "InnerGateway", "inner");
    }

    @Test
    void outOfRangeLimitIsAConfigurationProblem() {
        assertOnlyProblem(BadConfiguration.class, "WG-0019", "BadConfiguration", "outbound-queue");
    }

    @Test
    void encryptionNeedsInBandAuthentication() {
        assertOnlyProblem(SealedWithoutInBandAuth.class, "WG-0023", "SealedWithoutInBandAuth", "Auth.HANDSHAKE",
                "Auth.MESSAGE");
    }

    @Test
    void aPresenceHandlerIsReservedOnlyOnAGatewayWithPresence() {
        assertOnlyProblem(PresenceHandler.class, "WG-0022", "'presence'", "PresenceHandler#presence", "turn presence off");
        assertThat(build(PresenceHandlerWithoutPresence.class).model().handlers()).containsKey("presence");
    }

    @Test
    void invalidDefaultRoomIsAConfigurationProblem() {
        assertOnlyProblem(BadDefaultRoom.class, "WG-0019", "BadDefaultRoom", "default room");
    }

    @Test
    void duplicateEventReservedEventAndPrivateHandlerAreReportedTogether() {
        List<String> problems = problemsOf(ThreeProblems.class);

        assertThat(problems).hasSize(3);
        assertThat(withId(problems, "WG-0003")).singleElement().asString().contains("ThreeProblems#a", "ThreeProblems#b");
        assertThat(withId(problems, "WG-0004")).singleElement().asString().contains("ThreeProblems#c", "'join'");
        assertThat(withId(problems, "WG-0006")).singleElement().asString().contains("ThreeProblems#d");
    }

    @Test
    void everyProblemOfAClassIsReportedAtOnce() {
        List<String> problems = problemsOf(EverythingWrong.class);

        assertThat(problems).extracting(p -> p.substring(0, 7)).containsExactlyInAnyOrder(
                "WG-0017", "WG-0001", "WG-0004", "WG-0005", "WG-0006", "WG-0007", "WG-0008", "WG-0009", "WG-0010",
                "WG-0011", "WG-0013", "WG-0016");
    }

    @Test
    void problemsAreReportedInTheSameOrderOnEveryBuild() {
        assertThat(build(EverythingWrong.class).problems()).isEqualTo(build(EverythingWrong.class).problems());
    }

    @Test
    void duplicateEventIsReportedEvenWhenOneOfItsHandlersHasAnotherProblem() {
        List<String> problems = problemsOf(DuplicateEventWithPrivateHandler.class);

        assertThat(withId(problems, "WG-0006")).singleElement().asString().contains("DuplicateEventWithPrivateHandler#b");
        assertThat(withId(problems, "WG-0003")).singleElement().asString()
                .contains("'x'", "DuplicateEventWithPrivateHandler#a", "DuplicateEventWithPrivateHandler#b");
    }
}
