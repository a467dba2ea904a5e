package io.wiregate.it;

import static io.wiregate.it.Cluster.NAMESPACE;
import static io.wiregate.it.Cluster.envelope;
import static io.wiregate.it.Cluster.member;
import static io.wiregate.it.Cluster.redis;
import static io.wiregate.it.Cluster.status;
import static io.wiregate.it.Cluster.wiregateClientNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.wiregate.it.Cluster.Member;

/**
 * A cluster WAR the test deploys and undeploys itself (a class of its own: the Payara Micro adapter runs one
 * application at a time, in a Payara Micro it starts for the deployment and stops on undeploy).
 */
@RunAsClient
@ExtendWith({ArquillianExtension.class, ClusterRedis.class})
class ClusterUndeployIT {

    private static final String NAME = "cluster-undeployed";
    private static final String PREFIX = "wgit-" + UUID.randomUUID().toString().substring(0, 8);

    @Deployment(name = NAME, managed = false, testable = false)
    static WebArchive deployment() {
        return Cluster.war(NAME, PREFIX);
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    void undeployClosesTheClientsThenTheApplicationsRedisConnections() throws Exception {
        Set<String> nodesBefore = wiregateClientNames();
        int logBefore = Server.log().length();
        deployer.deploy(NAME);
        boolean deployed = true;
        String name;
        try {
            JsonObject status = status(NAME);
            assertThat(status.getBoolean("active")).as("%s", status).isTrue();
            name = "wiregate-" + status.getString("serverId");
            assertThat(wiregateClientNames()).contains(name);
            try (Member erin = member(NAME, "erin")) {
                assertThat(redis().publish(PREFIX + ":broadcast", envelope("emitter", "broadcast", NAMESPACE, null, "hello", "{}")))
                        .as("subscriptions").isEqualTo(1);
                assertThat(erin.next().event()).isEqualTo("hello");
                deployer.undeploy(NAME);
                deployed = false;
                assertThat(erin.closeCode()).isEqualTo(1001);
            }
        } finally {
            if (deployed) {
                deployer.undeploy(NAME);
            }
        }
        await("the undeployed node's Redis connections are closed").atMost(Clients.WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> !wiregateClientNames().contains(name));
        assertThat(nodesBefore).as("no other node's connections were opened").containsAll(wiregateClientNames());
        assertThat(redis().publish(PREFIX + ":broadcast", envelope("emitter", "broadcast", NAMESPACE, null, "hello", "{}")))
                .as("subscriptions left").isZero();
        String log = Server.log();
        String serverSide = log.substring(Math.min(logBefore, log.length()));
        assertThat(Server.current().warningsAbout(serverSide, "wiregate", "redisson", "netty"))
                .as("warnings in the server log from deploy to undeploy").isEmpty();
    }
}
