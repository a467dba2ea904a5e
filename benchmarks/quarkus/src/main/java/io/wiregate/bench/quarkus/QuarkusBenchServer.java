package io.wiregate.bench.quarkus;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

import org.eclipse.microprofile.config.ConfigProvider;

import io.wiregate.bench.watch.ParentWatch;

/**
 * The Quarkus benchmark server: {@link QuarkusBenchEndpoint} on Quarkus's HTTP server (Vert.x), bound to
 * {@code -Dbench.host} (127.0.0.1) and {@code -Dbench.port} (0, a free port: see {@code application.properties}).
 * Once the HTTP server listens it prints {@code LISTENING ws://HOST:PORT}, as the other benchmark servers do, and it
 * exits when its standard input ends (the driver went away), running Quarkus's shutdown.
 */
@QuarkusMain
public class QuarkusBenchServer implements QuarkusApplication {

    public static void main(String... args) {
        Quarkus.run(QuarkusBenchServer.class, args);
    }

    @Override
    public int run(String... args) throws Exception {
        ParentWatch.start();
        // With port 0, Quarkus sets quarkus.http.port to the port it bound once the server listens.
        String port = System.getProperty("quarkus.http.port",
                ConfigProvider.getConfig().getValue("quarkus.http.port", String.class));
        String host = ConfigProvider.getConfig().getValue("quarkus.http.host", String.class);
        System.out.println("LISTENING ws://" + host + ":" + port);
        System.out.flush();
        Quarkus.waitForExit();
        return 0;
    }
}
