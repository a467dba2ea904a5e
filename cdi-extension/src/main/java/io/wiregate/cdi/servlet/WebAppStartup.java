package io.wiregate.cdi.servlet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.wiregate.cdi.WiregateExtension;

/**
 * Registers the gateways of a web application on its servlet container's WebSocket {@code ServerContainer}
 * when the application scope starts for the {@code ServletContext} (during deployment, never lazily), and
 * closes every client with 1001 when it is about to end (undeploy), while the container can still send the close.
 * Added as a bean by {@link WiregateExtension}; internal, not an API.
 *
 * <p>Nothing here names a servlet type: the standalone runtime (Weld SE) has no servlet API, and the payload of
 * its {@code @Initialized(ApplicationScoped.class)} event is not a {@code ServletContext}. {@link ServletGateways}
 * holds the servlet code and is loaded only when the payload is one.
 */
@Dependent
public class WebAppStartup {

    private static final String SERVLET_CONTEXT = "jakarta.servlet.ServletContext";

    @Inject
    WiregateExtension extension;

    void started(@Observes @Initialized(ApplicationScoped.class) Object payload) throws Exception {
        if (isServletContext(payload)) {
            ServletGateways.register(payload, extension.wiregate());
        }
    }

    void stopping(@Observes @BeforeDestroyed(ApplicationScoped.class) Object payload) {
        if (isServletContext(payload)) {
            extension.wiregate().shutdown(2000);
        }
    }

    private static boolean isServletContext(Object payload) {
        try {
            return Class.forName(SERVLET_CONTEXT, false, WebAppStartup.class.getClassLoader()).isInstance(payload);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
