package io.nexus.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.vertx.core.buffer.Buffer;

/**
 * The console's built files, read from the classpath once at startup. The build (console/scripts/compress.mjs) lists
 * them in {@value #MANIFEST}: jars cannot be listed portably, and an explicit list means nothing else on the
 * classpath can ever be served by accident. Lookups afterwards are map reads, so the event loop never does I/O.
 */
@Startup // read at startup, on the main thread: never on an event loop at the first request
@Singleton
public class ConsoleFiles {

    static final String MANIFEST = "nexus-console-files.txt";
    private static final Logger LOG = Logger.getLogger(ConsoleFiles.class);
    /** Vite puts content-hashed names under assets/: a changed file gets a new name, so these never go stale. */
    private static final String HASHED_DIR = "assets/";

    private final Map<String, ConsoleFile> files;

    public ConsoleFiles(ConsoleConfig config) {
        String root = config.resourceRoot();
        this.files = load(root.endsWith("/") ? root : root + "/");
    }

    public Optional<ConsoleFile> get(String path) {
        return Optional.ofNullable(files.get(path));
    }

    private static Map<String, ConsoleFile> load(String root) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        byte[] manifest = read(loader, root + MANIFEST);
        if (manifest == null) {
            LOG.infof("no console build on the classpath (%s%s): /console answers 404", root, MANIFEST);
            return Map.of();
        }
        Map<String, ConsoleFile> loaded = new HashMap<>();
        for (String line : new String(manifest, StandardCharsets.UTF_8).split("\n")) {
            String path = line.strip();
            if (path.isEmpty() || path.endsWith(".gz")) {
                continue;
            }
            byte[] body = read(loader, root + path);
            if (body == null) {
                throw new IllegalStateException("the console manifest lists " + path + " but the file is missing");
            }
            byte[] gzip = read(loader, root + path + ".gz");
            loaded.put(path, new ConsoleFile(path, contentType(path), cacheControl(path), Buffer.buffer(body),
                    etag(body), gzip == null ? null : Buffer.buffer(gzip), gzip == null ? null : etag(gzip)));
        }
        LOG.infof("console: %d files loaded from %s", loaded.size(), root);
        return Map.copyOf(loaded);
    }

    private static byte[] read(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    static String cacheControl(String path) {
        // index.html names the current hashed assets, so it is revalidated every time (cheap with the ETag).
        return path.startsWith(HASHED_DIR) ? "public, max-age=31536000, immutable" : "no-cache";
    }

    static String contentType(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "json" -> "application/json";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            case "woff2" -> "font/woff2";
            case "txt" -> "text/plain; charset=utf-8";
            default -> "application/octet-stream";
        };
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
