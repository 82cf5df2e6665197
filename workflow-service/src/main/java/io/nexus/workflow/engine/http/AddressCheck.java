package io.nexus.workflow.engine.http;

import java.net.InetAddress;
import java.util.Optional;

/** The rule applied to every resolved address; {@link AddressPolicy} in production, replaceable by tests. */
@FunctionalInterface
interface AddressCheck {

    /** Why the address is refused; empty when it may be connected to. */
    Optional<String> refusal(InetAddress address);

    static AddressCheck of(OutboundPolicy policy) {
        boolean allowPrivate = policy.allowPrivateTargets();
        return address -> AddressPolicy.refusal(address, allowPrivate);
    }
}
