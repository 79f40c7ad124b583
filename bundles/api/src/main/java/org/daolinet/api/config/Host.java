package org.daolinet.api.config;

import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * A Docker or hypervisor host: one Open vSwitch bridge, identified by its datapath id, attached to the underlay
 * through {@code underlayPort}, where the host's own address is {@code underlayIp} on {@code underlayMac} (the
 * bridge's LOCAL port). {@code underlayGateway} is the router of the host's underlay segment, through which it
 * reaches hosts of other segments; hosts that name the same gateway (or none) share a segment. {@code external}
 * is set on hosts that are gateways to the outside (NAT).
 */
public record Host(String id, String name, DatapathId dpid, String underlayPort, MacAddress underlayMac,
        IPv4Address underlayIp, IPv4Address underlayGateway, UnderlayMode underlayMode, ExternalGateway external)
        implements ConfigObject {

    /** A host on a single segment: no underlay gateway. */
    public Host(String id, String name, DatapathId dpid, String underlayPort, MacAddress underlayMac,
            IPv4Address underlayIp, UnderlayMode underlayMode, ExternalGateway external) {
        this(id, name, dpid, underlayPort, underlayMac, underlayIp, null, underlayMode, external);
    }

    /** Whether packets from this host reach {@code other}'s underlay MAC directly, without a router. */
    public boolean sharesSegmentWith(Host other) {
        return java.util.Objects.equals(underlayGateway, other.underlayGateway);
    }

    @Override
    public Host withId(String newId) {
        return new Host(newId, name, dpid, underlayPort, underlayMac, underlayIp, underlayGateway, underlayMode,
                external);
    }
}
