package io.nexus.workflow.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Names this process in execution leases: the host (the pod name in k8s) plus a per-start suffix, so that a restarted
 * pod does not mistake its predecessor's leases for its own.
 */
@ApplicationScoped
public class ReplicaId {

    private final String value;

    public ReplicaId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown";
        }
        this.value = host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String value() {
        return value;
    }
}
