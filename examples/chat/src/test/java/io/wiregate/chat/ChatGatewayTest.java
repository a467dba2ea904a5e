package io.wiregate.chat;

import static io.wiregate.test.Gateways.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.wiregate.chat.ChatGateway.ChatMessage;
import io.wiregate.chat.ChatGateway.Login;
import io.wiregate.chat.ChatGateway.SendMessage;
import io.wiregate.chat.ChatGateway.Typing;
import io.wiregate.chat.ChatGateway.TypingNotice;
import io.wiregate.client.WiregateClient;
import io.wiregate.client.WiregateException;
import io.wiregate.test.Events;
import io.wiregate.test.Gateways;
import io.wiregate.test.WiregateTest;

/** The chat's gateway, as its users see it: the application started standalone, real clients over real sockets. */
@WiregateTest
class ChatGatewayTest {

    @Test
    void membersOfARoomReceiveMessagesAndTyping(Gateways gateways) {
        WiregateClient alice = gateways.connectAs("/chat", new Login("alice"));
        WiregateClient bob = gateways.connectAs("/chat", new Login("bob"));
        Events<ChatMessage> aliceSees = Events.of(alice, "message", ChatMessage.class);
        Events<ChatMessage> bobSees = Events.of(bob, "message", ChatMessage.class);
        Events<TypingNotice> aliceSeesTyping = Events.of(alice, "typing", TypingNotice.class);
        assertThat(await(alice.join("lobby"))).containsExactly("lobby");
        assertThat(await(bob.join("lobby"))).containsExactly("lobby");

        await(alice.request("message", new SendMessage("lobby", "hello bob"), Void.class));
        for (Events<ChatMessage> seen : List.of(aliceSees, bobSees)) {
            ChatMessage message = seen.next();
            assertThat(message.room()).isEqualTo("lobby");
            assertThat(message.from()).isEqualTo("alice");
            assertThat(message.text()).isEqualTo("hello bob");
            assertThat(message.time()).isPositive();
        }

        bob.emit("typing", new Typing("lobby"));
        assertThat(aliceSeesTyping.next()).isEqualTo(new TypingNotice("lobby", "bob"));

        assertThatThrownBy(() -> await(alice.request("message", new SendMessage("lobby", "  "), Void.class)))
                .isInstanceOfSatisfying(WiregateException.class, e -> assertThat(e.code()).isEqualTo("validation"));
    }

    @Test
    void privateRoomsAreForStaffOnly(Gateways gateways) {
        WiregateClient guest = gateways.connectAs("/chat", new Login("guest"));
        assertThatThrownBy(() -> await(guest.join("private-ops", "lobby")))
                .isInstanceOfSatisfying(WiregateException.class, e -> {
                    assertThat(e.code()).isEqualTo("forbidden");
                    assertThat(e.getMessage()).contains("private-ops");
                });
        WiregateClient staff = gateways.connectAs("/chat", new Login("staff-ann"));
        assertThat(await(staff.join("private-ops"))).containsExactly("private-ops");
    }

    @Test
    void shoutedMessagesAreRefusedByThePacketInterceptor(Gateways gateways) {
        WiregateClient alice = gateways.connectAs("/chat", new Login("alice"));
        Events<ChatMessage> aliceSees = Events.of(alice, "message", ChatMessage.class);
        await(alice.join("lobby"));
        assertThatThrownBy(() -> await(alice.request("message", new SendMessage("lobby", "HELLO EVERYONE"), Void.class)))
                .isInstanceOfSatisfying(WiregateException.class, e -> assertThat(e.code()).isEqualTo("forbidden"));
        alice.emit("message", new SendMessage("lobby", "hello everyone"));
        assertThat(aliceSees.next().text()).isEqualTo("hello everyone");
    }

    @Test
    void anInvalidNameIsClosedWith4003(Gateways gateways) {
        assertThatThrownBy(() -> gateways.connectAs("/chat", new Login("not a valid name!")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("4003");
    }
}
