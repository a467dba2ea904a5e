package io.wiregate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import static io.wiregate.test.Gateways.await;
import static io.wiregate.testing.Wire.data;
import static io.wiregate.testing.Wire.event;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.wiregate.client.Disconnected;
import io.wiregate.client.WiregateClient;
import io.wiregate.it.app.NewsGateway;
import io.wiregate.it.broken.BrokenGateway;
import io.wiregate.testing.RawWebSocket;

/** Deployments the test drives itself: undeploy closes every client with 1001; an invalid gateway fails the deployment. */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class LifecycleIT {

    @Deployment(name = "undeployed", managed = false, testable = false)
    static WebArchive undeployed() {
        return Deployments.war("undeployed", NewsGateway.class);
    }

    @Deployment(name = "broken", managed = false, testable = false)
    static WebArchive broken() {
        return Deployments.war("broken", BrokenGateway.class);
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    void undeployClosesEveryClientWith1001() throws Exception {
        deployer.deploy("undeployed");
        URI uri = URI.create("ws://127.0.0.1:" + System.getProperty("it.http.port") + "/undeployed/news");
        // A wiregate-client, and a plain socket that sees every frame before the close.
        try (WiregateClient client = Clients.connect(uri); RawWebSocket socket = RawWebSocket.connect(uri)) {
            CompletableFuture<Disconnected> clientClosed = Clients.disconnected(client);
            assertThat(event(socket.next(Clients.WAIT))).isEqualTo("connected");
            deployer.undeploy("undeployed");

            assertThat(await(clientClosed).code()).isEqualTo(1001);
            assertThat(socket.awaitClose(Clients.WAIT)).as("the code of the close frame").isEqualTo(1001);
            List<JsonObject> received = socket.received();
            assertThat(received.subList(1, received.size())).as("a disconnect announcing the close is allowed; nothing else is")
                    .hasSizeLessThanOrEqualTo(1).allSatisfy(disconnect -> {
                        assertThat(event(disconnect)).isEqualTo("disconnect");
                        assertThat(data(disconnect).asJsonObject().getInt("code")).isEqualTo(1001);
                    });
        }
    }

    @Test
    void aBrokenGatewayFailsTheDeploymentWithTheValidatorsMessage() throws Exception {
        int logBefore = Server.log().length();
        Throwable thrown = catchThrowable(() -> deployer.deploy("broken"));
        String expected = "WG-0004 Event 'connected' on BrokenGateway#connected is a reserved system event";
        if (thrown == null) {
            // Only the server's log reports it (Payara Micro), and the log is read by another thread: wait for it.
            await().atMost(Duration.ofSeconds(30)).until(() -> serverLogSince(logBefore).contains(expected));
        }
        String serverSide = serverLogSince(logBefore);
        String reported = (thrown == null ? "" : stackTrace(thrown)) + serverSide;
        assertThat(reported).contains(expected);
        if (thrown == null) {
            // The Payara Micro adapter reports a failed deployment only in the server's log; the application is absent.
            assertThat(Server.current()).isEqualTo(Server.PAYARA);
            assertThat(serverSide).contains("Exception while loading the app");
            assertThat(RawWebSocket.handshakeStatus(URI.create("ws://127.0.0.1:" + System.getProperty("it.http.port")
                    + "/broken/broken"))).isEqualTo(404);
        }
        try {
            deployer.undeploy("broken");
        } catch (RuntimeException e) {
            // nothing deployed
        }
    }


    private static String serverLogSince(int length) throws java.io.IOException {
        String log = Server.log();
        return log.substring(Math.min(length, log.length()));
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
