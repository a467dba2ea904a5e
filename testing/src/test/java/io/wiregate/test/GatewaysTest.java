package io.wiregate.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.junit.jupiter.api.Test;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcast;
import io.wiregate.Broadcaster;
import io.wiregate.Emit;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnEvent;
import io.wiregate.Peer;
import io.wiregate.client.WiregateClient;
import io.wiregate.client.WiregateException;

/** {@link WiregateTest} as an application's test uses it: gateways of the test itself, clients, events, beans. */
@WiregateTest(beanClasses = {GatewaysTest.Board.class, GatewaysTest.Announcer.class},
        properties = "wiregate.board.heartbeat-timeout-ms=45000")
class GatewaysTest {

    public record Login(String name) {
    }

    public record Post(@NotBlank String text) {
    }

    public record Posted(String from, String text) {
    }

    @Gateway(value = "/board", auth = Auth.MESSAGE)
    public static class Board {

        @Authenticate
        Identity login(Login login) {
            return login != null && login.name() != null && login.name().matches("[a-z]+") ? Identity.of(login.name()) : null;
        }

        @OnEvent("post")
        @Broadcast("posted")
        Posted post(@Valid Post post, Peer peer) {
            return new Posted(peer.userId(), post.text());
        }

        @OnEvent("whoami")
        @Emit("whoami")
        String whoami(Peer peer) {
            return peer.userId();
        }
    }

    /** A service of the application, which a test can drive. */
    @ApplicationScoped
    public static class Announcer {
        @Inject
        Broadcaster<Board> board;

        void announce(String text) {
            board.toAll().emit("posted", new Posted("system", text));
        }
    }

    @Test
    void clientsConnectAuthenticatedAndSeeEachOthersEventsInOrder(Gateways gateways) {
        WiregateClient ada = gateways.connectAs("/board", new Login("ada"));
        WiregateClient bob = gateways.connectAs("/board", Map.of("name", "bob"));
        assertThat(ada.state()).isEqualTo(WiregateClient.State.CONNECTED);
        assertThat(Gateways.await(bob.request("whoami", null, String.class))).isEqualTo("bob");

        Events<Posted> bobSees = Events.of(bob, "posted", Posted.class);
        ada.emit("post", new Post("one"));
        ada.emit("post", new Post("two"));
        assertThat(bobSees.next()).isEqualTo(new Posted("ada", "one"));
        assertThat(bobSees.next()).isEqualTo(new Posted("ada", "two"));
    }

    @Test
    void theServersErrorsReachTheTestAsWiregateExceptions(Gateways gateways) {
        WiregateClient ada = gateways.connectAs("/board", new Login("ada"));
        assertThatThrownBy(() -> Gateways.await(ada.request("post", new Post(" "), Void.class)))
                .isInstanceOfSatisfying(WiregateException.class, e -> {
                    assertThat(e.code()).isEqualTo("validation");
                    assertThat(e.violations()).extracting(v -> v.path()).containsExactly("text");
                });
    }

    @Test
    void refusedCredentialsFailTheConnectWithTheCloseCode(Gateways gateways) {
        assertThatThrownBy(() -> gateways.connectAs("/board", new Login("NOT VALID")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("4003");
    }

    @Test
    void beansOfTheApplicationAreReachable(Gateways gateways) {
        WiregateClient ada = gateways.connectAs("/board", new Login("ada"));
        Events<Posted> adaSees = Events.of(ada, "posted", Posted.class);
        gateways.bean(Announcer.class).announce("maintenance at noon");
        assertThat(adaSees.next()).isEqualTo(new Posted("system", "maintenance at noon"));

        gateways.bean(new TypeLiteral<Broadcaster<Board>>() { }).toUser("ada").emit("posted", new Posted("system", "hi ada"));
        assertThat(adaSees.next()).isEqualTo(new Posted("system", "hi ada"));
    }

    @Test
    void thePropertiesAreSetWhileTheGatewaysRun(Gateways gateways) {
        assertThat(System.getProperty("wiregate.board.heartbeat-timeout-ms")).isEqualTo("45000");
        assertThat(gateways.uri("/board").toString()).isEqualTo("ws://127.0.0.1:" + gateways.port() + "/board");
    }

    @Test
    void clientsOfEarlierTestsAreClosed(Gateways gateways) {
        WiregateClient first = gateways.connectAs("/board", new Login("cy"));
        gateways.closeClients(); // what the extension does after each test
        assertThat(first.state()).isEqualTo(WiregateClient.State.CLOSED);
    }
}
