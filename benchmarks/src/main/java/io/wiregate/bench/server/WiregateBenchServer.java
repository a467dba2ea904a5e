package io.wiregate.bench.server;

import io.wiregate.bench.watch.ParentWatch;

/**
 * The Wiregate benchmark server: Wiregate's stock standalone {@code io.wiregate.tyrus.Main} (Weld SE discovers
 * {@link BenchGateway} in this jar), plus {@link ParentWatch}. Prints {@code LISTENING ws://127.0.0.1:PORT};
 * {@code -Dwiregate.port=0} picks a free port.
 */
public final class WiregateBenchServer {

    private WiregateBenchServer() {
    }

    public static void main(String[] args) {
        ParentWatch.start();
        io.wiregate.tyrus.Main.main(args);
    }
}
