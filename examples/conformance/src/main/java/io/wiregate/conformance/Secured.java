package io.wiregate.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.wiregate.GatewayBinding;

/** Binds {@link PrivateRoomGuard} to the gateways carrying it. */
@GatewayBinding
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Secured {
}
