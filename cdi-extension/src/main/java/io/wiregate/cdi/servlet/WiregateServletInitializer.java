package io.wiregate.cdi.servlet;

import java.util.EnumSet;
import java.util.Set;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;

/**
 * Installs Wiregate in every web application that contains it: {@link WebAppLifecycle}, which registers the
 * gateways when the application starts, and {@link HandshakeFilter}, ahead of the filters the
 * application declares ({@code isMatchAfter = false}), so that it sees a WebSocket upgrade request before the
 * container's own upgrade filter on the servers that upgrade in a filter. Found through
 * {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}.
 */
public final class WiregateServletInitializer implements ServletContainerInitializer {

    static final String FILTER_NAME = "wiregate-handshake";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        FilterRegistration.Dynamic filter = context.addFilter(FILTER_NAME, HandshakeFilter.class);
        if (filter != null) { // null: declared already (for example in web.xml)
            filter.setAsyncSupported(true);
            filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        }
        context.addListener(WebAppLifecycle.class);
    }
}
