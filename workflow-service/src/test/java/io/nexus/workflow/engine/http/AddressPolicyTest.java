package io.nexus.workflow.engine.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "93.184.216.34", "8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
        "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0",
        "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255",
        "2606:4700::1", "2001:4860:4860::8888", "2a00:1450:4001:80b::200e", "2002:5db8:d822::1",
        "64:ff9b::808:808", "::ffff:93.184.216.34"})
    void allowsPublicAddresses(String address) throws UnknownHostException {
        assertEquals(Optional.empty(), AddressPolicy.refusal(InetAddress.getByName(address), false));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1       | loopback",
        "127.255.255.254 | loopback",
        "::1             | loopback",
        "10.0.0.1        | private",
        "10.255.255.255  | private",
        "172.16.0.1      | private",
        "172.31.255.255  | private",
        "192.168.1.1     | private",
        "169.254.169.254 | link-local",
        "169.254.0.1     | link-local",
        "fe80::1         | link-local",
        "febf:ffff::1    | link-local",
        "100.64.0.1      | carrier-grade NAT",
        "100.127.255.255 | carrier-grade NAT",
        "224.0.0.1       | multicast",
        "239.255.255.250 | multicast",
        "ff02::1         | multicast",
        "ff0e::1         | multicast",
        "0.0.0.0         | unspecified",
        "0.1.2.3         | unspecified",
        "::              | unspecified",
        "fc00::1         | unique local",
        "fd12:3456:789a::1 | unique local",
        "fec0::1         | site-local",
        "255.255.255.255 | broadcast",
        "240.0.0.1       | reserved",
        "192.0.0.8       | reserved",
        "192.0.2.1       | reserved",
        "198.18.0.1      | benchmarking",
        "198.51.100.7    | documentation",
        "203.0.113.9     | documentation",
        "2001:db8::1     | documentation",
        "100::1          | outside IPv6 global unicast",
        "4000::1         | outside IPv6 global unicast",
        "::7f00:1        | deprecated IPv4-compatible",
        "::808:808       | deprecated IPv4-compatible",
        "::ffff:0:7f00:1 | IPv4-translated form of 127.0.0.1, which is loopback",
        "64:ff9b::a9fe:a9fe | NAT64 form of 169.254.169.254, which is link-local",
        "64:ff9b::a00:1  | NAT64 form of 10.0.0.1, which is private",
        "64:ff9b:1::808:808 | local-use NAT64",
        "2002:7f00:1::   | 6to4 form of 127.0.0.1, which is loopback",
        "2002:c0a8:101::1 | 6to4 form of 192.168.1.1, which is private",
        "2002:a9fe:a9fe:: | 6to4 form of 169.254.169.254, which is link-local",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo",
        "2001:2::1       | benchmarking"})
    void refusesInternalAndSpecialAddresses(String address, String reason) throws UnknownHostException {
        Optional<String> refusal = AddressPolicy.refusal(InetAddress.getByName(address), false);
        assertTrue(refusal.isPresent(), address + " should be refused");
        assertTrue(refusal.get().contains(reason), refusal.get());
    }

    @Test
    void explainsTheMetadataEndpoint() throws UnknownHostException {
        assertEquals(Optional.of("169.254.169.254 is link-local"),
                AddressPolicy.refusal(InetAddress.getByName("169.254.169.254"), false));
    }

    @ParameterizedTest(name = "::ffff:{0} is refused as {1}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1 | loopback", "10.1.2.3 | private", "169.254.169.254 | link-local", "100.64.1.1 | carrier-grade NAT",
        "0.0.0.0 | unspecified", "224.0.0.1 | multicast", "192.168.0.1 | private"})
    void refusesIpv4MappedAddressesKeptInTheirIpv6Form(String ipv4, String reason) throws Exception {
        // The JDK turns a ::ffff:a.b.c.d literal into an Inet4Address; a resolver may still hand back the
        // 16-byte form, which must be judged by the IPv4 address it carries.
        byte[] v4 = InetAddress.getByName(ipv4).getAddress();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(v4, 0, mapped, 12, 4);
        InetAddress address = Inet6Address.getByAddress(null, mapped, (NetworkInterface) null);
        assertInstanceOf(Inet6Address.class, address);

        Optional<String> refusal = AddressPolicy.refusal(address, false);

        assertTrue(refusal.isPresent(), ipv4);
        assertTrue(refusal.get().contains("IPv4-mapped form of " + ipv4 + ", which is " + reason), refusal.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "10.0.0.1", "169.254.169.254", "fd00::1", "100.64.0.1", "fe80::1"})
    void allowsInternalNetworksWhenPrivateTargetsAreAllowed(String address) throws UnknownHostException {
        assertEquals(Optional.empty(), AddressPolicy.refusal(InetAddress.getByName(address), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "224.0.0.1", "ff02::1", "255.255.255.255", "240.0.0.1"})
    void neverAllowsAddressesThatAreNoDestination(String address) throws UnknownHostException {
        assertTrue(AddressPolicy.refusal(InetAddress.getByName(address), true).isPresent(), address);
    }
}
