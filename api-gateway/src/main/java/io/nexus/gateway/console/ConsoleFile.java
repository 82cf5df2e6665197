package io.nexus.gateway.console;

import io.vertx.core.buffer.Buffer;

/**
 * One file of the built console, held in memory with its pre-compressed variant (null when the build wrote none).
 * Each variant has its own ETag, since the bytes differ.
 */
record ConsoleFile(String path, String contentType, String cacheControl, Buffer identity, String identityEtag,
        Buffer gzip, String gzipEtag) {
}
