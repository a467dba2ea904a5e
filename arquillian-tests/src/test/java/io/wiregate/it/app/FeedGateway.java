package io.wiregate.it.app;

import java.util.Map;

import jakarta.inject.Inject;

import io.wiregate.Broadcaster;
import io.wiregate.Gateway;
import io.wiregate.OnEvent;

/** Connection state recovery (docs/protocol.md section 9): {@code push} {@code {"room", "seq"}} delivers {@code item} to the room. */
@Gateway(value = "/feed", heartbeatTimeoutMs = 0, recovery = true)
public class FeedGateway {

    /** What {@code push} asks for. */
    public record Push(String room, int seq) {
    }

    @Inject
    Broadcaster<FeedGateway> feed;

    @OnEvent("push")
    void push(Push p) {
        feed.toRoom(p.room()).emit("item", Map.of("seq", p.seq()));
    }
}
