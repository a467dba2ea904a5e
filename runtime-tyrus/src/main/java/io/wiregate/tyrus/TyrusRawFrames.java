package io.wiregate.tyrus;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.Session;

import org.glassfish.tyrus.spi.CompletionHandler;

import io.wiregate.cdi.session.RawFrames;

/**
 * Writes pre-encoded frames straight to Tyrus's transport writer (see {@link TyrusInternals}), so that a
 * delivery is encoded once for all recipients and a client's queued frames leave in one write. Sessions with
 * negotiated extensions (which would need to transform frames) keep the portable path, and so does everything
 * if Tyrus's internals are not as expected.
 */
public final class TyrusRawFrames implements RawFrames {

    private static final Logger LOG = Logger.getLogger(TyrusRawFrames.class.getName());
    private static volatile boolean warned;

    @Override
    public RawFrames.Writer writerFor(Session session) {
        if (!session.getNegotiatedExtensions().isEmpty()) {
            return null;
        }
        try {
            org.glassfish.tyrus.spi.Writer writer = TyrusInternals.writerOf(session);
            return (frames, done) -> writer.write(frames, new Completion(done));
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "Tyrus internals differ: frames take the portable path", e);
            }
            return null;
        }
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
            done.accept(new java.util.concurrent.CancellationException("write cancelled"));
        }
    }
}
