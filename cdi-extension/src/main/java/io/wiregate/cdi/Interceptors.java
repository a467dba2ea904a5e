package io.wiregate.cdi;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

import io.wiregate.Authenticator;
import io.wiregate.EncryptionHandshake;
import io.wiregate.ConnectionInterceptor;
import io.wiregate.GatewayBinding;
import io.wiregate.PacketInterceptor;
import io.wiregate.RoomGuard;

/**
 * The interceptors and room guards that apply to one gateway, resolved once at start: CDI beans of the
 * contract type whose binding annotations (see {@link GatewayBinding}) the gateway carries too, ordered by
 * {@link Priority} (lowest first, 5000 without one).
 *
 * @param connection connection interceptors, outermost first
 * @param packet     packet interceptors, outermost first
 * @param roomGuards room guards
 * @param handshakes the application's encryption handshakes (the first applies; none: the JDK one)
 */
record Interceptors(List<ConnectionInterceptor> connection, List<PacketInterceptor> packet,
                           List<RoomGuard> roomGuards, List<Authenticator> authenticators,
                           List<EncryptionHandshake> handshakes) {

    /** Priority of an interceptor without {@code @Priority}. */
    public static final int DEFAULT_PRIORITY = 5000;

    public Interceptors {
        connection = List.copyOf(connection);
        packet = List.copyOf(packet);
        roomGuards = List.copyOf(roomGuards);
        authenticators = List.copyOf(authenticators);
        handshakes = List.copyOf(handshakes);
    }

    /** Without an application handshake. */
    Interceptors(List<ConnectionInterceptor> connection, List<PacketInterceptor> packet, List<RoomGuard> roomGuards,
                 List<Authenticator> authenticators) {
        this(connection, packet, roomGuards, authenticators, List.of());
    }

    /** The encryption handshake of a gateway with encryption: the application's first, or the JDK one. */
    EncryptionHandshake handshake() {
        return handshakes.isEmpty() ? new JdkEncryptionHandshake() : handshakes.get(0);
    }

    /** Resolves what applies to {@code gatewayClass} among the beans {@code beanManager} sees and {@code discovered}. */
    static Interceptors resolve(Class<?> gatewayClass, BeanManager beanManager, Collection<Bean<?>> discovered) {
        return new Interceptors(
                applicable(ConnectionInterceptor.class, gatewayClass, beanManager, discovered),
                applicable(PacketInterceptor.class, gatewayClass, beanManager, discovered),
                applicable(RoomGuard.class, gatewayClass, beanManager, discovered),
                applicable(Authenticator.class, gatewayClass, beanManager, discovered),
                applicable(EncryptionHandshake.class, gatewayClass, beanManager, discovered));
    }

    static boolean isContractBean(Bean<?> bean) {
        return bean.getTypes().contains(ConnectionInterceptor.class) || bean.getTypes().contains(PacketInterceptor.class)
                || bean.getTypes().contains(RoomGuard.class) || bean.getTypes().contains(Authenticator.class)
                || bean.getTypes().contains(EncryptionHandshake.class);
    }

    private static <T> List<T> applicable(Class<T> contract, Class<?> gatewayClass, BeanManager beanManager,
                                          Collection<Bean<?>> discovered) {
        Set<Annotation> gatewayBindings = bindingsOf(gatewayClass);
        Set<Bean<?>> candidates = new java.util.LinkedHashSet<>(beanManager.getBeans(contract, Any.Literal.INSTANCE));
        discovered.stream().filter(b -> b.getTypes().contains(contract)).forEach(candidates::add);
        List<Bean<?>> beans = new ArrayList<>();
        for (Bean<?> bean : candidates) {
            if (gatewayBindings.containsAll(bindingsOf(bean.getBeanClass()))) {
                beans.add(bean);
            }
        }
        beans.sort(Comparator.comparingInt((Bean<?> b) -> priorityOf(b.getBeanClass()))
                .thenComparing(b -> b.getBeanClass().getName()));
        List<T> instances = new ArrayList<>(beans.size());
        for (Bean<?> bean : beans) {
            instances.add(contract.cast(beanManager.getReference(bean, contract, beanManager.createCreationalContext(bean))));
        }
        return instances;
    }

    /** Whether two binding sets make an interceptor apply; exposed for tests. */
    static boolean applies(Class<?> interceptorClass, Class<?> gatewayClass) {
        return bindingsOf(gatewayClass).containsAll(bindingsOf(interceptorClass));
    }

    static int priorityOf(Class<?> type) {
        Priority p = type.getAnnotation(Priority.class);
        return p == null ? DEFAULT_PRIORITY : p.value();
    }

    private static Set<Annotation> bindingsOf(Class<?> type) {
        return java.util.Arrays.stream(type.getAnnotations())
                .filter(a -> a.annotationType().isAnnotationPresent(GatewayBinding.class))
                .collect(Collectors.toSet());
    }
}
