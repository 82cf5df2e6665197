package io.nexus.workflow.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/** Names this process in execution leases: the host (the pod name in k8s) plus a per-start suffix. */
final class ReplicaId {

    private ReplicaId() {
    }

    static String get() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
