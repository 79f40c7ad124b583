package org.daolinet.api.config;

import org.projectfloodlight.openflow.types.IPv4Address;

/** Inbound NAT for one port: externalIp:externalPort on a gateway host goes to an endpoint's internalPort. */
public record PortForward(String id, String gatewayHostId, IPv4Address externalIp, Protocol protocol,
        int externalPort, String endpointId, int internalPort) implements ConfigObject {

    @Override
    public PortForward withId(String newId) {
        return new PortForward(newId, gatewayHostId, externalIp, protocol, externalPort, endpointId, internalPort);
    }
}
