package io.nexus.workflow.engine.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Decides whether an outbound {@code http} node may connect to a resolved address (docs/api.md §5).
 *
 * <p>Two groups of ranges are refused:
 * <ul>
 *   <li><b>Never a destination</b>, refused even when private targets are allowed: unspecified
 *       ({@code 0.0.0.0/8}, {@code ::} — Linux routes {@code 0.0.0.0} to the local host), multicast
 *       ({@code 224.0.0.0/4}, {@code ff00::/8}), broadcast and the reserved {@code 240.0.0.0/4}.</li>
 *   <li><b>Internal networks</b>, refused unless {@code allowPrivate} (tests only): loopback, RFC 1918 private,
 *       link-local (the {@code 169.254.169.254} metadata endpoint lives there), CGNAT {@code 100.64.0.0/10},
 *       ULA {@code fc00::/7}, deprecated site-local {@code fec0::/10}, and the special-purpose blocks that are not
 *       globally reachable (RFC 6890: {@code 192.0.0.0/24}, documentation ranges, benchmarking
 *       {@code 198.18.0.0/15}, {@code 2001:db8::/32}, {@code 100::/64}). Refusing those costs nothing
 *       legitimate and some networks route them internally.</li>
 * </ul>
 *
 * <p>IPv6 forms that carry an IPv4 address are judged by that address: IPv4-mapped {@code ::ffff:0:0/96},
 * IPv4-translated {@code ::ffff:0:0:0/96}, NAT64 {@code 64:ff9b::/96} and 6to4 {@code 2002::/16}; so
 * {@code ::ffff:127.0.0.1} is loopback and {@code 2002:a00:1::} is private. The local-use NAT64 prefix
 * {@code 64:ff9b:1::/48} is internal by definition. Deprecated IPv4-compatible {@code ::/96} and Teredo
 * {@code 2001::/32} are refused outright: nothing legitimate uses them, and Teredo obfuscates its embedded
 * address. Any other IPv6 address outside global unicast {@code 2000::/3} is refused, so a range this class
 * does not know about is refused rather than let through.
 */
public final class AddressPolicy {

    private AddressPolicy() {
    }

    /** Why {@code address} must not be connected to, e.g. "169.254.169.254 is link-local"; empty if allowed. */
    public static Optional<String> refusal(InetAddress address, boolean allowPrivate) {
        Classification c = classify(address);
        if (c == null || (allowPrivate && !c.neverDestination)) {
            return Optional.empty();
        }
        return Optional.of(address.getHostAddress() + " is " + c.description);
    }

    private record Classification(String description, boolean neverDestination) {
        static Classification internal(String description) {
            return new Classification(description, false);
        }

        static Classification never(String description) {
            return new Classification(description, true);
        }

        Classification embeddedIn(String form, String ipv4) {
            return new Classification("the " + form + " form of " + ipv4 + ", which is " + description,
                    neverDestination);
        }
    }

    private static Classification classify(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return classifyV4(b, 0);
        }
        if (address instanceof Inet6Address) {
            return classifyV6(b);
        }
        return Classification.never("not an IP address");
    }

    private static Classification classifyV4(byte[] b, int offset) {
        int a0 = b[offset] & 0xff;
        int a1 = b[offset + 1] & 0xff;
        int a2 = b[offset + 2] & 0xff;
        int a3 = b[offset + 3] & 0xff;
        if (a0 == 0) {
            return Classification.never("unspecified (0.0.0.0/8)");
        }
        if (a0 == 127) {
            return Classification.internal("loopback");
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return Classification.internal("private");
        }
        if (a0 == 169 && a1 == 254) {
            return Classification.internal("link-local");
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return Classification.internal("carrier-grade NAT (100.64.0.0/10)");
        }
        if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) {
            return Classification.internal("reserved (192.0.0.0/24, 192.0.2.0/24)");
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return Classification.internal("reserved for benchmarking (198.18.0.0/15)");
        }
        if ((a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return Classification.internal("reserved for documentation");
        }
        if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) {
            return Classification.never("broadcast");
        }
        if ((a0 & 0xf0) == 224) {
            return Classification.never("multicast");
        }
        if ((a0 & 0xf0) == 240) {
            return Classification.never("reserved (240.0.0.0/4)");
        }
        return null;
    }

    private static Classification classifyV6(byte[] b) {
        if (allZero(b, 0, 10)) {
            int w5 = word(b, 5);
            if (w5 == 0xffff) {
                return embedded(b, 12, "IPv4-mapped");
            }
            if (w5 == 0) {
                if (allZero(b, 10, 16)) {
                    return Classification.never("unspecified");
                }
                if (allZero(b, 10, 15) && b[15] == 1) {
                    return Classification.internal("loopback");
                }
                return Classification.internal("a deprecated IPv4-compatible address");
            }
        }
        if (allZero(b, 0, 8) && word(b, 4) == 0xffff && word(b, 5) == 0) {
            return embedded(b, 12, "IPv4-translated");
        }
        int w0 = word(b, 0);
        if (w0 == 0x0064 && word(b, 1) == 0xff9b) {
            if (allZero(b, 4, 12)) {
                return embedded(b, 12, "NAT64");
            }
            if (word(b, 2) == 0x0001) {
                return Classification.internal("local-use NAT64 (64:ff9b:1::/48)");
            }
        }
        if (w0 == 0x2002) {
            return embedded(b, 2, "6to4");
        }
        if (w0 == 0x2001 && word(b, 1) == 0) {
            return Classification.internal("Teredo (2001::/32)");
        }
        if (w0 == 0x2001 && word(b, 1) == 0x0db8) {
            return Classification.internal("reserved for documentation (2001:db8::/32)");
        }
        if (w0 == 0x2001 && word(b, 1) == 0x0002 && word(b, 2) == 0) {
            return Classification.internal("reserved for benchmarking (2001:2::/48)");
        }
        if ((b[0] & 0xff) == 0xff) {
            return Classification.never("multicast");
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Classification.internal("unique local (fc00::/7)");
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
            return Classification.internal("link-local");
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return Classification.internal("site-local (deprecated, fec0::/10)");
        }
        if ((b[0] & 0xe0) != 0x20) {
            return Classification.internal("outside IPv6 global unicast (2000::/3)");
        }
        return null;
    }

    private static Classification embedded(byte[] b, int offset, String form) {
        Classification inner = classifyV4(b, offset);
        if (inner == null) {
            return null;
        }
        String ipv4 = (b[offset] & 0xff) + "." + (b[offset + 1] & 0xff) + "." + (b[offset + 2] & 0xff) + "."
                + (b[offset + 3] & 0xff);
        return inner.embeddedIn(form, ipv4);
    }

    private static int word(byte[] b, int index) {
        return ((b[2 * index] & 0xff) << 8) | (b[2 * index + 1] & 0xff);
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
