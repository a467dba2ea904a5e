package io.wiregate.chat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * recovery: a page whose connection drops for a moment gets the messages it missed when it reconnects.
 */
@Gateway(value = "/chat", auth = Auth.MESSAGE, recovery = true)
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

    /** {@code presence}: a user came online or went offline. */
    public record Presence(String user, boolean online) {
    }

    @Inject
    Broadcaster<ChatGateway> chat;

    /** Open sessions per user id: a user with two tabs stays online until both are closed. */
    private final Map<String, Integer> sessions = new ConcurrentHashMap<>();

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
        // Tell the newcomer who is already here, then tell everyone (the newcomer too) about the newcomer.
        sessions.keySet().forEach(user -> peer.emit("presence", new Presence(user, true)));
        sessions.merge(peer.userId(), 1, Integer::sum);
        chat.toAll().emit("presence", new Presence(peer.userId(), true));
    }

    @OnClose
    void closed(Peer peer, CloseStatus status) {
        String who = peer.userId() == null ? "before logging in" : "(" + peer.userId() + ")";
        LOG.info(() -> "client " + peer.id() + " closed " + who + ": " + status.code() + " " + status.reason());
        if (peer.userId() == null) {
            return; // never authenticated: nobody was told it was here
        }
        boolean stillOnline = sessions.computeIfPresent(peer.userId(), (user, n) -> n > 1 ? n - 1 : null) != null;
        chat.toAll().emit("presence", new Presence(peer.userId(), stillOnline));
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
