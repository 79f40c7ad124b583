package org.daolinet.api.config;

import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * An IPv4 subnet of a VPC. Subnets of one VPC do not overlap; subnets of different VPCs may. The gateway address
 * is answered by the distributed router on every host.
 */
public record Subnet(String id, String vpcId, String name, IPv4AddressWithMask cidr, IPv4Address gateway)
        implements ConfigObject {

    /**
     * The MAC of every subnet's gateway, on every host: the distributed router answers ARP for the gateway address
     * with it. Locally administered, and never an endpoint's or an underlay alias.
     */
    public static final MacAddress GATEWAY_MAC = MacAddress.of("fe:da:00:00:00:01");

    @Override
    public Subnet withId(String newId) {
        return new Subnet(newId, vpcId, name, cidr, gateway);
    }
}
