package io.wiregate.cdi.servlet;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;

import io.wiregate.cdi.WiregateExtension;
import io.wiregate.cdi.DeploymentMessages;
import io.wiregate.cdi.Wiregate;

/**
 * Registers the gateways of a web application on the container's WebSocket {@code ServerContainer} while the
 * {@code ServletContext} initializes (during deployment, never lazily: this is where the Jakarta WebSocket
 * specification allows adding endpoints), and closes every client with 1001 when it is destroyed (undeploy,
 * shutdown), while the container can still send the close. Installed by {@link WiregateServletInitializer}.
 *
 * <p>A servlet listener rather than an observer of {@code @Initialized(ApplicationScoped.class)}: WildFly fires
 * that event once, when Weld starts and before the web application exists, with no {@code ServletContext}.
 */
public final class WebAppLifecycle implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(WebAppLifecycle.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Wiregate wiregate = wiregate();
        if (wiregate == null) {
            return;
        }
        try {
            ServletGateways.register(event.getServletContext(), wiregate);
        } catch (DeploymentException e) {
            throw new IllegalStateException(
                    DeploymentMessages.endpointRefused(event.getServletContext().getContextPath(), e), e);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        Wiregate wiregate = wiregate();
        if (wiregate != null) {
            wiregate.shutdown(2000);
        }
    }

    /** This application's Wiregate, or null when it does not use CDI or has no Wiregate extension. */
    private static Wiregate wiregate() {
        WiregateExtension extension;
        try {
            extension = CDI.current().getBeanManager().getExtension(WiregateExtension.class);
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.log(Level.FINE, "no CDI container or no Wiregate extension in this web application", e);
            return null;
        }
        return extension.wiregate();
    }
}
