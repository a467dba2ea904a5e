package io.wiregate.it.app;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.wiregate.Chain;
import io.wiregate.CloseStatus;
import io.wiregate.ConnectionInterceptor;
import io.wiregate.Peer;

/** Counts the connections of {@link Audited} gateways. */
@Audited
@Priority(100)
@ApplicationScoped
public class AuditConnections implements ConnectionInterceptor {

    @Inject
    AuditLog log;

    @Override
    public void enter(Peer peer, Chain chain) throws Exception {
        log.entered();
        chain.proceed();
    }

    @Override
    public void exit(Peer peer, CloseStatus status, Chain chain) throws Exception {
        log.exited();
        chain.proceed();
    }
}
