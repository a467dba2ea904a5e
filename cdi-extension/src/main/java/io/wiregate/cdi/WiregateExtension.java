package io.wiregate.cdi;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.ProcessManagedBean;

import io.wiregate.Broadcaster;
import io.wiregate.Gateway;

/**
 * The portable extension. It collects {@link Gateway} beans and {@code Broadcaster<G>} injection points while
 * the container discovers beans, reports every problem of the deployment at once, and starts {@link Wiregate}
 * once the deployment is valid. Registering endpoints on a WebSocket container is the runtime's job (the
 * standalone runtime, or a servlet listener in a web application), through {@link #wiregate()}.
 */
public class WiregateExtension implements Extension {

    private final List<Bean<?>> gatewayBeans = new ArrayList<>();
    private final List<Bean<?>> discoveredBeans = new ArrayList<>();
    private final Map<String, Type> broadcasterInjections = new LinkedHashMap<>();
    private final Map<Class<?>, Broadcaster<?>> broadcasters = new ConcurrentHashMap<>();
    private final Map<Class<?>, GatewayModel> models = new LinkedHashMap<>();
    private volatile Wiregate wiregate;

    void addInternalBeans(@Observes BeforeBeanDiscovery event, BeanManager beanManager) {
        event.addAnnotatedType(beanManager.createAnnotatedType(BroadcasterProducer.class), BroadcasterProducer.class.getName());
    }

    <T> void collectGateway(@Observes ProcessManagedBean<T> event) {
        if (event.getAnnotatedBeanClass().isAnnotationPresent(Gateway.class)) {
            gatewayBeans.add(event.getBean());
        }
    }

    /**
     * Interceptors, room guards, authenticators and cluster buses, collected as they are discovered: a
     * {@code BeanManager} lookup from this extension does not see them on every server (Payara gives the extension
     * the bean manager of the library JAR's bean archive, from which the web application's own beans and those of
     * its other library JARs are not accessible).
     */
    <T> void collectContractBean(@Observes ProcessBean<T> event) {
        if (Wiregate.isDiscoveredType(event.getBean())) {
            discoveredBeans.add(event.getBean());
        }
    }

    <T, X> void collectBroadcasterInjection(@Observes ProcessInjectionPoint<T, X> event) {
        InjectionPoint ip = event.getInjectionPoint();
        if (ip.getType() instanceof ParameterizedType p && p.getRawType() == Broadcaster.class) {
            broadcasterInjections.put(describe(ip), p.getActualTypeArguments()[0]);
        }
    }

    void validate(@Observes AfterBeanDiscovery event) {
        List<String> problems = new ArrayList<>();
        GatewayModelBuilder builder = new GatewayModelBuilder();
        for (Bean<?> bean : gatewayBeans) {
            GatewayModelBuilder.Result result = builder.build(bean.getBeanClass());
            problems.addAll(result.problems());
            if (result.model() != null) {
                models.put(bean.getBeanClass(), result.model());
            }
        }
        problems.addAll(DeploymentValidator.validate(List.copyOf(models.values())));
        broadcasterInjections.forEach((where, argument) -> {
            boolean gateway = argument instanceof Class<?> c && c.isAnnotationPresent(Gateway.class);
            if (!gateway) {
                problems.add(DeploymentMessages.broadcasterOfNonGateway(where, argument));
            }
        });
        if (!problems.isEmpty()) {
            event.addDefinitionError(deploymentError(problems));
        }
    }

    void start(@Observes AfterDeploymentValidation event, BeanManager beanManager) {
        Map<GatewayModel, Bean<?>> gateways = new LinkedHashMap<>();
        for (Bean<?> bean : gatewayBeans) {
            GatewayModel model = models.get(bean.getBeanClass());
            if (model != null) {
                gateways.put(model, bean);
            }
        }
        try {
            wiregate = Wiregate.start(gateways, beanManager, discoveredBeans);
        } catch (Exception e) {
            event.addDeploymentProblem(new DeploymentException(DeploymentMessages.startFailed(e), e));
        }
    }

    void stop(@Observes BeforeShutdown event) {
        Wiregate w = wiregate;
        if (w != null) {
            w.shutdown(2000);
        }
    }

    /**
     * The running Wiregate.
     *
     * @throws IllegalStateException before the deployment was validated, or if it failed
     */
    public Wiregate wiregate() {
        Wiregate w = wiregate;
        if (w == null) {
            throw new IllegalStateException("Wiregate is not started: the CDI deployment is not complete or failed");
        }
        return w;
    }

    /** The Broadcaster of a gateway class (validated at deployment). */
    @SuppressWarnings("unchecked")
    <G> Broadcaster<G> broadcaster(Class<G> gatewayClass) {
        return (Broadcaster<G>) broadcasters.computeIfAbsent(gatewayClass, c -> {
            GatewayModel model = models.get(c);
            if (model == null) {
                throw new IllegalStateException(DeploymentMessages.broadcasterOfNonGateway("a Broadcaster lookup", c));
            }
            return BroadcasterImpl.of(model.path(), this::wiregate);
        });
    }

    private static DeploymentException deploymentError(List<String> problems) {
        StringBuilder message = new StringBuilder("Wiregate found ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems").append(" in this deployment:");
        for (String problem : problems) {
            message.append("\n  ").append(problem);
        }
        DeploymentException error = new DeploymentException(message.toString());
        for (String problem : problems) {
            error.addSuppressed(new DeploymentException(problem));
        }
        return error;
    }

    private static String describe(InjectionPoint ip) {
        if (ip.getMember() != null) {
            return ip.getMember().getDeclaringClass().getSimpleName() + "#" + ip.getMember().getName();
        }
        return String.valueOf(ip);
    }
}
