package io.wiregate.it;

import java.net.URI;
import java.util.UUID;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.wiregate.it.app.FeedGateway;

/**
 * Connection state recovery in a WAR on Redis (docs/protocol.md section 9, on several nodes): the gateway's history is
 * a Redis Stream, a connection becomes connected once its session record came back from it, and deliveries reach even
 * this node's clients through it. A client cut mid-burst resumes, and has every event once, in order.
 */
@RunAsClient
@ExtendWith({ArquillianExtension.class, ClusterRedis.class})
class ClusterRecoveryIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.clusterWar("feedcluster", ClusterRedis.server().address(),
                "wgrec-" + UUID.randomUUID().toString().substring(0, 8), FeedGateway.class);
    }

    @Test
    void aClientCutOffMidBurstResumesFromTheSharedHistoryAndMissesNothing() throws Exception {
        CutMidBurst.resumesWithEveryEventOnceInOrder(
                URI.create("ws://127.0.0.1:" + System.getProperty("it.http.port") + "/feedcluster/feed"));
    }
}
