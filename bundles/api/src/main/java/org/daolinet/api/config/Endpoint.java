package org.daolinet.api.config;

import java.util.List;

import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * A container's or VM's network port: its addresses in a subnet of a VPC, the host it runs on and the name of its
 * Open vSwitch port there, and the security groups that guard it.
 */
public record Endpoint(String id, String name, String vpcId, String subnetId, MacAddress mac, IPv4Address ip,
        String hostId, String portName, List<String> securityGroupIds) implements ConfigObject {

    public Endpoint {
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
    }

    @Override
    public Endpoint withId(String newId) {
        return new Endpoint(newId, name, vpcId, subnetId, mac, ip, hostId, portName, securityGroupIds);
    }
}
