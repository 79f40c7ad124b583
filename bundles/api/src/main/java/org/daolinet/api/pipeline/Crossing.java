package org.daolinet.api.pipeline;

import org.projectfloodlight.openflow.types.OFPort;

/**
 * How a connection crosses the underlay between two hosts: the uplink port of each host's switch, and the header
 * its packets carry on the wire in each direction. The wire headers must make the connection unique on the
 * underlay (two tenants with the same addresses between the same hosts must not look alike) and must let the
 * destination switch restore the delivered header exactly.
 */
public record Crossing(OFPort sourceUplink, OFPort destinationUplink, Header forwardWire, Header reverseWire) {
}
