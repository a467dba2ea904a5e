package io.wiregate.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How each server is started with its WARs (one at the root context, or several at named context roots, in a map
 * from context root to WAR), bound to 127.0.0.1, from a scratch directory.
 */
final class ServerCommands {

    /** Features a Wiregate application needs on Open Liberty (see the README). */
    static final List<String> LIBERTY_FEATURES = List.of("servlet-6.0", "websocket-2.1", "cdi-4.0", "jsonb-3.0",
            "beanValidation-3.0", "mpConfig-3.1");
    /** The server JVM's options unless the launcher is given others ({@code launcher.jvm-options}). */
    static final String DEFAULT_JVM_OPTIONS = "-Xms64m -Xmx512m";

    private ServerCommands() {
    }

    /**
     * WildFly: {@code standalone.sh} with a copy of {@code standalone/configuration} as server base directory and
     * the WARs in {@code deployments}, named after their context roots ({@code ROOT.war} for {@code /}). The
     * welcome-content handler of {@code /} is removed from the copy (it owns the root context otherwise).
     */
    static ProcessBuilder wildfly(Path servers, Path work, Map<String, Path> wars, int port, List<String> jvmOptions,
                                  Map<String, String> properties) throws IOException {
        Path home = single(servers, "wildfly-");
        Path base = work.resolve("standalone");
        copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
        Path config = base.resolve("configuration/standalone.xml");
        Files.writeString(config, Files.readString(config).replace("<location name=\"/\" handler=\"welcome-content\"/>", ""));
        Files.createDirectories(base.resolve("deployments"));
        for (Map.Entry<String, Path> war : wars.entrySet()) {
            String name = war.getKey().equals("/") ? "ROOT" : war.getKey().substring(1);
            Files.copy(war.getValue(), base.resolve("deployments/" + name + ".war"));
        }
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base,
                "-Djboss.bind.address=127.0.0.1", "-Djboss.bind.address.management=127.0.0.1",
                "-Djboss.http.port=" + port, "-Djboss.https.port=" + Launcher.freePort(),
                "-Djboss.management.http.port=" + Launcher.freePort(), "-Djboss.management.https.port=" + Launcher.freePort()));
        command.addAll(Launcher.systemProperties(properties));
        ProcessBuilder builder = new ProcessBuilder(command);
        // standalone.sh forwards SIGTERM to the server JVM only when it launches it in the background.
        builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        builder.environment().put("JAVA_OPTS", String.join(" ", jvmOptions) + " -Djava.net.preferIPv4Stack=true -Djava.awt.headless=true"
                + " -Djboss.modules.system.pkgs=org.jboss.byteman");
        return builder;
    }

    /**
     * Open Liberty: a server {@code conformance} in a scratch user directory ({@code WLP_USER_DIR}), whose
     * {@code server.xml} enables the features and deploys the WARs at their context roots; options go to
     * {@code jvm.options}.
     */
    static ProcessBuilder liberty(Path servers, Path work, Map<String, Path> wars, int port, List<String> jvmOptions,
                                  Map<String, String> properties) throws IOException {
        Path home = servers.resolve("wlp");
        Path server = work.resolve("usr/servers/conformance");
        Files.createDirectories(server);
        Files.deleteIfExists(server.resolve("logs/messages.log"));
        String features = LIBERTY_FEATURES.stream().map(f -> "    <feature>" + f + "</feature>").collect(Collectors.joining("\n"));
        String applications = wars.entrySet().stream()
                .map(war -> "  <webApplication location=\"%s\" contextRoot=\"%s\"/>".formatted(xml(war.getValue().toString()), war.getKey()))
                .collect(Collectors.joining("\n"));
        Files.writeString(server.resolve("server.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <server description="Wiregate conformance">
                  <featureManager>
                %s
                  </featureManager>
                  <config monitorInterval="100ms"/>
                  <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="%d" httpsPort="-1"/>
                %s
                </server>
                """.formatted(features, port, applications));
        List<String> jvm = new ArrayList<>(jvmOptions);
        jvm.addAll(Launcher.systemProperties(properties));
        Files.write(server.resolve("jvm.options"), jvm);
        // In a session of its own: a SIGTERM sent to the launcher's process group must not reach Liberty before the
        // launcher has stopped the application (see libertyUndeploy).
        ProcessBuilder builder = new ProcessBuilder("setsid", home.resolve("bin/server").toString(), "run", "conformance");
        builder.environment().put("WLP_USER_DIR", work.resolve("usr").toString());
        return builder;
    }

    /**
     * Stops the application of a running Liberty before the server itself: a Liberty that receives SIGTERM stops
     * its HTTP transport before its applications, so the clients would see their connections dropped (1006)
     * instead of the 1001 that Wiregate sends while the application stops. (Liberty runs in its own session, so
     * that a SIGTERM to the launcher's process group reaches the launcher only.) Rewrites {@code server.xml} without the
     * applications (Liberty polls its configuration) and waits, at most 4 s, until the {@code ready} paths (those
     * the launcher waited for) are gone.
     */
    static void libertyUndeploy(Path work, int port, List<String> ready) {
        Path serverXml = work.resolve("usr/servers/conformance/server.xml");
        try {
            Files.writeString(serverXml, Files.readString(serverXml).replaceAll("(?m)^\\s*<webApplication .*/>\\s*$", ""));
        } catch (IOException e) {
            return;
        }
        long deadline = System.nanoTime() + 4_000_000_000L;
        while (System.nanoTime() < deadline && ready.stream().anyMatch(path -> Launcher.handshakeAccepted(port, path.trim()))) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Payara Micro: {@code java -jar payara-micro.jar --deploy WAR --contextroot /} (or {@code --deploy WAR:/NAME}
     * per WAR at a named context root), HTTP on 127.0.0.1, without Hazelcast (with only {@code --nocluster} its data
     * grid still listens on every interface, port 6900).
     */
    static ProcessBuilder payara(Path servers, Path work, Map<String, Path> wars, int port, List<String> jvmOptions,
                                 Map<String, String> properties) throws IOException {
        Path preboot = work.resolve("preboot.asadmin");
        Files.writeString(preboot, PAYARA_LOOPBACK);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(Launcher.systemProperties(properties));
        command.addAll(List.of("-jar", servers.resolve("payara-micro.jar").toString()));
        for (Map.Entry<String, Path> war : wars.entrySet()) {
            if (war.getKey().equals("/")) {
                command.addAll(List.of("--deploy", war.getValue().toString(), "--contextroot", "/"));
            } else {
                command.addAll(List.of("--deploy", war.getValue() + java.io.File.pathSeparator + war.getKey()));
            }
        }
        command.addAll(List.of("--port", String.valueOf(port), "--nohazelcast",
                "--rootdir", work.resolve("root").toString(), "--prebootcommandfile", preboot.toString()));
        return new ProcessBuilder(command);
    }

    /** Binds Payara's HTTP listener to the loopback interface only (it listens on every interface by default). */
    static final String PAYARA_LOOPBACK =
            "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1\n";

    private static Path single(Path dir, String prefix) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IOException("no " + prefix + "* in " + dir));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }
}
