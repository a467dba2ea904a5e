package io.wiregate.cdi.servlet;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.wiregate.cdi.HandshakeCheck;
import io.wiregate.cdi.GatewayRuntime;

/**
 * Answers a refused WebSocket handshake with a real HTTP 403 (foreign {@code Origin}) or 401 (the handshake
 * authenticator refused), before the container upgrades: the Jakarta WebSocket API cannot set a status from a
 * configurator. Runs on upgrade requests to a gateway path only; everything else passes untouched. Where a
 * container upgrades before any filter runs, this filter never sees the request and the configurator's
 * fallback (upgrade, then close 4003 before any frame) applies.
 */
public final class HandshakeFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)
                || !isUpgrade(http)
                || !(http.getServletContext().getAttribute(ServletGateways.GATEWAY_PATHS) instanceof GatewayPaths paths)) {
            chain.doFilter(request, response);
            return;
        }
        String uri = http.getRequestURI();
        String path = uri.substring(Math.min(uri.length(), http.getContextPath().length()));
        GatewayRuntime gateway = paths.find(path);
        if (gateway == null) {
            chain.doFilter(request, response);
            return;
        }
        HandshakeCheck.Verdict verdict = HandshakeCheck.check(gateway, new ServletHandshakeView(http, path));
        if (!verdict.admitted()) {
            out.sendError(verdict.status());
            return;
        }
        try (HandshakeCheck.Admission admission = HandshakeCheck.admit(gateway, verdict.identity())) {
            chain.doFilter(request, response);
        }
    }

    private static boolean isUpgrade(HttpServletRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return "GET".equals(request.getMethod()) && upgrade != null && upgrade.trim().equalsIgnoreCase("websocket");
    }
}
