package io.wiregate.cdi.transport;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import jakarta.websocket.Session;

import org.glassfish.tyrus.core.ProtocolHandler;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;

/**
 * Internal SPI: Tyrus's transport writer under a Jakarta {@link Session}, for the containers that run Tyrus 2.1
 * (Payara; the standalone runtime). Tyrus has no public API for it: the session's remote endpoint holds the
 * {@code TyrusWebSocket}, whose protocol handler holds the transport {@link Writer}. This class is the only one that
 * reflects into a Tyrus session; runtime-tyrus's {@code TyrusInternalsTest} fails loudly when an upgrade breaks it.
 * Loaded only where Tyrus is (its types are not on other containers' class paths).
 */
public final class TyrusSessions {

    private TyrusSessions() {
    }

    /** Whether {@code session} is a Tyrus session. */
    static boolean isTyrus(Session session) {
        return session.getClass().getName().startsWith("org.glassfish.tyrus.");
    }

    /**
     * The protocol handler of a Tyrus session: it frames what the session sends and owns its writer.
     *
     * @throws ReflectiveOperationException if this Tyrus is not shaped as 2.1 is
     */
    public static ProtocolHandler protocolHandlerOf(Session session) throws ReflectiveOperationException {
        Object webSocket = field(session.getAsyncRemote(), "webSocket");
        Method handler = webSocket.getClass().getDeclaredMethod("getProtocolHandler");
        handler.setAccessible(true);
        return (ProtocolHandler) handler.invoke(webSocket);
    }

    /**
     * The transport writer of a protocol handler.
     *
     * @throws ReflectiveOperationException if this Tyrus is not shaped as 2.1 is
     */
    public static Writer writerOf(ProtocolHandler handler) throws ReflectiveOperationException {
        return (Writer) field(handler, "writer");
    }

    /**
     * Writes pre-encoded frames straight to {@code writer}, bypassing Tyrus's framing. Tyrus's writers take any
     * number of writes, queuing what the socket does not take at once; a completion may run on the writing thread
     * before {@code write} returns.
     */
    public static RawWriter rawWriter(Writer writer) {
        return (frames, done) -> writer.write(frames, new Completion(done));
    }

    /**
     * Reads a field, declared by the object's class or a superclass.
     *
     * @throws ReflectiveOperationException if there is no such field, or it cannot be read
     */
    public static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(target.getClass().getName() + "." + name);
    }

    private static final class Completion extends CompletionHandler<ByteBuffer> {
        private final Consumer<Throwable> done;

        Completion(Consumer<Throwable> done) {
            this.done = done;
        }

        @Override
        public void completed(ByteBuffer result) {
            done.accept(null);
        }

        @Override
        public void failed(Throwable throwable) {
            done.accept(throwable);
        }

        @Override
        public void cancelled() {
            done.accept(new CancellationException("write cancelled"));
        }
    }
}
