package io.wiregate.cdi;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;

/**
 * A lifecycle method of a gateway ({@code @OnOpen}, {@code @OnClose}, {@code @Authenticate}).
 *
 * @param method      the method, made accessible
 * @param params      what to pass for each parameter
 * @param payloadType the type of the credentials parameter of an authenticator, else null
 */
record CallbackModel(Method method, List<ParamKind> params, Type payloadType) {

    public CallbackModel {
        params = List.copyOf(params);
    }
}
