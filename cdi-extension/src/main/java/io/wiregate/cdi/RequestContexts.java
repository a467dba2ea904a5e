package io.wiregate.cdi;

import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;

/**
 * Activates the request context around each unit of work a connection causes: an upgrade's authentication, an
 * opening (connection interceptors' {@code enter}, {@code @OnOpen}), an inbound text frame (packet interceptors,
 * authenticators, room guards, the handler) and a close ({@code exit}, {@code @OnClose}). Everything of one
 * unit shares one request scope, as a servlet request does. Where the container already has one active, it is
 * used as it is.
 *
 * <p>A {@link RequestContextController} is a dependent bean that must not be shared between threads at once,
 * and looking one up per frame is costly, so controllers are pooled: a call borrows one, and returns it
 * afterwards. The pool holds at most as many controllers as threads ever ran at once; {@link #close()} destroys
 * them.
 */
final class RequestContexts implements RequestScope, AutoCloseable {

    private final Instance<RequestContextController> lookup;
    private final ConcurrentLinkedQueue<Instance.Handle<RequestContextController>> idle = new ConcurrentLinkedQueue<>();

    RequestContexts(Instance<RequestContextController> lookup) {
        this.lookup = lookup;
    }

    /** Runs {@code work} with the request context active, activating it for the duration if it is not. */
    @Override
    public void run(Runnable work) {
        Instance.Handle<RequestContextController> handle = idle.poll();
        if (handle == null) {
            handle = lookup.getHandle();
        }
        RequestContextController controller = handle.get();
        boolean activated = controller.activate();
        try {
            work.run();
        } finally {
            if (activated) {
                controller.deactivate();
            }
            idle.offer(handle);
        }
    }

    @Override
    public void close() {
        for (Instance.Handle<RequestContextController> handle; (handle = idle.poll()) != null; ) {
            try {
                handle.destroy();
            } catch (RuntimeException e) {
                // the container is going away
            }
        }
    }
}
