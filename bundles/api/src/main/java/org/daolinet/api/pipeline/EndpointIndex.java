package org.daolinet.api.pipeline;

import java.util.Optional;

import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Subnet;
import org.projectfloodlight.openflow.types.IPv4Address;

/**
 * The declared endpoints and subnets, indexed for the PacketIn path: every lookup is in memory and constant time
 * (or linear in one VPC's subnets), so network functions may call it for every new connection.
 */
public interface EndpointIndex {

    /** The endpoint with this address in this subnet. */
    Optional<Endpoint> inSubnet(String subnetId, IPv4Address ip);

    /** The subnet of this VPC whose range holds {@code ip}. */
    Optional<Subnet> subnetOf(String vpcId, IPv4Address ip);

    Optional<Subnet> subnet(String subnetId);
}
