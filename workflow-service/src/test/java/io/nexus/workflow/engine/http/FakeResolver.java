package io.nexus.workflow.engine.http;

import io.smallrye.mutiny.Uni;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A DNS stand-in: names under {@code .test} that no real resolver knows, answered from a table. */
final class FakeResolver implements AddressResolver {

    final List<String> lookups = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<List<InetAddress>>> answers = new ConcurrentHashMap<>();

    /** Successive lookups of {@code host} get successive answers; the last one repeats. */
    FakeResolver answer(String host, String... addresses) {
        List<InetAddress> answer = java.util.Arrays.stream(addresses).map(FakeResolver::literal).toList();
        answers.computeIfAbsent(host, h -> new ArrayDeque<>()).add(answer);
        return this;
    }

    @Override
    public Uni<List<InetAddress>> resolve(String host) {
        return Uni.createFrom().item(() -> {
            lookups.add(host);
            Deque<List<InetAddress>> queue = answers.get(host);
            if (queue == null) {
                return null;
            }
            synchronized (queue) {
                return queue.size() > 1 ? queue.poll() : queue.peek();
            }
        }).onItem().ifNull().failWith(() -> new UnknownHostException(host));
    }

    static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
