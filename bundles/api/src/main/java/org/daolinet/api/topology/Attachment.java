package org.daolinet.api.topology;

import java.time.Instant;

import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * An endpoint found on a switch port (by its declared OVS port name). {@code confirmedAt} is when a packet from
 * the endpoint's MAC last arrived on that port, or null while none has.
 */
public record Attachment(String endpointId, String hostId, DatapathId dpid, OFPort port, Instant confirmedAt) {

    public Attachment confirmed(Instant at) {
        return new Attachment(endpointId, hostId, dpid, port, at);
    }
}
