package io.wiregate.tyrus;

import java.io.IOException;

import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;

import io.wiregate.cdi.spi.RequestTargets;

/**
 * Turns a WebSocket upgrade with a malformed request target into a plain request, so that it gets the 400 of
 * {@link EdgeHttpHandler}: Tyrus parses the target with {@code URI.create} and lets the exception escape, which
 * drops the connection without an answer. Sits ahead of Tyrus's filter; once a response is committed (a 101,
 * then the connection's frames) it only reads one flag.
 */
final class MalformedUpgradeFilter extends BaseFilter {

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (ctx.getMessage() instanceof HttpContent content && content.getHttpHeader() instanceof HttpRequestPacket request
                && !request.getResponse().isCommitted() && request.isUpgrade()
                && !RequestTargets.wellFormed(request.getRequestURI())) {
            // As if it had never asked to upgrade; its keep-alive was never decided, so the 400 closes the connection.
            request.getUpgradeDC().recycle();
            request.setIgnoreContentModifiers(false);
            request.setExpectContent(false);
        }
        return ctx.getInvokeAction();
    }

    /** Installs the filter right before the HTTP server filter; register it before Tyrus's add-on. */
    static AddOn addOn() {
        return new AddOn() {
            @Override
            public void setup(NetworkListener listener, FilterChainBuilder builder) {
                builder.add(builder.indexOfType(HttpServerFilter.class), new MalformedUpgradeFilter());
            }
        };
    }
}
