package io.wiregate.cdi;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;

/**
 * One event handler of a gateway, ready to call.
 *
 * @param event       the event it handles
 * @param method      the method, made accessible
 * @param params      what to pass for each parameter
 * @param payloadType the generic type of the payload parameter, or null when it takes none
 * @param validated   whether the payload is checked with Bean Validation
 * @param reply       where its return value goes
 */
record HandlerModel(String event, Method method, List<ParamKind> params, Type payloadType, boolean validated,
                           Reply reply) {

    public HandlerModel {
        params = List.copyOf(params);
    }

    /** Whether the method returns nothing. */
    public boolean returnsVoid() {
        return method.getReturnType() == void.class || method.getReturnType() == Void.class;
    }
}
