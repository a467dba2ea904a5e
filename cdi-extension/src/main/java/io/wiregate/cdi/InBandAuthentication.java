package io.wiregate.cdi;

import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import java.security.GeneralSecurityException;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.wiregate.Authenticator;
import io.wiregate.EncryptionHandshake;
import io.wiregate.Identity;
import io.wiregate.protocol.CloseCodes;
import io.wiregate.protocol.Envelope;
import io.wiregate.protocol.ErrorCode;
import io.wiregate.protocol.Frames;

/**
 * The {@code authenticate} event of an {@code Auth.MESSAGE} gateway (docs/protocol.md section 2): runs the gateway's
 * {@code @Authenticate} method, or else its {@link Authenticator} bean; connects the client it accepts, and closes
 * with 4003 the one it refuses. On a connected connection the same authentication refreshes its identity (section 10).
 */
final class InBandAuthentication {

    private static final Logger LOG = Logger.getLogger(InBandAuthentication.class.getName());

    private final CallbackModel method;
    private final List<Authenticator> beans;
    private final PayloadBinder binder;
    private final Invoker invoker;
    private final List<String> defaultRooms;
    private final Consumer<Connection> onConnected;
    /** The encryption handshake of a gateway with encryption, or null. */
    private final EncryptionHandshake handshake;

    /**
     * @param method      the gateway's {@code @Authenticate} method, or null to use {@code beans}' first
     * @param onConnected runs once a client became connected (the {@code @OnOpen} callbacks)
     * @param handshake   the encryption handshake, for a gateway with encryption (docs/protocol.md section 12); else null
     */
    InBandAuthentication(CallbackModel method, List<Authenticator> beans, PayloadBinder binder, Invoker invoker,
                         List<String> defaultRooms, Consumer<Connection> onConnected, EncryptionHandshake handshake) {
        this.handshake = handshake;
        this.method = method;
        this.beans = List.copyOf(beans);
        this.binder = binder;
        this.invoker = invoker;
        this.defaultRooms = List.copyOf(defaultRooms);
        this.onConnected = onConnected;
    }

    void authenticate(Connection c, Envelope sent) {
        JsonValue key = null;
        Envelope frame = sent;
        if (handshake != null && sent.data() instanceof JsonObject data && data.containsKey("publicKey")) {
            key = data.get("publicKey");
            frame = withoutKey(sent, data); // the authentication never sees it
        }
        if (c.isConnected()) {
            refresh(c, frame);
            return;
        }
        if (!c.transition(Connection.State.AWAITING_AUTH, Connection.State.AUTHENTICATING)) {
            return;
        }
        if (handshake != null && !handshake(c, key)) {
            return;
        }
        Identity identity = method == null ? byBean(c, frame) : byMethod(c, frame);
        if (identity == null) {
            c.closeWith(CloseCodes.AUTH_FAILED, "authentication failed");
            return;
        }
        c.connect(identity, defaultRooms, () -> {
            if (sent.hasId()) {
                c.send(Frames.ack(sent.id()));
            }
            onConnected.accept(c);
        });
    }

    /**
     * A second {@code authenticate} on a connected connection (docs/protocol.md section 10): fresh credentials of the
     * same user replace its identity (acked); another user's close it with 4003; refused ones are {@code
     * unauthorized}, and the identity it had stays until it expires.
     */
    private void refresh(Connection c, Envelope frame) {
        Identity identity = method == null ? byBean(c, frame) : byMethod(c, frame);
        if (identity == null) {
            c.send(Frames.error(ErrorCode.UNAUTHORIZED, "authentication failed", null, frame.id()));
            return;
        }
        if (!identity.userId().equals(c.userId())) {
            c.closeWith(CloseCodes.AUTH_FAILED, "another user");
            return;
        }
        c.refreshed(identity);
        if (frame.hasId()) {
            c.send(Frames.ack(frame.id()));
        }
    }

    /**
     * Starts the sealed channel with the client's key (docs/protocol.md section 12); false, and the connection closing
     * with 4004, when there is no key or the handshake refuses it.
     */
    private boolean handshake(Connection c, JsonValue key) {
        if (!(key instanceof JsonString text)) {
            c.closeWith(CloseCodes.ENCRYPTION_REQUIRED, "encryption required: authenticate carries no publicKey");
            return false;
        }
        try {
            c.sealWith(handshake.accept(text.getString()));
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.fine(() -> "encryption handshake of client " + c.id() + " refused: " + e);
            c.closeWith(CloseCodes.ENCRYPTION_REQUIRED, "encryption handshake failed");
            return false;
        }
    }

    /** The frame with {@code publicKey} taken out of its data. */
    private static Envelope withoutKey(Envelope frame, JsonObject data) {
        jakarta.json.JsonObjectBuilder rest = jakarta.json.Json.createObjectBuilder(data);
        rest.remove("publicKey");
        JsonObject credentials = rest.build();
        return new Envelope(frame.event(), credentials, frame.id(), credentials.toString());
    }

    /** The identity the {@link Authenticator} bean gives (Wiregate.start checked that one applies), or null. */
    private Identity byBean(Connection c, Envelope frame) {
        Authenticator authenticator = beans.get(0);
        try {
            return authenticator.authenticate(frame.data(), c);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "authenticator " + authenticator.getClass().getName() + " failed for client "
                    + c.id(), e);
            return null;
        }
    }

    /** The identity the gateway's {@code @Authenticate} method gives, or null. */
    private Identity byMethod(Connection c, Envelope frame) {
        try {
            Object[] args = Arguments.ofFrame(c, frame.data()).bind(method.params(), method.payloadType(), binder);
            return (Identity) invoker.invoke(method.method(), args);
        } catch (BindingException e) {
            LOG.fine(() -> "credentials of client " + c.id() + " do not bind: refused");
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "authenticator " + method.method() + " failed for client " + c.id(), e);
        }
        return null;
    }
}
