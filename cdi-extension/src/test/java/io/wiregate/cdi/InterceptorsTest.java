package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.annotation.Priority;

import org.junit.jupiter.api.Test;

import io.wiregate.GatewayBinding;

class InterceptorsTest {

    @GatewayBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface Audited {
    }

    @GatewayBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface Tenant {
        String value();
    }

    static class Unbound {
    }

    @Audited
    static class AuditedInterceptor {
    }

    @Tenant("a")
    static class TenantAInterceptor {
    }

    @Priority(10)
    static class Early {
    }

    static class PlainGateway {
    }

    @Audited
    @Tenant("a")
    static class AuditedTenantAGateway {
    }

    @Tenant("b")
    static class TenantBGateway {
    }

    @Test
    void anInterceptorWithoutBindingAppliesToEveryGateway() {
        assertThat(Interceptors.applies(Unbound.class, PlainGateway.class)).isTrue();
        assertThat(Interceptors.applies(Unbound.class, AuditedTenantAGateway.class)).isTrue();
    }

    @Test
    void aBoundInterceptorAppliesOnlyToGatewaysCarryingTheSameBinding() {
        assertThat(Interceptors.applies(AuditedInterceptor.class, AuditedTenantAGateway.class)).isTrue();
        assertThat(Interceptors.applies(AuditedInterceptor.class, PlainGateway.class)).isFalse();
    }

    @Test
    void bindingMembersMustMatch() {
        assertThat(Interceptors.applies(TenantAInterceptor.class, AuditedTenantAGateway.class)).isTrue();
        assertThat(Interceptors.applies(TenantAInterceptor.class, TenantBGateway.class)).isFalse();
    }

    @Test
    void priorityComesFromThePriorityAnnotationOrDefaultsTo5000() {
        assertThat(Interceptors.priorityOf(Early.class)).isEqualTo(10);
        assertThat(Interceptors.priorityOf(Unbound.class)).isEqualTo(Interceptors.DEFAULT_PRIORITY).isEqualTo(5000);
    }
}
