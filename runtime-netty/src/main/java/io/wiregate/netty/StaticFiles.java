package io.wiregate.netty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What the HTTP side serves besides upgrades: {@code /wiregate.js} (the browser client that {@code wiregate-cdi}
 * carries), and, when configured, the files of one class path folder ({@code wiregate.static}), {@code index.html}
 * for a folder. Paths reach it well-formed (no dot segments, no encoded slashes: {@code RequestTargets}).
 */
final class StaticFiles {

    /** The browser client, as {@code wiregate-cdi} carries it for servlet containers. */
    static final String CLIENT_RESOURCE = "META-INF/resources/wiregate.js";

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("map", "application/json"), Map.entry("woff2", "font/woff2"), Map.entry("wasm", "application/wasm"));

    /** A file to answer with. */
    record File(byte[] content, String contentType, boolean noCache) {
    }

    private final ClassLoader loader = StaticFiles.class.getClassLoader();
    /** Files found, by path: bounded by the folder's contents (misses are not kept). */
    private final java.util.concurrent.ConcurrentMap<String, File> found = new java.util.concurrent.ConcurrentHashMap<>();
    private final String folder;
    private final File client;

    /** @param folder the class path folder to serve (for example {@code static/}), or null for none */
    StaticFiles(String folder) {
        this.folder = folder == null ? null : folder.endsWith("/") ? folder : folder + "/";
        byte[] script = read(loader.getResource(CLIENT_RESOURCE));
        this.client = script == null ? null : new File(script, TYPES.get("js"), true);
    }

    /** The file at {@code decodedPath} (starting with '/'), or null. */
    File find(String decodedPath) {
        if (decodedPath.equals("/wiregate.js") && client != null) {
            return client;
        }
        if (folder == null) {
            return null;
        }
        File file = found.get(decodedPath);
        if (file == null) {
            file = load(decodedPath);
            if (file != null) {
                found.put(decodedPath, file);
            }
        }
        return file;
    }

    private File load(String decodedPath) {
        String name = decodedPath.substring(1);
        if (name.isEmpty() || name.endsWith("/")) {
            name += "index.html";
        }
        byte[] content = read(loader.getResource(folder + name));
        if (content == null && !name.endsWith("index.html")) {
            content = read(loader.getResource(folder + name + "/index.html"));
            name += "/index.html";
        }
        if (content == null) {
            return null;
        }
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        return new File(content, type == null ? "application/octet-stream" : type, false);
    }

    /** The resource's bytes, or null if there is none or it is a folder. */
    private static byte[] read(URL url) {
        if (url == null || url.getPath().endsWith("/") || isDirectory(url)) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            if (url.getProtocol().equals("jar")) {
                return null; // a folder entry of a jar
            }
            throw new UncheckedIOException("cannot read " + url, e);
        }
    }

    private static boolean isDirectory(URL url) {
        if (!url.getProtocol().equals("file")) {
            return false;
        }
        try {
            return Files.isDirectory(Path.of(url.toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return true;
        }
    }
}
