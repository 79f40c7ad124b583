package org.daolinet.api.config;

import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;

/**
 * An IPv4 subnet of a VPC. Subnets of one VPC do not overlap; subnets of different VPCs may. The gateway address
 * is answered by the distributed router on every host.
 */
public record Subnet(String id, String vpcId, String name, IPv4AddressWithMask cidr, IPv4Address gateway)
        implements ConfigObject {

    @Override
    public Subnet withId(String newId) {
        return new Subnet(newId, vpcId, name, cidr, gateway);
    }
}
