package io.wiregate.it;

import java.io.File;
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

/**
 * Builds the test WARs: the two Wiregate JARs as libraries (taken from the test class path: the reactor's
 * freshly built JARs), a {@code beans.xml}, and the given classes. Nothing the servers provide (Weld, Tyrus,
 * Yasson, Hibernate Validator, MicroProfile Config) goes in.
 */
final class Deployments {

    static final String BEANS_XML = """
            <beans xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0" bean-discovery-mode="annotated"/>
            """;

    private Deployments() {
    }

    static WebArchive war(String name, Class<?>... classes) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addAsLibraries(library("wiregate-api.jar", Broadcaster.class), library("wiregate-cdi.jar", WiregateExtension.class))
                .addAsWebInfResource(new StringAsset(BEANS_XML), "beans.xml")
                .addClasses(classes);
    }

    /** The JAR (or, in an IDE, the classes folder) that holds {@code type}. */
    private static JavaArchive library(String name, Class<?> type) {
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
