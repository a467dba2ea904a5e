package io.wiregate.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import io.wiregate.Broadcaster;
import io.wiregate.cdi.WiregateExtension;
import io.wiregate.protocol.Frames;
import io.wiregate.redisson.RedissonClusterBus;

/**
 * Builds the test WARs: the three Wiregate JARs as libraries (taken from the test class path: the reactor's
 * freshly built JARs), a {@code beans.xml}, and the given classes; cluster WARs add the Redis bus. Nothing the
 * servers provide (Weld, Tyrus, Yasson, Hibernate Validator, MicroProfile Config) goes in.
 */
final class Deployments {

    static final String BEANS_XML = """
            <beans xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0" bean-discovery-mode="annotated"/>
            """;

    private Deployments() {
    }

    static WebArchive war(String name, Class<?>... classes) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addAsLibraries(library("wiregate-api.jar", Broadcaster.class), library("wiregate-protocol.jar", Frames.class),
                        library("wiregate-cdi.jar", WiregateExtension.class))
                .addAsWebInfResource(new StringAsset(BEANS_XML), "beans.xml")
                .addClasses(classes);
    }

    /**
     * A WAR that joins the Redis cluster bus: {@link #war} plus {@code wiregate-redisson}, Redisson and its
     * runtime dependencies (the list the build resolved into the file named by {@code it.redisson.classpath}), and
     * a {@code META-INF/microprofile-config.properties} with the Redis address and the channel prefix.
     */
    static WebArchive clusterWar(String name, String redisAddress, String prefix, Class<?>... classes) {
        WebArchive war = war(name, classes)
                .addAsLibraries(library("wiregate-redisson.jar", RedissonClusterBus.class))
                .addAsResource(new StringAsset("wiregate.redis.address=" + redisAddress + "\n"
                        + "wiregate.redis.prefix=" + prefix + "\n"), "META-INF/microprofile-config.properties");
        String listFile = System.getProperty("it.redisson.classpath");
        if (listFile == null) {
            throw new IllegalStateException("it.redisson.classpath is not set: run the cluster tests with Maven (failsafe)");
        }
        String list;
        try {
            list = Files.readString(Path.of(listFile)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("the list of Redisson's libraries is missing: " + listFile, e);
        }
        for (String jar : list.split(File.pathSeparator)) {
            war.addAsLibrary(new File(jar));
        }
        return war;
    }

    /** The JAR (or, in an IDE, the classes folder) that holds {@code type}. */
    static JavaArchive library(String name, Class<?> type) {
        Path location;
        try {
            location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (Files.isDirectory(location)) {
            return ShrinkWrap.create(ExplodedImporter.class, name).importDirectory(location.toFile()).as(JavaArchive.class);
        }
        return ShrinkWrap.createFromZipFile(JavaArchive.class, new File(location.toString()));
    }
}
