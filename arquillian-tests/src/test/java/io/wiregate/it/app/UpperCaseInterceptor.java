package io.wiregate.it.app;

import java.util.Locale;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/** Upper-cases the String result of methods carrying {@link UpperCase}. */
@UpperCase
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class UpperCaseInterceptor {

    @AroundInvoke
    Object upperCase(InvocationContext context) throws Exception {
        Object result = context.proceed();
        return result instanceof String s ? s.toUpperCase(Locale.ROOT) : result;
    }
}
