package org.daolinet.api.config;

import org.projectfloodlight.openflow.types.IPv4Address;

/** Outbound NAT: the VPC's endpoints reach the outside through a gateway host, as {@code externalIp}. */
public record SnatRule(String id, String vpcId, String gatewayHostId, IPv4Address externalIp)
        implements ConfigObject {

    @Override
    public SnatRule withId(String newId) {
        return new SnatRule(newId, vpcId, gatewayHostId, externalIp);
    }
}
