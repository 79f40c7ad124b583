package org.daolinet.api.config;

import org.projectfloodlight.openflow.types.IPv4AddressWithMask;

/**
 * Allows traffic into or out of the endpoints of a security group (groups only allow; what no rule allows is
 * denied). The peer is a CIDR or the members of another group ({@code remoteGroupId}), or anyone if neither.
 */
public record SecurityGroupRule(Direction direction, Protocol protocol, PortRange ports,
        IPv4AddressWithMask remoteCidr, String remoteGroupId) {
}
