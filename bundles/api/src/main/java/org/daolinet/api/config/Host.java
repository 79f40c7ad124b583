package org.daolinet.api.config;

import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * A Docker or hypervisor host: one Open vSwitch bridge, identified by its datapath id, attached to the underlay
 * through {@code underlayPort}. {@code external} is set on hosts that are gateways to the outside (NAT).
 */
public record Host(String id, String name, DatapathId dpid, String underlayPort, MacAddress underlayMac,
        IPv4Address underlayIp, UnderlayMode underlayMode, ExternalGateway external) implements ConfigObject {

    @Override
    public Host withId(String newId) {
        return new Host(newId, name, dpid, underlayPort, underlayMac, underlayIp, underlayMode, external);
    }
}
