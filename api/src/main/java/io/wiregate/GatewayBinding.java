package io.wiregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Meta-annotation for binding annotations: an interceptor or room guard bean annotated with a binding
 * annotation applies only to the gateways annotated with the same binding (members included); one without
 * any binding applies to every gateway.
 *
 * <pre>{@code
 * @GatewayBinding @Retention(RUNTIME) @Target(TYPE) public @interface Audited { }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.ANNOTATION_TYPE)
public @interface GatewayBinding {
}
