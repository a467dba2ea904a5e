package io.wiregate.chat;

import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import io.wiregate.Chain;
import io.wiregate.CloseStatus;
import io.wiregate.ConnectionInterceptor;
import io.wiregate.Peer;

/** Logs every connection as it enters and exits (the outermost connection interceptor). */
@Priority(100)
@ApplicationScoped
public class ConnectionLog implements ConnectionInterceptor {

    private static final Logger LOG = Logger.getLogger(ConnectionLog.class.getName());

    @Override
    public void enter(Peer peer, Chain chain) throws Exception {
        LOG.info(() -> "enter " + peer.id() + " on " + peer.namespace());
        chain.proceed();
    }

    @Override
    public void exit(Peer peer, CloseStatus status, Chain chain) throws Exception {
        LOG.info(() -> "exit " + peer.id() + " (" + (peer.userId() == null ? "anonymous" : peer.userId()) + "), close "
                + status.code());
        chain.proceed();
    }
}
