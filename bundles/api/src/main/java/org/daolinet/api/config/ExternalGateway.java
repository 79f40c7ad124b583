package org.daolinet.api.config;

import org.projectfloodlight.openflow.types.IPv4Address;

/** A host's role as a gateway to the outside: the port towards it and the address it owns there. */
public record ExternalGateway(String port, IPv4Address ip) {
}
