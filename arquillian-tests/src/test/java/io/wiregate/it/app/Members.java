package io.wiregate.it.app;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.wiregate.GatewayBinding;

/** Binds {@link StaffRoomGuard} to {@link ChatGateway}. */
@GatewayBinding
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Members {
}
