package io.wiregate.cdi;

import java.util.LinkedHashMap;
import java.util.Map;


import io.wiregate.Auth;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;

/**
 * The handshake guard of a gateway run <em>before</em> the container's upgrade, by a runtime that sees the
 * upgrade request first (a servlet filter): there a refusal can still be a plain HTTP 401/403, which the Jakarta
 * WebSocket API cannot produce from a configurator. An admitted request carries its identity to
 * {@link GatewayConfigurator#modifyHandshake} through {@link #admit}, so the authenticator runs once per handshake.
 */
public final class HandshakeCheck {

    private static final ThreadLocal<Admission> ADMITTED = new ThreadLocal<>();

    private HandshakeCheck() {
    }

    /**
     * Runs the {@code Origin} check (absent, listed in {@code allowed-origins}, or, without that list, the request's
     * own host), then the authenticator of an {@link Auth#HANDSHAKE} gateway.
     *
     * @return 403 for a foreign origin, 401 when the authenticator refuses or fails, 0 with the identity (null for
     *         gateways without handshake authentication) when the request may be upgraded
     */
    public static Verdict check(GatewayRuntime gateway, HandshakeRequest request) {
        if (!originAllowed(gateway, request)) {
            return new Verdict(403, null);
        }
        if (gateway.model().auth() != Auth.HANDSHAKE) {
            return new Verdict(0, null);
        }
        Identity identity = gateway.authenticateHandshake(request);
        return identity == null ? new Verdict(401, null) : new Verdict(0, identity);
    }

    /**
     * Whether the handshake's {@code Origin} may connect to the gateway: absent (not a browser), listed in its
     * {@code allowed-origins} (or that list holds {@code *}), or, without {@code allowed-origins}, the request's
     * own host and port (its {@code Host} header).
     */
    static boolean originAllowed(GatewayRuntime gateway, HandshakeRequest request) {
        return OriginPolicy.allowed(gateway.model().limits().allowedOrigins(), request.origin(), request.header("Host"));
    }

    /**
     * Marks the current thread as upgrading a request that {@link #check} admitted, until the returned
     * admission is closed. Containers run {@code modifyHandshake} on the thread that runs the servlet filter
     * chain; one that does not simply authenticates again.
     */
    public static Admission admit(GatewayRuntime gateway, Identity identity) {
        Admission admission = new Admission(gateway, identity);
        ADMITTED.set(admission);
        return admission;
    }

    /** Whether a servlet filter checked (and admitted) the upgrade in progress on this thread for this gateway. */
    static boolean checkedAhead(GatewayRuntime gateway) {
        Admission admission = ADMITTED.get();
        return admission != null && admission.gateway == gateway;
    }

    /** The identity admitted on this thread for this gateway, or null. */
    static Identity admitted(GatewayRuntime gateway) {
        Admission admission = ADMITTED.get();
        return admission != null && admission.gateway == gateway ? admission.identity : null;
    }

    /** Every gateway by the path it is registered at (global prefix included), in deployment order. */
    public static Map<String, GatewayRuntime> gatewaysByPath(Wiregate wiregate) {
        Map<String, GatewayRuntime> byPath = new LinkedHashMap<>();
        for (GatewayRuntime gateway : wiregate.gateways()) {
            byPath.put(EndpointRegistration.pathOf(gateway), gateway);
        }
        return byPath;
    }

    /**
     * The outcome of {@link #check}.
     *
     * @param status   0 when admitted, else the HTTP status to answer with
     * @param identity the handshake identity when admitted, or null
     */
    public record Verdict(int status, Identity identity) {
        /** Whether the request may be upgraded. */
        public boolean admitted() {
            return status == 0;
        }
    }

    /** An admitted upgrade in progress on the current thread; {@link #close()} ends it. */
    public static final class Admission implements AutoCloseable {
        private final GatewayRuntime gateway;
        private final Identity identity;

        private Admission(GatewayRuntime gateway, Identity identity) {
            this.gateway = gateway;
            this.identity = identity;
        }

        @Override
        public void close() {
            ADMITTED.remove();
        }
    }
}
