package io.nexus.workflow.engine.http;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.List;

/**
 * Resolves a host name to the addresses an outbound call may connect to. {@link SafeHttpClient} checks every
 * returned address and then connects to one of exactly those, so the answer used for the check is the one used
 * for the connection. IP literals never reach a resolver: the client parses them itself.
 */
public interface AddressResolver {

    /** All addresses of {@code host}; fails (for instance with UnknownHostException) when there are none. */
    Uni<List<InetAddress>> resolve(String host);

    /** The JVM's resolver ({@link InetAddress#getAllByName}), run on a Vert.x worker thread since it blocks. */
    static AddressResolver system(Vertx vertx) {
        return host -> Uni.createFrom().emitter(emitter -> vertx
                .<List<InetAddress>>executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false)
                .onComplete(result -> {
                    if (result.succeeded()) {
                        emitter.complete(result.result());
                    } else {
                        emitter.fail(result.cause());
                    }
                }));
    }
}
