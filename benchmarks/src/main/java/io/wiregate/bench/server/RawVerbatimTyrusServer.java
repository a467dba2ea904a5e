package io.wiregate.bench.server;

/**
 * The raw Tyrus server of {@link RawTyrusServer} with {@link RawVerbatimBenchEndpoint}: the transport's floor for
 * echo. Prints {@code LISTENING ws://127.0.0.1:PORT}; {@code -Dbench.port} (0, a free port, by default).
 */
public final class RawVerbatimTyrusServer {

    private RawVerbatimTyrusServer() {
    }

    public static void main(String[] args) throws Exception {
        RawTyrusServer.serve(RawVerbatimBenchEndpoint.class);
    }
}
