package io.wiregate.chat;

import java.util.logging.Logger;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Broadcast;
import io.wiregate.Broadcaster;
import io.wiregate.CloseStatus;
import io.wiregate.Gateway;
import io.wiregate.Identity;
import io.wiregate.OnClose;
import io.wiregate.OnEvent;
import io.wiregate.OnOpen;
import io.wiregate.Peer;

/**
 * The chat at {@code /chat}. A client authenticates with {@code {"event":"authenticate","data":{"name":"ada"}}},
 * joins rooms with the system event {@code join}, and then sends {@code message} and {@code typing} events.
 * Clients must send {@code heartbeat} at least every 60 s (the page sends one every 20 s). With connection state
 * recovery: a page whose connection drops for a moment gets the messages it missed when it reconnects. With
 * presence (users): the page asks who is in its room ({@code presence}) and hears {@code presence.online} and
 * {@code presence.offline} once per user, however many tabs it has, on every node.
 */
@Gateway(value = "/chat", auth = Auth.MESSAGE, recovery = true, presence = io.wiregate.Presence.USERS)
public class ChatGateway {

    private static final Logger LOG = Logger.getLogger(ChatGateway.class.getName());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /** The credentials of {@code authenticate}. */
    public record Login(String name) {
    }

    /** What a client sends as {@code message}. */
    public record SendMessage(@NotBlank String room, @NotBlank @Size(max = 500) String text) {
    }

    /** What {@code message} delivers to the room. */
    public record ChatMessage(String room, String from, String text, long time) {
    }

    /** What a client sends as {@code typing}. */
    public record Typing(@NotBlank String room) {
    }

    /** What {@code typing} delivers to the others in the room. */
    public record TypingNotice(String room, String from) {
    }

    @Inject
    Broadcaster<ChatGateway> chat;

    /**
     * A demo login: there are no passwords, any well-formed name is accepted as the user id (and two people
     * may pick the same one). A real application checks a token or a password here.
     */
    @Authenticate
    Identity login(Login credentials) {
        if (credentials == null || credentials.name() == null || !NAME.matcher(credentials.name()).matches()) {
            return null; // refused: the connection is closed with 4003
        }
        return Identity.of(credentials.name());
    }

    @OnOpen
    void opened(Peer peer) {
        LOG.info(() -> "client " + peer.id() + " connected as " + peer.userId());
    }

    @OnClose
    void closed(Peer peer, CloseStatus status) {
        String who = peer.userId() == null ? "before logging in" : "(" + peer.userId() + ")";
        LOG.info(() -> "client " + peer.id() + " closed " + who + ": " + status.code() + " " + status.reason());
    }

    /**
     * Delivers a message to every member of its room, the sender included. Only members may post to a room:
     * a message to a room the sender has not joined delivers nothing (the page never sends one).
     */
    @OnEvent("message")
    @Broadcast(value = "message", roomFrom = "room")
    ChatMessage message(@Valid SendMessage m, Peer peer) {
        if (!peer.rooms().contains(m.room())) {
            return null;
        }
        return new ChatMessage(m.room(), peer.userId(), m.text(), System.currentTimeMillis());
    }

    /** "X is typing...": to the room's other members, dropped rather than queued for a slow client. */
    @OnEvent("typing")
    void typing(@Valid Typing t, Peer peer) {
        if (peer.rooms().contains(t.room())) {
            chat.toRoom(t.room()).except(peer.id()).emitVolatile("typing", new TypingNotice(t.room(), peer.userId()));
        }
    }
}
