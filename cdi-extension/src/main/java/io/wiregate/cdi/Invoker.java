package io.wiregate.cdi;

import java.lang.reflect.Method;

/** Calls a method of the gateway through its CDI contextual reference, with the request context active. */
@FunctionalInterface
interface Invoker {

    /**
     * Calls {@code method} with {@code args}.
     *
     * @throws Throwable whatever the method threw, unwrapped
     */
    Object invoke(Method method, Object[] args) throws Throwable;
}
