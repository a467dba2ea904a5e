package io.wiregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Stereotype;

/**
 * Declares a CDI bean as a WebSocket gateway reachable at {@link #value()}.
 *
 * <p>{@code @Gateway} is a stereotype: the class becomes an {@link ApplicationScoped} bean even in an
 * archive with annotated bean discovery. At deployment Wiregate builds a model of the class (its
 * {@link OnEvent} handlers, {@link OnOpen}/{@link OnClose} callbacks, {@link Authenticate} method and
 * limits), validates it, and registers one programmatic endpoint for it. Every problem of a deployment
 * is reported at once, each with an id such as {@code WG-0003}.
 *
 * <p>Limits set here are defaults for this gateway; configuration overrides them (see the README:
 * {@code wiregate.<name>.<key>}, through MicroProfile Config when present, system properties otherwise).
 * A value of {@code -1} means "not set here": the global configuration or the built-in default applies.
 */
@Stereotype
@ApplicationScoped
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Gateway {

    /**
     * The namespace path, for example {@code "/chat"}, {@code "/"} or {@code "/rooms/{roomId}"} (a
     * URI template whose parameters a {@link Peer} exposes with {@link Peer#pathParameter(String)}).
     */
    String value();

    /**
     * The name used in configuration keys ({@code wiregate.<name>.max-message-bytes}). Defaults to the
     * path without its parameters, slashes turned into dots: {@code /rooms/{roomId}} is {@code rooms},
     * {@code /api/chat} is {@code api.chat}, {@code /} is {@code root}.
     */
    String name() default "";

    /** How clients of this gateway authenticate. */
    Auth auth() default Auth.NONE;

    /** Largest accepted inbound message in bytes; a larger one closes the connection with 1009. Default 65536. */
    int maxMessageBytes() default -1;

    /** Bound of each connection's outbound queue, in messages; overflow closes with 4005. Default 1024. */
    int outboundQueue() default -1;

    /** Milliseconds a {@link Auth#MESSAGE} client has to send {@code authenticate}; then close 4001. Default 5000. */
    long authTimeoutMs() default -1;

    /**
     * Milliseconds of silence (no frame of any kind) after which the connection is closed with 4002;
     * {@code 0} disables the check. Default 60000.
     */
    long heartbeatTimeoutMs() default -1;

    /**
     * Milliseconds between the WebSocket pings the server sends a connection that has been silent that long;
     * {@code 0} disables them. Default 25000. Clients answer pings with pongs by themselves (browsers do), and a
     * pong, like any frame, restarts the heartbeat timer: a client that only listens is not closed with 4002 as
     * long as this is below {@link #heartbeatTimeoutMs()}.
     */
    long pingIntervalMs() default -1;

    /**
     * Inbound frames per second each connection may send; {@code 0} means unlimited (the default). Frames over
     * the limit are answered with {@code rate_limited}; a client that keeps sending a whole extra burst of
     * refused frames is closed with 1008.
     */
    long inboundRate() default -1;

    /** Frames a connection may send at once above {@link #inboundRate()}; defaults to the rate. */
    long inboundBurst() default -1;

    /**
     * Browser origins allowed to open a connection, each exactly as browsers send it in the {@code Origin} header
     * (scheme, host, and port unless it is the scheme's default), for example {@code "https://app.example.com"};
     * {@code "*"} allows any origin.
     *
     * <p>Empty (the default) allows the same origin only: a handshake whose {@code Origin} is present must name the
     * host and port the request was sent to (its {@code Host} header; without a port there, the origin's must be
     * 80 for {@code http} or 443 for {@code https}). This protects gateways whose handshake carries cookies from
     * cross-site WebSocket hijacking; behind a proxy that rewrites {@code Host}, list the public origins.
     *
     * <p>A handshake without {@code Origin} (a non-browser client) always passes. A refused one gets HTTP 403
     * before anything else is checked. Overridden by {@code wiregate.<name>.allowed-origins} (comma-separated); when
     * neither that nor this member is set, {@code wiregate.allowed-origins} applies to every gateway.
     */
    String[] allowedOrigins() default {};

    /** Rooms every authenticated client of this gateway joins when it becomes connected. */
    String[] defaultRooms() default {};

    /**
     * Connection state recovery (docs/protocol.md section 9): a client that loses its connection and comes back
     * within {@link #recoveryWindowMs()} gets its client id, user, rooms, and every event it missed, exactly once
     * and in order. {@code connected} then carries a session token and an offset, and every {@link
     * Recipients#emit emitted} event an offset; {@link Recipients#emitVolatile volatile} events, replies and acks
     * are never replayed. Off by default; {@code wiregate.<name>.recovery=true|false} overrides this member.
     */
    boolean recovery() default false;

    /**
     * With {@link #recovery()}: milliseconds a session stays resumable after its connection closed. Default 120000.
     */
    long recoveryWindowMs() default -1;

    /**
     * With {@link #recovery()}: the most recoverable events the gateway keeps for resuming clients (at most those of
     * the last {@link #recoveryWindowMs()}); a client whose missed events were dropped from it gets {@code
     * recovered: false}. Default 10000. Each costs about its frame's text plus 100 bytes of heap.
     */
    int recoveryMaxEvents() default -1;

    /**
     * Presence (docs/protocol.md section 11): who is in each room, on every node, and whether the members of a room
     * hear of its changes. {@link Presence#OFF} by default; {@code wiregate.<name>.presence=off|tracked|clients|users}
     * overrides this member. On Redis every membership change costs one write to Redis, batched.
     */
    Presence presence() default Presence.OFF;

    /**
     * Encryption (docs/protocol.md section 12): every frame after {@code connected} is sealed for its client alone
     * (ECDH P-256, HKDF-SHA256, AES-256-GCM, or the application's {@link EncryptionHandshake} bean), for deployments
     * where TLS ends at a proxy. Requires {@link Auth#MESSAGE}: the client's {@code authenticate} carries its public key;
     * a missing or failed handshake closes with 4004. Off by default; {@code wiregate.<name>.encryption=true|false}
     * overrides this member.
     */
    boolean encryption() default false;
}
