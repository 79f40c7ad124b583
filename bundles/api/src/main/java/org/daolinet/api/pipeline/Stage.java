package org.daolinet.api.pipeline;

/**
 * The fixed order in which network functions see a new connection's first packet. A function in an earlier stage
 * can deny or answer a packet before a later one sees it; functions of one stage run in name order.
 */
public enum Stage {
    /** Who sent this, from which VPC; anti-spoofing. */
    CLASSIFY,
    /** ARP answered by the controller; the subnet gateways. */
    ARP,
    /** Egress rules of the source endpoint, ingress rules of the destination. */
    SECURITY_GROUPS,
    /** The VPC perimeter, in and out. */
    FIREWALL,
    /** A virtual IP to one of its members. */
    LOAD_BALANCER,
    /** Floating IPs and port forwards in, SNAT out. */
    NAT,
    /** Subnet to subnet inside a VPC. */
    ROUTING,
    /** Delivery: a local port, or across the underlay to the destination host. */
    SWITCHING,
    /** Sees the final decision and changes nothing: counters, logs, audit. */
    OBSERVE
}
