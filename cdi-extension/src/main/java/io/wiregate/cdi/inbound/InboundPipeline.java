package io.wiregate.cdi.inbound;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.validation.ConstraintViolationException;

import io.wiregate.Auth;
import io.wiregate.ForbiddenException;
import io.wiregate.Identity;
import io.wiregate.PacketInterceptor;
import io.wiregate.RoomGuard;
import io.wiregate.cdi.delivery.Deliveries;
import io.wiregate.cdi.model.CallbackModel;
import io.wiregate.cdi.model.GatewayModel;
import io.wiregate.cdi.model.HandlerModel;
import io.wiregate.cdi.model.ParamKind;
import io.wiregate.cdi.model.Reply;
import io.wiregate.cdi.runtime.Interceptors;
import io.wiregate.cdi.session.ClientRegistry;
import io.wiregate.cdi.session.Connection;
import io.wiregate.protocol.CloseCodes;
import io.wiregate.protocol.Envelope;
import io.wiregate.protocol.EnvelopeParser;
import io.wiregate.protocol.ErrorCode;
import io.wiregate.protocol.EventNames;
import io.wiregate.protocol.Frames;
import io.wiregate.protocol.Violation;
import io.wiregate.spi.Delivery;

/**
 * The life of one inbound frame, top to bottom: parse, system events, authentication state, dispatch
 * (bind, validate, invoke), and routing of the result. Every frame with an id is answered exactly once;
 * nothing a handler throws reaches the client beyond the {@code internal} code. One instance per gateway;
 * thread-safe (frames of one connection arrive one at a time, frames of different connections concurrently).
 */
public final class InboundPipeline {

    private static final Logger LOG = Logger.getLogger(InboundPipeline.class.getName());
    /** Most rooms one {@code join} or {@code leave} frame may name. */
    public static final int MAX_ROOMS_PER_FRAME = 100;
    /** Most rooms one connection may be a member of, its own-id and default rooms included. */
    public static final int MAX_ROOMS_PER_CONNECTION = 1000;

    private final GatewayModel model;
    private final ClientRegistry registry;
    private final EnvelopeParser parser;
    private final PayloadBinder binder;
    private final PayloadValidator validator;
    private final Invoker invoker;
    private final Object validationTarget;
    private final Deliveries deliveries;
    private final Consumer<Connection> onConnected;
    private final List<PacketInterceptor> packetInterceptors;
    private final List<RoomGuard> roomGuards;
    private final List<io.wiregate.Authenticator> authenticators;

    /**
     * @param validationTarget the object Bean Validation sees as the handler's owner (the contextual reference)
     * @param onConnected      runs once a connection became connected (the {@code @OnOpen} callbacks)
     */
    public InboundPipeline(GatewayModel model, ClientRegistry registry, EnvelopeParser parser, PayloadBinder binder,
                           PayloadValidator validator, Invoker invoker, Object validationTarget, Deliveries deliveries,
                           Interceptors interceptors, Consumer<Connection> onConnected) {
        this.model = model;
        this.registry = registry;
        this.parser = parser;
        this.binder = binder;
        this.validator = validator;
        this.invoker = invoker;
        this.validationTarget = validationTarget;
        this.deliveries = deliveries;
        this.onConnected = onConnected;
        this.packetInterceptors = interceptors.packet();
        this.roomGuards = interceptors.roomGuards();
        this.authenticators = interceptors.authenticators();
    }

    /** A text frame arrived. */
    public void onText(Connection c, String text) {
        c.touch();
        Connection.State state = c.state();
        if (state == Connection.State.CLOSING || state == Connection.State.CLOSED) {
            return;
        }
        // Containers differ in whether (and with which code) they enforce the session's buffer size: check here.
        if (exceedsUtf8(text, model.limits().maxMessageBytes())) {
            c.closeWith(CloseCodes.TOO_BIG, "message too big");
            return;
        }
        EnvelopeParser.Result parsed = parser.parse(text);
        if (!withinRate(c, parsed instanceof EnvelopeParser.Parsed p ? p.envelope().id() : ((EnvelopeParser.Rejected) parsed).id())) {
            return;
        }
        if (parsed instanceof EnvelopeParser.Rejected r) {
            error(c, ErrorCode.BAD_FRAME, r.message(), null, r.id());
            return;
        }
        Envelope frame = ((EnvelopeParser.Parsed) parsed).envelope();
        switch (frame.event()) {
            case "heartbeat" -> {
                // Before connected nothing but errors may reach the client (docs/protocol.md section 3).
                if (frame.hasId() && c.isConnected()) {
                    c.send(Frames.ack(frame.id()));
                }
                return;
            }
            case "disconnect" -> {
                c.closeWith(CloseCodes.NORMAL, "client disconnected");
                return;
            }
            case "authenticate" -> {
                if (model.auth() == Auth.MESSAGE) {
                    authenticate(c, frame);
                    return;
                }
            }
            default -> {
            }
        }
        if (!c.isConnected()) {
            error(c, ErrorCode.UNAUTHORIZED, "authenticate first", null, frame.id());
            return;
        }
        if (!packetInterceptors.isEmpty()) {
            frame = intercept(c, frame);
            if (frame == null) {
                return;
            }
        }
        switch (frame.event()) {
            case "join" -> join(c, frame);
            case "leave" -> leave(c, frame);
            default -> dispatch(c, frame);
        }
    }

    /** A binary frame arrived: no gateway declares a binary handler yet. */
    public void onBinary(Connection c, int size) {
        c.touch();
        if (size > model.limits().maxMessageBytes()) {
            c.closeWith(CloseCodes.TOO_BIG, "message too big");
            return;
        }
        if (c.state() != Connection.State.CLOSING && c.state() != Connection.State.CLOSED && withinRate(c, null)) {
            error(c, ErrorCode.UNSUPPORTED, "binary frames are not supported by this gateway", null, null);
        }
    }

    /** Applies the inbound rate limit; false after refusing the frame (or closing the abuser). */
    private boolean withinRate(Connection c, String id) {
        switch (c.rateCheck()) {
            case ACCEPT:
                return true;
            case REFUSE:
                error(c, ErrorCode.RATE_LIMITED, "too many messages: slow down", null, id);
                return false;
            default:
                c.closeWith(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
                return false;
        }
    }

    /** Whether {@code text} takes more than {@code max} bytes in UTF-8, without encoding it. */
    static boolean exceedsUtf8(String text, int max) {
        int n = text.length();
        if (n <= max / 3) {
            return false;
        }
        if (n > max) {
            return true;
        }
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            if (ch < 0x80) {
                bytes++;
            } else if (ch < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(ch)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes > max;
    }

    // ------------------------------------------------------------------ packet chain

    /** Runs the packet chain; the frame to handle, or null after answering a refusal or failure. */
    private Envelope intercept(Connection c, Envelope frame) {
        InboundPacket packet = new InboundPacket(c, frame.event(), frame.data());
        boolean through;
        try {
            through = Chains.run(packetInterceptors, packet, (interceptor, p, rest) -> interceptor.onPacket(p, rest));
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "a packet interceptor failed on " + frame.event() + " for client " + c.id(), e);
            error(c, ErrorCode.INTERNAL, "internal error", null, frame.id());
            return null;
        }
        if (!through) {
            error(c, ErrorCode.FORBIDDEN, packet.refusal() == null ? "refused" : packet.refusal(), null, frame.id());
            return null;
        }
        return packet.data() == frame.data() ? frame : new Envelope(frame.event(), packet.data(), frame.id());
    }

    // ------------------------------------------------------------------ authentication

    private void authenticate(Connection c, Envelope frame) {
        if (c.isConnected()) { // a second authenticate: already done, answer it like any frame
            if (frame.hasId()) {
                c.send(Frames.ack(frame.id()));
            }
            return;
        }
        if (!c.transition(Connection.State.AWAITING_AUTH, Connection.State.AUTHENTICATING)) {
            return;
        }
        CallbackModel authenticator = model.authenticator();
        Identity identity = null;
        if (authenticator == null) { // an Authenticator bean (Wiregate.start checked that one applies)
            try {
                identity = authenticators.get(0).authenticate(frame.data(), c);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "authenticator " + authenticators.get(0).getClass().getName()
                        + " failed for client " + c.id(), e);
            }
        } else try {
            Object[] args = new Object[authenticator.params().size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = authenticator.params().get(i) == ParamKind.PEER ? c
                        : binder.bind(frame.data(), authenticator.payloadType());
            }
            identity = (Identity) invoker.invoke(authenticator.method(), args);
        } catch (BindingException e) {
            LOG.fine(() -> "credentials of client " + c.id() + " do not bind: refused");
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "authenticator " + authenticator.method() + " failed for client " + c.id(), e);
        }
        if (identity == null) {
            c.closeWith(CloseCodes.AUTH_FAILED, "authentication failed");
            return;
        }
        c.authenticated(identity);
        c.holdOutbound(); // the client sees connected only after @OnOpen ran (it may join rooms)
        try {
            if (c.markConnected(model.limits().defaultRooms())) {
                if (frame.hasId()) {
                    c.send(Frames.ack(frame.id()));
                }
                onConnected.accept(c);
            }
        } finally {
            c.releaseOutbound();
        }
    }

    // ------------------------------------------------------------------ rooms

    private void join(Connection c, Envelope frame) {
        List<String> rooms = roomsOf(c, frame);
        if (rooms == null) {
            return;
        }
        List<String> accepted = new ArrayList<>(rooms.size());
        List<String> refused = new ArrayList<>();
        boolean full = false;
        for (String room : rooms) {
            if (c.isMember(room)) {
                accepted.add(room);
            } else if (c.roomCount() >= MAX_ROOMS_PER_CONNECTION) {
                refused.add(room);
                full = true;
            } else if (mayJoin(c, room)) {
                registry.join(c, room);
                accepted.add(room);
            } else {
                refused.add(room);
            }
        }
        if (refused.isEmpty()) {
            c.send(Frames.reply("joined", roomsJson(accepted), frame.id()));
            return;
        }
        // docs/protocol.md section 4: the answer carrying the id is the forbidden error; accepted rooms follow, without id.
        error(c, ErrorCode.FORBIDDEN, "rooms refused: " + String.join(", ", refused)
                + (full ? " (at most " + MAX_ROOMS_PER_CONNECTION + " rooms per connection)" : ""), null, frame.id());
        if (!accepted.isEmpty()) {
            c.send(Frames.event("joined", roomsJson(accepted)));
        }
    }

    private boolean mayJoin(Connection c, String room) {
        for (RoomGuard guard : roomGuards) {
            try {
                if (!guard.mayJoin(c, room)) {
                    return false;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "room guard " + guard.getClass().getName() + " failed: room refused", e);
                return false;
            }
        }
        return true;
    }

    private void leave(Connection c, Envelope frame) {
        List<String> rooms = roomsOf(c, frame);
        if (rooms == null) {
            return;
        }
        for (String room : rooms) {
            c.leave(room);
        }
        c.send(Frames.reply("left", roomsJson(rooms), frame.id()));
    }

    /** The room names of a join/leave payload, or null after answering a validation error. */
    private List<String> roomsOf(Connection c, Envelope frame) {
        JsonValue rooms = frame.data() instanceof JsonObject o ? o.get("rooms") : null;
        if (!(rooms instanceof JsonArray array)) {
            error(c, ErrorCode.VALIDATION, "rooms must be an array of room names",
                    List.of(new Violation("rooms", "must be an array of room names")), frame.id());
            return null;
        }
        if (array.size() > MAX_ROOMS_PER_FRAME) {
            error(c, ErrorCode.VALIDATION, "too many rooms in one frame",
                    List.of(new Violation("rooms", "at most " + MAX_ROOMS_PER_FRAME + " rooms per frame")), frame.id());
            return null;
        }
        List<String> names = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonValue v = array.get(i);
            if (!(v instanceof JsonString s) || !EventNames.isValidRoom(s.getString())) {
                error(c, ErrorCode.VALIDATION, "rooms must be an array of room names",
                        List.of(new Violation("rooms[" + i + "]", "must be 1 to 128 characters without control characters")),
                        frame.id());
                return null;
            }
            if (!names.contains(s.getString())) {
                names.add(s.getString());
            }
        }
        return names;
    }

    private static String roomsJson(List<String> rooms) {
        StringBuilder b = new StringBuilder("{\"rooms\":[");
        for (int i = 0; i < rooms.size(); i++) {
            b.append(i == 0 ? "" : ",").append(Frames.quote(rooms.get(i)));
        }
        return b.append("]}").toString();
    }

    // ------------------------------------------------------------------ dispatch

    private void dispatch(Connection c, Envelope frame) {
        HandlerModel handler = model.handlers().get(frame.event());
        if (handler == null) {
            error(c, ErrorCode.UNKNOWN_EVENT, "no handler for event " + frame.event(), null, frame.id());
            return;
        }
        Object[] args = new Object[handler.params().size()];
        for (int i = 0; i < args.length; i++) {
            if (handler.params().get(i) == ParamKind.PEER) {
                args[i] = c;
            } else {
                try {
                    args[i] = binder.bind(frame.data(), handler.payloadType());
                } catch (BindingException e) {
                    error(c, ErrorCode.VALIDATION, "payload is not valid", e.violations(), frame.id());
                    return;
                }
            }
        }
        if (handler.validated()) {
            List<Violation> violations = validator.validate(validationTarget, handler.method(), args);
            if (!violations.isEmpty()) {
                error(c, ErrorCode.VALIDATION, "payload is not valid", violations, frame.id());
                return;
            }
        }
        Object result;
        try {
            result = invoker.invoke(handler.method(), args);
        } catch (ForbiddenException e) {
            error(c, ErrorCode.FORBIDDEN, e.getMessage() == null ? "forbidden" : e.getMessage(), null, frame.id());
            return;
        } catch (ConstraintViolationException e) { // a CDI validation interceptor on the gateway
            error(c, ErrorCode.VALIDATION, "payload is not valid", PayloadValidator.toViolations(e.getConstraintViolations()), frame.id());
            return;
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "handler " + describe(handler.method()) + " failed for client " + c.id(), e);
            error(c, ErrorCode.INTERNAL, "internal error", null, frame.id());
            return;
        }
        route(c, frame, handler, result);
    }

    private void route(Connection c, Envelope frame, HandlerModel handler, Object result) {
        String dataJson;
        try {
            dataJson = handler.returnsVoid() ? null : binder.toJson(result);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "result of " + describe(handler.method()) + " cannot be serialized", e);
            error(c, ErrorCode.INTERNAL, "internal error", null, frame.id());
            return;
        }
        Reply reply = handler.reply();
        if (reply instanceof Reply.ToSender toSender) {
            c.send(Frames.reply(toSender.event(), dataJson, frame.id()));
        } else if (reply instanceof Reply.Broadcast broadcast) {
            if (result != null) {
                String room = null;
                if (broadcast.toRoom()) {
                    room = roomFrom(frame.data(), broadcast.roomFrom());
                    if (room == null) {
                        error(c, ErrorCode.VALIDATION, "payload is not valid",
                                List.of(new Violation(broadcast.roomFrom(), "must be a room name")), frame.id());
                        return;
                    }
                }
                deliveries.deliver(new Delivery(room == null ? Delivery.TargetKind.BROADCAST : Delivery.TargetKind.ROOM,
                        model.path(), room, broadcast.event(), dataJson,
                        broadcast.includeSender() ? Set.of() : Set.of(c.id()), false));
            }
            if (frame.hasId()) {
                c.send(Frames.ack(frame.id()));
            }
        } else if (frame.hasId()) {
            c.send(result == null ? Frames.ack(frame.id()) : Frames.reply("ack", dataJson, frame.id()));
        }
    }

    private static String roomFrom(JsonValue data, String property) {
        if (data instanceof JsonObject o && o.get(property) instanceof JsonString s && EventNames.isValidRoom(s.getString())) {
            return s.getString();
        }
        return null;
    }

    private void error(Connection c, ErrorCode code, String message, List<Violation> violations, String id) {
        c.send(Frames.error(code, message, violations, id));
    }

    private static String describe(Method m) {
        return m.getDeclaringClass().getSimpleName() + "#" + m.getName();
    }
}
