package io.wiregate.bench.server;

import io.wiregate.bench.watch.ParentWatch;

/**
 * The Wiregate benchmark server on the Netty runtime: Wiregate's stock standalone {@code io.wiregate.netty.Main}
 * (Weld SE discovers {@link BenchGateway} in this jar), plus {@link ParentWatch}. Prints
 * {@code LISTENING ws://127.0.0.1:PORT}; {@code -Dwiregate.port=0} picks a free port.
 */
public final class WiregateNettyBenchServer {

    private WiregateNettyBenchServer() {
    }

    public static void main(String[] args) {
        ParentWatch.start();
        io.wiregate.netty.Main.main(args);
    }
}
