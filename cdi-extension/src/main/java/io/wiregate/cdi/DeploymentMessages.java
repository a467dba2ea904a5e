package io.wiregate.cdi;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Collection;

/**
 * The catalogue of deployment problems: the one place every {@code WG-nnnn} id is written. Every message has a
 * stable id users can search for, says where ({@code Class#method}, or the classes, web application or cause
 * involved when no user method is), what is wrong, and how to fix it. {@code docs/deployment-errors.md} lists them.
 *
 * <p>{@code WG-00xx}: problems of the gateway classes, found while CDI validates the deployment and reported all at
 * once. {@code WG-01xx}: problems found while Wiregate starts after a valid deployment (its runtime, the cluster bus,
 * the servlet container's WebSocket container).
 *
 * <p>Every non-private static method returning {@code String} is a message; {@code DeploymentMessagesTest} calls
 * each of them to check that its id is well-formed and unique, and that no id is written outside this class.
 */
public final class DeploymentMessages {

    private DeploymentMessages() {
    }

    /** A user-supplied name, printable on one line whatever it holds. */
    private static String printable(String name) {
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    private static String where(Class<?> type) {
        return type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
    }

    private static String where(Method m) {
        return where(m.getDeclaringClass()) + "#" + m.getName();
    }

    static String invalidPath(Class<?> type, String path, String why) {
        return "WG-0001 Gateway path '" + path + "' on " + where(type) + " is not valid: " + why
                + ". Declare a path such as \"/chat\" or \"/rooms/{roomId}\".";
    }

    /** Two gateways on one path. */
    static String duplicatePath(Class<?> first, Class<?> second, String path) {
        return "WG-0002 Gateways " + where(first) + " and " + where(second) + " both declare path '" + path
                + "': each path has one gateway. Change the path of one of them.";
    }

    static String duplicateEvent(String event, Method first, Method second) {
        return "WG-0003 Duplicate event '" + event + "' on " + where(first) + " and " + where(second)
                + ": each event of a gateway has one handler. Rename one of them.";
    }

    static String reservedEvent(String event, Method m) {
        return "WG-0004 Event '" + event + "' on " + where(m) + " is a reserved system event (authenticate, connected,"
                + " join, leave, heartbeat, error, disconnect): Wiregate handles it. Choose another event name.";
    }

    static String reservedPresenceEvent(Method m) {
        return "WG-0022 Event 'presence' on " + where(m) + " is a reserved system event on a gateway with presence"
                + " (docs/protocol.md section 11): Wiregate answers it. Choose another event name, or turn presence off.";
    }

    static String encryptionWithoutInBandAuth(Class<?> type, io.wiregate.Auth auth) {
        return "WG-0023 Gateway " + type.getName() + " requires encryption but authenticates with Auth." + auth
                + ": the encryption handshake rides on the authenticate event (docs/protocol.md section 12)."
                + " Use @Gateway(auth = Auth.MESSAGE), or turn encryption off.";
    }

    static String invalidEvent(String event, Method m, String what) {
        return "WG-0005 " + what + " '" + printable(event) + "' on " + where(m) + " is not a valid event name: it must be 1 to 128"
                + " characters of [A-Za-z0-9_.:/-]. Rename it.";
    }

    static String notInvocable(Method m, String why) {
        return "WG-0006 Method " + where(m) + " cannot be called by Wiregate: it is " + why
                + ". Make it a non-static method that is not private.";
    }

    static String tooManyPayloads(Method m) {
        return "WG-0007 Handler " + where(m) + " has more than one payload parameter: a frame carries one payload."
                + " Keep one payload parameter (and optionally a Peer), or wrap the values in one record.";
    }

    static String unbindable(Method m, Type type, String why) {
        return "WG-0008 Payload parameter of " + where(m) + " has type " + type.getTypeName() + ", which JSON-B cannot"
                + " bind: " + why + ". Use a record, a class with a public no-argument constructor, a collection,"
                + " a JsonValue or a simple type.";
    }

    static String conflictingReply(Method m) {
        return "WG-0009 Handler " + where(m) + " declares both @Emit and @Broadcast: a return value goes to one place."
                + " Keep one of them, and send the other delivery through an injected Broadcaster.";
    }

    static String replyWithoutHandler(Method m, String annotation) {
        return "WG-0010 Method " + where(m) + " carries @" + annotation + " but no @OnEvent: only event handlers have a"
                + " return value to route. Add @OnEvent(\"...\") or remove @" + annotation + ".";
    }

    static String voidReply(Method m, String annotation) {
        return "WG-0011 Handler " + where(m) + " carries @" + annotation + " but returns void: there is nothing to send."
                + " Return the payload to deliver, or remove @" + annotation + ".";
    }

    /** An authenticating gateway without an authenticator. */
    static String missingAuthenticator(Class<?> type, io.wiregate.Auth auth) {
        return "WG-0012 Gateway " + where(type) + " uses auth = Auth." + auth + " but declares no @Authenticate method."
                + (auth == io.wiregate.Auth.HANDSHAKE
                ? " Add a method annotated @Authenticate that takes a HandshakeRequest and returns an Identity (null refuses)."
                : " Add a method annotated @Authenticate that takes the credentials and returns an Identity (null refuses),"
                + " or an io.wiregate.Authenticator bean.");
    }

    static String misplacedAuthenticator(Method m) {
        return "WG-0013 Method " + where(m) + " carries @Authenticate but its gateway uses auth = Auth.NONE."
                + " Set auth = Auth.MESSAGE or Auth.HANDSHAKE on @Gateway, or remove @Authenticate.";
    }

    static String duplicateAuthenticator(Method first, Method second) {
        return "WG-0014 Methods " + where(first) + " and " + where(second) + " both carry @Authenticate: a gateway has"
                + " one authenticator. Remove one of them.";
    }

    static String authenticatorReturn(Method m) {
        return "WG-0015 Authenticator " + where(m) + " returns " + m.getGenericReturnType().getTypeName()
                + ": it must return io.wiregate.Identity (null refuses). Change its return type.";
    }

    static String badCallbackParameter(Method m, Type type, String annotation, String allowed) {
        return "WG-0016 Parameter of type " + type.getTypeName() + " of @" + annotation + " method " + where(m)
                + " cannot be supplied: allowed are " + allowed + ". Remove the parameter.";
    }

    static String notProxyable(Class<?> type, String why) {
        return "WG-0017 Gateway " + where(type) + " cannot be an application-scoped bean: it is " + why
                + ". Make it a top-level or static nested, non-final class.";
    }

    /** A {@code Broadcaster<X>} injection point whose X is not a gateway. */
    static String broadcasterOfNonGateway(String injectionPoint, Type argument) {
        return "WG-0018 Injection point " + injectionPoint + " asks for Broadcaster<" + argument.getTypeName()
                + ">, but " + argument.getTypeName() + " is not a @Gateway class."
                + " Use Broadcaster<YourGateway> with a class annotated @Gateway.";
    }

    static String badConfiguration(Class<?> type, String message) {
        return "WG-0019 Gateway " + where(type) + ": " + message + ". Fix the annotation value or the configuration.";
    }

    /** Two gateways resolve to one configuration name. */
    static String duplicateName(Class<?> first, Class<?> second, String name) {
        return "WG-0020 Gateways " + where(first) + " and " + where(second) + " share the configuration name '" + name
                + "'. Give one of them @Gateway(name = \"...\").";
    }

    static String invalidRoomSource(Method m) {
        return "WG-0021 Handler " + where(m) + " routes to a room named by a payload property but takes no payload."
                + " Add the payload parameter, or remove roomFrom.";
    }

    /** Wiregate's runtime could not be built although CDI validated the deployment. */
    static String startFailed(Throwable cause) {
        return "WG-0100 Wiregate could not start: " + describe(cause)
                + ". Check the JSON-B, Bean Validation and cluster bus configuration.";
    }

    /** Several {@code @Default} cluster buses and none selected; {@code beanClasses} names them. */
    static String ambiguousClusterBus(Collection<String> beanClasses) {
        return "WG-0101 More than one ClusterBus bean is deployed (" + beanClasses + "): a node uses one bus."
                + " Remove all but one, or mark one @Alternative @Priority(...) to select it.";
    }

    /** The servlet container's WebSocket container refused a gateway's endpoint. */
    public static String endpointRefused(String contextPath, Throwable cause) {
        return "WG-0102 Wiregate could not register its gateways in the web application '" + contextPath + "': "
                + describe(cause) + ". Give the gateway a path no other WebSocket endpoint of the application uses"
                + " (wiregate.path-prefix applies to every gateway).";
    }

    /** A web application with gateways but without the servlet container's WebSocket container. */
    public static String noWebSocketContainer(String contextPath, String attribute) {
        return "WG-0103 The web application '" + contextPath + "' declares gateways but has no Jakarta WebSocket"
                + " container (servlet context attribute " + attribute + " is not set). Enable the server's WebSocket"
                + " support (for example the websocket-2.1 feature on Open Liberty).";
    }

    /** A cause's message, or its class when it has none. */
    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getName() : message;
    }
}
