package org.daolinet.api.config;

import org.projectfloodlight.openflow.types.IPv4Address;

/** A public address of one endpoint, both ways, served by a gateway host. */
public record FloatingIp(String id, String endpointId, String gatewayHostId, IPv4Address externalIp)
        implements ConfigObject {

    @Override
    public FloatingIp withId(String newId) {
        return new FloatingIp(newId, endpointId, gatewayHostId, externalIp);
    }
}
