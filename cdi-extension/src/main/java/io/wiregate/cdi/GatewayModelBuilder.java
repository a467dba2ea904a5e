package io.wiregate.cdi;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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
import io.wiregate.protocol.EventNames;

/**
 * Builds the {@link GatewayModel} of one {@link Gateway} class by reflection, collecting every problem it
 * finds instead of stopping at the first. Needs no container, so it is unit-tested directly.
 */
final class GatewayModelBuilder {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@-]+|\\{[A-Za-z_][A-Za-z0-9_]*}");

    /** The outcome: a model when {@code problems} is empty. */
    public record Result(GatewayModel model, List<String> problems) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    /** Builds the model of a class annotated {@link Gateway}. */
    public Result build(Class<?> type) {
        Gateway gateway = type.getAnnotation(Gateway.class);
        if (gateway == null) {
            throw new IllegalArgumentException(type.getName() + " is not annotated @Gateway");
        }
        List<String> problems = new ArrayList<>();
        checkProxyable(type, problems);
        String path = gateway.value();
        checkPath(type, path, problems);
        String name = gateway.name().isEmpty() ? defaultName(path) : gateway.name();

        Map<String, HandlerModel> handlers = new LinkedHashMap<>();
        Map<String, Method> handlerOfEvent = new LinkedHashMap<>();
        List<CallbackModel> onOpen = new ArrayList<>();
        List<CallbackModel> onClose = new ArrayList<>();
        CallbackModel authenticator = null;
        for (Method m : methodsOf(type)) {
            if (m.isAnnotationPresent(OnEvent.class)) {
                String event = m.getAnnotation(OnEvent.class).value();
                Method previous = handlerOfEvent.putIfAbsent(event, m);
                if (previous != null) {
                    problems.add(DeploymentMessages.duplicateEvent(event, previous, m));
                }
                HandlerModel h = handler(m, problems);
                if (h != null && previous == null) {
                    handlers.put(h.event(), h);
                }
            } else {
                if (m.isAnnotationPresent(Emit.class)) {
                    problems.add(DeploymentMessages.replyWithoutHandler(m, "Emit"));
                }
                if (m.isAnnotationPresent(Broadcast.class)) {
                    problems.add(DeploymentMessages.replyWithoutHandler(m, "Broadcast"));
                }
            }
            if (m.isAnnotationPresent(OnOpen.class)) {
                onOpen.add(callback(m, "OnOpen", problems));
            }
            if (m.isAnnotationPresent(OnClose.class)) {
                onClose.add(callback(m, "OnClose", problems));
            }
            if (m.isAnnotationPresent(Authenticate.class)) {
                if (gateway.auth() == Auth.NONE) {
                    problems.add(DeploymentMessages.misplacedAuthenticator(m));
                } else if (authenticator != null) {
                    problems.add(DeploymentMessages.duplicateAuthenticator(authenticator.method(), m));
                } else {
                    authenticator = authenticator(m, gateway.auth(), problems);
                }
            }
        }
        // Auth.MESSAGE may use an Authenticator bean instead: checked once beans are known (Wiregate.start).
        if (gateway.auth() == Auth.HANDSHAKE && authenticator == null
                && methodsOf(type).stream().noneMatch(m -> m.isAnnotationPresent(Authenticate.class))) {
            problems.add(DeploymentMessages.missingAuthenticator(type, gateway.auth()));
        }
        GatewayLimits limits = null;
        try {
            limits = GatewayLimits.resolve(name, gateway);
            limits.defaultRooms().stream().filter(r -> !EventNames.isValidRoom(r)).forEach(r -> problems.add(
                    DeploymentMessages.badConfiguration(type, "default room '" + r + "' is not a valid room name")));
        } catch (IllegalArgumentException e) {
            problems.add(DeploymentMessages.badConfiguration(type, e.getMessage()));
        }
        if (limits != null && limits.encryption() && gateway.auth() != Auth.MESSAGE) {
            problems.add(DeploymentMessages.encryptionWithoutInBandAuth(type, gateway.auth()));
        }
        if (limits != null && limits.presence() != io.wiregate.Presence.OFF && handlers.containsKey("presence")) {
            problems.add(DeploymentMessages.reservedPresenceEvent(handlers.get("presence").method()));
        }
        if (!problems.isEmpty()) {
            return new Result(null, problems);
        }
        return new Result(new GatewayModel(type, path, name, gateway.auth(), limits, handlers, onOpen, onClose,
                authenticator), problems);
    }

    /** The configuration name of a path: {@code /rooms/{roomId}} is {@code rooms}, {@code /} is {@code root}. */
    public static String defaultName(String path) {
        StringBuilder b = new StringBuilder();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty() && !segment.startsWith("{")) {
                b.append(b.length() == 0 ? "" : ".").append(segment);
            }
        }
        return b.length() == 0 ? "root" : b.toString();
    }

    private static void checkProxyable(Class<?> type, List<String> problems) {
        if (Modifier.isFinal(type.getModifiers())) {
            problems.add(DeploymentMessages.notProxyable(type, "final"));
        } else if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            problems.add(DeploymentMessages.notProxyable(type, "an inner (non-static) class"));
        } else if (type.isLocalClass() || type.isAnonymousClass()) {
            problems.add(DeploymentMessages.notProxyable(type, "a local or anonymous class"));
        }
    }

    private static void checkPath(Class<?> type, String path, List<String> problems) {
        if (!path.startsWith("/")) {
            problems.add(DeploymentMessages.invalidPath(type, path, "it must start with '/'"));
            return;
        }
        if (path.equals("/")) {
            return;
        }
        String[] segments = path.substring(1).split("/", -1);
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches()) {
                problems.add(DeploymentMessages.invalidPath(type, path, "segment '" + segment
                        + "' is empty or holds characters a path cannot carry"));
                return;
            }
        }
    }

    private static List<Method> methodsOf(Class<?> type) {
        List<Method> methods = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (!m.isBridge() && !m.isSynthetic() && methods.stream().noneMatch(seen -> overrides(seen, m))) {
                    methods.add(m);
                }
            }
        }
        methods.sort(Comparator.comparing(Method::getName).thenComparing(Method::toGenericString));
        return methods;
    }

    private static boolean overrides(Method sub, Method sup) {
        return sub.getName().equals(sup.getName()) && java.util.Arrays.equals(sub.getParameterTypes(), sup.getParameterTypes());
    }

    private static void checkInvocable(Method m, List<String> problems) {
        if (Modifier.isStatic(m.getModifiers())) {
            problems.add(DeploymentMessages.notInvocable(m, "static"));
        } else if (Modifier.isPrivate(m.getModifiers())) {
            problems.add(DeploymentMessages.notInvocable(m, "private, so CDI interceptors could not apply"));
        } else {
            m.setAccessible(true);
        }
    }

    private HandlerModel handler(Method m, List<String> problems) {
        String event = m.getAnnotation(OnEvent.class).value();
        int before = problems.size();
        if (EventNames.RESERVED.contains(event)) {
            problems.add(DeploymentMessages.reservedEvent(event, m));
        } else if (!EventNames.isValidEvent(event)) {
            problems.add(DeploymentMessages.invalidEvent(event, m, "Event"));
        }
        checkInvocable(m, problems);
        List<ParamKind> params = new ArrayList<>();
        Type payloadType = null;
        boolean validated = false;
        for (Parameter p : m.getParameters()) {
            if (p.getType() == Peer.class) {
                params.add(ParamKind.PEER);
            } else if (payloadType != null) {
                if (!problems.contains(DeploymentMessages.tooManyPayloads(m))) {
                    problems.add(DeploymentMessages.tooManyPayloads(m));
                }
            } else {
                payloadType = p.getParameterizedType();
                bindabilityProblem(payloadType).ifPresent(why -> problems.add(DeploymentMessages.unbindable(m, p.getParameterizedType(), why)));
                validated = isValidated(p);
                params.add(ParamKind.PAYLOAD);
            }
        }
        Emit emit = m.getAnnotation(Emit.class);
        Broadcast broadcast = m.getAnnotation(Broadcast.class);
        boolean returnsVoid = m.getReturnType() == void.class || m.getReturnType() == Void.class;
        Reply reply = new Reply.Ack();
        if (emit != null && broadcast != null) {
            problems.add(DeploymentMessages.conflictingReply(m));
        } else if (emit != null) {
            checkReplyEvent(emit.value(), m, problems);
            if (returnsVoid) {
                problems.add(DeploymentMessages.voidReply(m, "Emit"));
            }
            reply = new Reply.ToSender(emit.value());
        } else if (broadcast != null) {
            checkReplyEvent(broadcast.value(), m, problems);
            if (returnsVoid) {
                problems.add(DeploymentMessages.voidReply(m, "Broadcast"));
            }
            if (!broadcast.roomFrom().isEmpty() && payloadType == null) {
                problems.add(DeploymentMessages.invalidRoomSource(m));
            }
            reply = new Reply.Broadcast(broadcast.value(), broadcast.includeSender(), broadcast.roomFrom());
        }
        return problems.size() > before ? null : new HandlerModel(event, m, params, payloadType, validated, reply);
    }

    private static void checkReplyEvent(String event, Method m, List<String> problems) {
        if (!EventNames.isValidEvent(event)) {
            problems.add(DeploymentMessages.invalidEvent(event, m, "Reply event"));
        }
    }

    private CallbackModel callback(Method m, String annotation, List<String> problems) {
        checkInvocable(m, problems);
        List<ParamKind> params = new ArrayList<>();
        for (Parameter p : m.getParameters()) {
            if (p.getType() == Peer.class) {
                params.add(ParamKind.PEER);
            } else if (p.getType() == CloseStatus.class && annotation.equals("OnClose")) {
                params.add(ParamKind.CLOSE_STATUS);
            } else {
                problems.add(DeploymentMessages.badCallbackParameter(m, p.getParameterizedType(), annotation,
                        annotation.equals("OnClose") ? "Peer and CloseStatus" : "Peer"));
            }
        }
        return new CallbackModel(m, params, null);
    }

    private CallbackModel authenticator(Method m, Auth auth, List<String> problems) {
        checkInvocable(m, problems);
        if (m.getReturnType() != Identity.class) {
            problems.add(DeploymentMessages.authenticatorReturn(m));
        }
        List<ParamKind> params = new ArrayList<>();
        Type payloadType = null;
        if (auth == Auth.HANDSHAKE) {
            for (Parameter p : m.getParameters()) {
                if (p.getType() == HandshakeRequest.class) {
                    params.add(ParamKind.HANDSHAKE);
                } else {
                    problems.add(DeploymentMessages.badCallbackParameter(m, p.getParameterizedType(), "Authenticate",
                            "HandshakeRequest (the gateway uses Auth.HANDSHAKE)"));
                }
            }
            return new CallbackModel(m, params, null);
        }
        for (Parameter p : m.getParameters()) {
            if (p.getType() == Peer.class) {
                params.add(ParamKind.PEER);
            } else if (payloadType != null) {
                problems.add(DeploymentMessages.tooManyPayloads(m));
            } else {
                payloadType = p.getParameterizedType();
                bindabilityProblem(payloadType).ifPresent(why -> problems.add(DeploymentMessages.unbindable(m, p.getParameterizedType(), why)));
                params.add(ParamKind.PAYLOAD);
            }
        }
        return new CallbackModel(m, params, payloadType);
    }

    private static boolean isValidated(Parameter p) {
        for (Annotation a : p.getAnnotations()) {
            String name = a.annotationType().getName();
            if (name.equals("jakarta.validation.Valid")
                    || a.annotationType().isAnnotationPresent(jakarta.validation.Constraint.class)) {
                return true;
            }
        }
        return false;
    }

    /** Why JSON-B could not bind a JSON value to {@code type}, if it could not. */
    static Optional<String> bindabilityProblem(Type type) {
        if (type instanceof TypeVariable<?> || type instanceof WildcardType) {
            return Optional.of("it is a type variable, which has no runtime type");
        }
        if (type instanceof GenericArrayType array) {
            return bindabilityProblem(array.getGenericComponentType());
        }
        if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                Optional<String> problem = bindabilityProblem(argument);
                if (problem.isPresent()) {
                    return problem;
                }
            }
            return bindabilityProblem(parameterized.getRawType());
        }
        if (!(type instanceof Class<?> c)) {
            return Optional.of("its kind of type is not supported");
        }
        if (c.isPrimitive() || c.isArray() || c.isEnum() || c.isRecord() || c == String.class || c == Object.class
                || Number.class.isAssignableFrom(c) || c == Boolean.class || c == Character.class
                || jakarta.json.JsonValue.class.isAssignableFrom(c) || Collection.class.isAssignableFrom(c)
                || Map.class.isAssignableFrom(c) || c == Optional.class || c.getName().startsWith("java.time.")) {
            return c.isArray() ? bindabilityProblem(c.getComponentType()) : Optional.empty();
        }
        if (c.isInterface()) {
            return Optional.of("it is an interface, which JSON-B cannot instantiate");
        }
        if (Modifier.isAbstract(c.getModifiers())) {
            return Optional.of("it is abstract, so JSON-B cannot instantiate it");
        }
        if (c.isMemberClass() && !Modifier.isStatic(c.getModifiers())) {
            return Optional.of("it is an inner class, which needs an enclosing instance");
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            boolean visible = Modifier.isPublic(k.getModifiers()) || Modifier.isProtected(k.getModifiers());
            if ((k.getParameterCount() == 0 && visible) || k.isAnnotationPresent(jakarta.json.bind.annotation.JsonbCreator.class)) {
                return Optional.empty();
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && m.isAnnotationPresent(jakarta.json.bind.annotation.JsonbCreator.class)) {
                return Optional.empty();
            }
        }
        return Optional.of("it has no public or protected no-argument constructor and no @JsonbCreator");
    }
}
