package io.wiregate.chat;

import io.wiregate.tyrus.Main;

/**
 * {@code java -jar chat.jar}: the standalone runtime, serving the chat page ({@code static/index.html})
 * at {@code http://127.0.0.1:8025/} unless {@code -Dwiregate.static} says otherwise; on Tyrus, or on Netty with
 * {@code -Dwiregate.runtime=netty}.
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
