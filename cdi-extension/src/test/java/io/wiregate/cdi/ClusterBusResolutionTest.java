package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import io.wiregate.spi.ClusterBus;
import io.wiregate.spi.Delivery;

/**
 * Which cluster bus Wiregate uses, with a real CDI container (Weld SE). Payara gives the extension a bean manager
 * that does not see the beans of the application's other JARs (the Redis bus of {@code wiregate-redisson}); a bean
 * manager that hides every ClusterBus bean plays it here.
 */
class ClusterBusResolutionTest {

    static class RedisLikeBus implements ClusterBus {
        @Override
        public void start(Consumer<Delivery> receiver) {
        }

        @Override
        public void publish(Delivery delivery) {
        }

        @Override
        public void stop() {
        }
    }

    static class OtherBus extends RedisLikeBus {
    }

    /** Some other bean: Weld SE refuses a container without any. */
    static class Unrelated {
    }

    @Alternative
    @Priority(10)
    static class PreferredBus extends RedisLikeBus {
    }

    @Test
    void aBusOnlyTheExtensionSawDuringDiscoveryIsUsed() {
        try (WeldContainer weld = container(RedisLikeBus.class)) {
            BeanManager payara = hidingClusterBuses(weld.getBeanManager());
            assertThat(Wiregate.clusterBus(payara, List.of())).as("before the fix, on Payara").isInstanceOf(LocalBus.class);
            assertThat(Wiregate.clusterBus(payara, discovered(weld))).isInstanceOf(RedisLikeBus.class);
        }
    }

    @Test
    void aBusBothSeeIsOneBus() {
        try (WeldContainer weld = container(RedisLikeBus.class)) {
            assertThat(Wiregate.clusterBus(weld.getBeanManager(), discovered(weld))).isInstanceOf(RedisLikeBus.class);
        }
    }

    @Test
    void withoutAnyBusTheInJvmBusIsUsed() {
        try (WeldContainer weld = container()) {
            assertThat(Wiregate.clusterBus(weld.getBeanManager(), discovered(weld))).isInstanceOf(LocalBus.class);
        }
    }

    @Test
    void twoBusesAreRefusedWithWg0101UnlessOneIsASelectedAlternative() {
        try (WeldContainer weld = container(RedisLikeBus.class, OtherBus.class)) {
            BeanManager payara = hidingClusterBuses(weld.getBeanManager());
            assertThatThrownBy(() -> Wiregate.clusterBus(payara, discovered(weld)))
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("WG-0101 More than one ClusterBus bean")
                    .hasMessageContaining(OtherBus.class.getName()).hasMessageContaining(RedisLikeBus.class.getName());
        }
        try (WeldContainer weld = container(RedisLikeBus.class, PreferredBus.class)) {
            BeanManager payara = hidingClusterBuses(weld.getBeanManager());
            assertThat(Wiregate.clusterBus(payara, discovered(weld))).isInstanceOf(PreferredBus.class);
        }
    }

    private static WeldContainer container(Class<?>... beans) {
        return new Weld().disableDiscovery().beanClasses(Unrelated.class).addBeanClasses(beans).initialize();
    }

    /** What the extension records from ProcessBean: every ClusterBus bean of the deployment. */
    private static Collection<Bean<?>> discovered(WeldContainer weld) {
        return List.copyOf(weld.getBeanManager().getBeans(ClusterBus.class));
    }

    /** A bean manager that sees no ClusterBus bean, as the extension's on Payara; everything else is delegated. */
    private static BeanManager hidingClusterBuses(BeanManager real) {
        return (BeanManager) Proxy.newProxyInstance(BeanManager.class.getClassLoader(), new Class<?>[] {BeanManager.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getBeans") && args != null && args[0] == ClusterBus.class) {
                        return Set.of();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
