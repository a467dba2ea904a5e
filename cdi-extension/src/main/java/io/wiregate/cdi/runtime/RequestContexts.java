package io.wiregate.cdi.runtime;

import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;

/**
 * Activates the request context around handler calls. A {@link RequestContextController} is a dependent bean
 * that must not be shared between threads at once, and looking one up per frame is costly, so controllers are
 * pooled: a call borrows one, and returns it afterwards. The pool holds at most as many controllers as threads
 * ever called at once; {@link #close()} destroys them.
 */
final class RequestContexts implements AutoCloseable {

    private final Instance<RequestContextController> lookup;
    private final ConcurrentLinkedQueue<Instance.Handle<RequestContextController>> idle = new ConcurrentLinkedQueue<>();

    RequestContexts(Instance<RequestContextController> lookup) {
        this.lookup = lookup;
    }

    /** Borrows a controller; give it back with {@link #giveBack}. */
    Instance.Handle<RequestContextController> borrow() {
        Instance.Handle<RequestContextController> handle = idle.poll();
        return handle != null ? handle : lookup.getHandle();
    }

    void giveBack(Instance.Handle<RequestContextController> handle) {
        idle.offer(handle);
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
