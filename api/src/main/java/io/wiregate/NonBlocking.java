package io.wiregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Promises that nothing Wiregate calls for this {@link Gateway}'s connections ever blocks: its handlers,
 * {@code @OnOpen}, {@code @OnClose} and {@code @Authenticate} methods, and the interceptors, authenticators and room
 * guards that apply to it return quickly without waiting on I/O, locks or other threads.
 *
 * <p>On a runtime with event loops (the standalone runtime on Netty), such a gateway's messages are handled on the
 * connection's event loop, without the hand-over to a worker thread that other gateways' messages take: less
 * latency and CPU per message, but a handler that blocks anyway stalls every connection of that event loop. Other
 * runtimes ignore it. Leave it off when in doubt.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NonBlocking {
}
