package io.wiregate.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the application's gateways for a JUnit 5 test class: before its first test, Weld SE starts with the bean
 * archives of the test class path (or only {@link #beanClasses()}) and the standalone runtime listens on a free port
 * of 127.0.0.1; after its last test everything stops. Test methods (and lifecycle methods) declare a
 * {@link Gateways} parameter to connect clients, which are closed after each test.
 *
 * <pre>{@code
 * @WiregateTest
 * class ChatGatewayTest {
 *     @Test
 *     void aMessageReachesTheRoom(Gateways gateways) throws Exception {
 *         WiregateClient ada = gateways.connectAs("/chat", Map.of("name", "ada"));
 *         WiregateClient bob = gateways.connectAs("/chat", Map.of("name", "bob"));
 *         Events<ChatMessage> bobSees = Events.of(bob, "message", ChatMessage.class);
 *         Gateways.await(ada.join("lobby"));
 *         Gateways.await(bob.join("lobby"));
 *         ada.emit("message", new SendMessage("lobby", "hello"));
 *         assertThat(bobSees.next().text()).isEqualTo("hello");
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(WiregateTestExtension.class)
public @interface WiregateTest {

    /**
     * The bean classes to deploy, instead of the bean archives of the class path: for gateways declared in the test
     * itself. Empty (the default): every bean archive ({@code META-INF/beans.xml}) of the class path.
     */
    Class<?>[] beanClasses() default {};

    /**
     * Configuration for these gateways, as {@code key=value} system properties set while they start and cleared
     * when they stop; for example {@code "wiregate.chat.heartbeat-timeout-ms=800"}.
     */
    String[] properties() default {};
}
