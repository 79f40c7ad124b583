package org.daolinet.api.config;

import org.projectfloodlight.openflow.types.IPv4AddressWithMask;

/**
 * A rule of a VPC's perimeter firewall, for traffic entering ({@code INGRESS}) or leaving ({@code EGRESS}) the
 * VPC. Rules are tried by ascending {@code priority}; the first match decides.
 */
public record FirewallRule(String id, String vpcId, int priority, Direction direction, FirewallAction action,
        Protocol protocol, IPv4AddressWithMask remoteCidr, PortRange ports) implements ConfigObject {

    @Override
    public FirewallRule withId(String newId) {
        return new FirewallRule(newId, vpcId, priority, direction, action, protocol, remoteCidr, ports);
    }
}
