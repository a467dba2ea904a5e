package io.wiregate.chat;

import io.wiregate.netty.Main;

/**
 * {@code java -jar chat.jar}: the standalone runtime, serving the chat page ({@code static/index.html})
 * at {@code http://127.0.0.1:8025/} unless {@code -Dwiregate.static} says otherwise; on Netty, or on Tyrus with
 * {@code -Dwiregate.runtime=tyrus}.
 */
public final class ChatApp {

    private ChatApp() {
    }

    public static void main(String[] args) {
        if (System.getProperty("wiregate.static") == null) {
            System.setProperty("wiregate.static", "static/");
        }
        Main.main(args);
    }
}
