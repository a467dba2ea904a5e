package io.wiregate.cdi;

import java.util.function.Consumer;

import java.security.GeneralSecurityException;

import io.wiregate.Auth;
import io.wiregate.EncryptionHandshake;
import io.wiregate.protocol.CloseCodes;
import io.wiregate.protocol.Envelope;
import io.wiregate.protocol.EnvelopeParser;
import io.wiregate.protocol.ErrorCode;

/**
 * The life of one inbound frame, top to bottom, one step per class:
 * <ol>
 *   <li>{@link FrameLimits}: its size (1009) and the inbound rate ({@code rate_limited}, then 1008);</li>
 *   <li>{@link EnvelopeParser}: the envelope ({@code bad_frame});</li>
 *   <li>{@link SystemEvents}: {@code heartbeat} and {@code disconnect};</li>
 *   <li>{@link InBandAuthentication}: {@code authenticate}, and nothing else before it ({@code unauthorized});</li>
 *   <li>{@link PacketChain}: the packet interceptors;</li>
 *   <li>{@link RoomRequests}: {@code join} and {@code leave}; {@link PresenceRequests}: {@code presence};</li>
 *   <li>{@link BindAndValidate}, {@link HandlerInvocation}, {@link ResultRouting}: the handler of the event.</li>
 * </ol>
 * Every frame with an id is answered exactly once; nothing a handler throws reaches the client beyond the
 * {@code internal} code. One instance per gateway; thread-safe (frames of one connection arrive one at a time,
 * frames of different connections concurrently).
 */
final class InboundPipeline {

    private final GatewayModel model;
    private final FrameLimits limits;
    private final EnvelopeParser parser;
    private final InBandAuthentication authentication;
    private final PacketChain packets;
    private final RoomRequests rooms;
    private final ClientRegistry registry;
    private final BindAndValidate binding;
    private final HandlerInvocation invocation;
    private final ResultRouting routing;

    /**
     * @param validationTarget the object Bean Validation sees as the handler's owner (the contextual reference)
     * @param onConnected      runs once a connection became connected (the {@code @OnOpen} callbacks)
     */
    public InboundPipeline(GatewayModel model, ClientRegistry registry, EnvelopeParser parser, PayloadBinder binder,
                           PayloadValidator validator, Invoker invoker, Object validationTarget, Deliveries deliveries,
                           Interceptors interceptors, Consumer<Connection> onConnected) {
        this.model = model;
        this.limits = new FrameLimits(model.limits().maxMessageBytes());
        this.parser = parser;
        this.authentication = model.auth() == Auth.MESSAGE
                ? new InBandAuthentication(model.authenticator(), interceptors.authenticators(), binder, invoker,
                        model.limits().defaultRooms(), onConnected,
                        model.limits().encryption() ? interceptors.handshake() : null)
                : null;
        this.packets = new PacketChain(interceptors.packet());
        this.rooms = new RoomRequests(registry, interceptors.roomGuards());
        this.registry = registry;
        this.binding = new BindAndValidate(binder, validator, validationTarget);
        this.invocation = new HandlerInvocation(invoker);
        this.routing = new ResultRouting(model.path(), binder, deliveries);
    }

    /** A text frame arrived. */
    public void onText(Connection c, String text) {
        c.touch();
        c.metrics().frameIn();
        if (c.isClosingOrClosed() || !limits.textFits(c, text)) {
            return;
        }
        EncryptionHandshake.Channel sealed = c.sealing();
        if (sealed != null) { // docs/protocol.md section 12: every frame after connected is sealed
            try {
                text = sealed.open(text);
            } catch (GeneralSecurityException | RuntimeException e) {
                c.closeWith(CloseCodes.ENCRYPTION_REQUIRED, "not a sealed frame");
                return;
            }
        }
        EnvelopeParser.Result parsed = parser.parse(text);
        if (!FrameLimits.withinRate(c, parsed instanceof EnvelopeParser.Parsed p ? p.envelope().id()
                : ((EnvelopeParser.Rejected) parsed).id())) {
            return;
        }
        if (parsed instanceof EnvelopeParser.Rejected r) {
            Replies.error(c, ErrorCode.BAD_FRAME, r.message(), null, r.id());
            return;
        }
        Envelope frame = ((EnvelopeParser.Parsed) parsed).envelope();
        if (SystemEvents.handle(c, frame)) {
            return;
        }
        if (authentication != null && frame.event().equals("authenticate")) {
            authentication.authenticate(c, frame);
            return;
        }
        if (!c.isConnected()) {
            Replies.error(c, ErrorCode.UNAUTHORIZED, "authenticate first", null, frame.id());
            return;
        }
        frame = packets.intercept(c, frame);
        if (frame == null) {
            return;
        }
        switch (frame.event()) {
            case "join" -> rooms.join(c, frame);
            case "leave" -> rooms.leave(c, frame);
            case "presence" -> {
                PresenceTracker presence = registry.presence(); // set at startup, after the pipeline was built
                if (presence != null) {
                    PresenceRequests.members(presence, c, frame);
                } else {
                    handle(c, frame);
                }
            }
            default -> handle(c, frame);
        }
    }

    /** A binary frame arrived: no gateway declares a binary handler yet. */
    public void onBinary(Connection c, int size) {
        c.touch();
        c.metrics().frameIn();
        if (c.sealing() != null) {
            c.closeWith(CloseCodes.ENCRYPTION_REQUIRED, "not a sealed frame");
            return;
        }
        if (!limits.binaryFits(c, size)) {
            return;
        }
        if (!c.isClosingOrClosed() && FrameLimits.withinRate(c, null)) {
            Replies.error(c, ErrorCode.UNSUPPORTED, "binary frames are not supported by this gateway", null, null);
        }
    }

    private void handle(Connection c, Envelope frame) {
        HandlerModel handler = model.handlers().get(frame.event());
        if (handler == null) {
            Replies.error(c, ErrorCode.UNKNOWN_EVENT, "no handler for event " + frame.event(), null, frame.id());
            return;
        }
        Object[] args = binding.arguments(c, frame, handler);
        if (args == null) {
            return;
        }
        Object result = invocation.invoke(c, frame, handler, args);
        if (result != HandlerInvocation.FAILED) {
            routing.route(c, frame, handler, result);
        }
    }
}
