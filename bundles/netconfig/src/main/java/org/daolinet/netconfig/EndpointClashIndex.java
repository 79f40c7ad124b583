package org.daolinet.netconfig;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.daolinet.api.config.Endpoint;
import org.daolinet.api.util.KeyHash;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The endpoints by what must be unique about them (MAC and address inside a VPC, port on a host), so that
 * validating one more endpoint costs a few lookups instead of a scan of all of them: declaring n endpoints is
 * then O(n), not O(n^2). {@link #under} layers a batch's not yet stored endpoints over the stored ones.
 */
class EndpointClashIndex {

    /* Not the records' own hash: see KeyHash. */
    record VpcMac(String vpcId, MacAddress mac) {
        @Override
        public int hashCode() {
            return KeyHash.of(vpcId.hashCode(), mac.getLong());
        }
    }

    record VpcIp(String vpcId, IPv4Address ip) {
        @Override
        public int hashCode() {
            return KeyHash.of(vpcId.hashCode(), ip.getInt());
        }
    }

    record HostPort(String hostId, String portName) {
        @Override
        public int hashCode() {
            return KeyHash.of(hostId.hashCode(), portName.hashCode());
        }
    }

    private final Map<VpcMac, Endpoint> byMac = new ConcurrentHashMap<>();
    private final Map<VpcIp, Endpoint> byIp = new ConcurrentHashMap<>();
    private final Map<HostPort, Endpoint> byPort = new ConcurrentHashMap<>();
    private final EndpointClashIndex below;

    EndpointClashIndex() {
        this(null);
    }

    private EndpointClashIndex(EndpointClashIndex below) {
        this.below = below;
    }

    /** An empty index whose lookups fall through to {@code this} for what it does not hold. */
    EndpointClashIndex over() {
        return new EndpointClashIndex(this);
    }

    void add(Endpoint e) {
        byMac.put(new VpcMac(e.vpcId(), e.mac()), e);
        byIp.put(new VpcIp(e.vpcId(), e.ip()), e);
        byPort.put(new HostPort(e.hostId(), e.portName()), e);
    }

    /** Forgets {@code e}'s keys, unless another endpoint holds them by now. */
    void remove(Endpoint e) {
        byMac.remove(new VpcMac(e.vpcId(), e.mac()), e);
        byIp.remove(new VpcIp(e.vpcId(), e.ip()), e);
        byPort.remove(new HostPort(e.hostId(), e.portName()), e);
    }

    Optional<Endpoint> withMac(String vpcId, MacAddress mac) {
        return find(byMac, new VpcMac(vpcId, mac), below == null ? null : below.byMac);
    }

    Optional<Endpoint> withIp(String vpcId, IPv4Address ip) {
        return find(byIp, new VpcIp(vpcId, ip), below == null ? null : below.byIp);
    }

    Optional<Endpoint> atPort(String hostId, String portName) {
        return find(byPort, new HostPort(hostId, portName), below == null ? null : below.byPort);
    }

    private static <K> Optional<Endpoint> find(Map<K, Endpoint> here, K key, Map<K, Endpoint> fallback) {
        Endpoint e = here.get(key);
        if (e == null && fallback != null) {
            e = fallback.get(key);
        }
        return Optional.ofNullable(e);
    }
}
