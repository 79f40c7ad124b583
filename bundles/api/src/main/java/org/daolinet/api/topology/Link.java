package org.daolinet.api.topology;

import java.time.Instant;

import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/** A unidirectional link between two switch ports, as LLDP found it. */
public record Link(DatapathId srcDpid, OFPort srcPort, DatapathId dstDpid, OFPort dstPort, Instant lastSeen) {
}
