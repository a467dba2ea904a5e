package io.wiregate.test;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import io.wiregate.cdi.spi.StandaloneMain;
import io.wiregate.cdi.spi.StandaloneRuntime;

/** The JUnit 5 extension behind {@link WiregateTest}: one server per test class, clients closed after each test. */
final class WiregateTestExtension implements BeforeAllCallback, AfterAllCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WiregateTestExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        WiregateTest settings = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), WiregateTest.class)
                .orElseThrow(() -> new ExtensionConfigurationException("use @WiregateTest on the test class"));
        Map<String, String> previous = new HashMap<>();
        for (String property : settings.properties()) {
            int eq = property.indexOf('=');
            if (eq <= 0) {
                throw new ExtensionConfigurationException("@WiregateTest(properties) takes key=value, not '" + property + "'");
            }
            String key = property.substring(0, eq);
            previous.put(key, System.setProperty(key, property.substring(eq + 1)));
        }
        StandaloneRuntime.Server server;
        try {
            // Netty unless -Dwiregate.runtime names another runtime on the test class path (tyrus).
            server = StandaloneMain.selected("netty").start(new StandaloneRuntime.Options("127.0.0.1", 0, null,
                    settings.beanClasses().length > 0 ? settings.beanClasses() : null));
        } catch (RuntimeException e) {
            restore(previous);
            throw e;
        }
        context.getStore(NAMESPACE).put(Gateways.class, new Gateways(server, () -> restore(previous)));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Gateways gateways = gateways(context);
        if (gateways != null) {
            gateways.closeClients();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Gateways gateways = context.getStore(NAMESPACE).remove(Gateways.class, Gateways.class);
        if (gateways != null) {
            gateways.stop();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Gateways.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Gateways gateways = gateways(context);
        if (gateways == null) {
            throw new ExtensionConfigurationException("the gateways are not running (a static @BeforeAll cannot take Gateways)");
        }
        return gateways;
    }

    private static Gateways gateways(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Gateways g = c.getStore(NAMESPACE).get(Gateways.class, Gateways.class);
            if (g != null) {
                return g;
            }
        }
        return null;
    }

    private static void restore(Map<String, String> previous) {
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }
}
