package io.wiregate.bench.quarkus;

import java.io.IOException;
import java.io.InputStream;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

import org.eclipse.microprofile.config.ConfigProvider;

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
        watchParent();
        // With port 0, Quarkus sets quarkus.http.port to the port it bound once the server listens.
        String port = System.getProperty("quarkus.http.port",
                ConfigProvider.getConfig().getValue("quarkus.http.port", String.class));
        String host = ConfigProvider.getConfig().getValue("quarkus.http.host", String.class);
        System.out.println("LISTENING ws://" + host + ":" + port);
        System.out.flush();
        Quarkus.waitForExit();
        return 0;
    }

    /** End of file on standard input (the driver exited, normally or not) exits the JVM. */
    private static void watchParent() {
        Thread t = new Thread(() -> {
            InputStream in = System.in;
            byte[] buf = new byte[256];
            try {
                while (in.read(buf) >= 0) {
                    // the driver sends nothing; anything read is ignored
                }
            } catch (IOException e) {
                // treated as end of file
            }
            System.exit(0);
        }, "bench-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
