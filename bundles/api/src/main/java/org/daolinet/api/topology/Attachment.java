package org.daolinet.api.topology;

import java.time.Instant;

import org.daolinet.api.config.Endpoint;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * An endpoint found on a switch port (by its declared OVS port name), with the endpoint as declared when it was
 * found there (a change to the declaration makes a new attachment). {@code confirmedAt} is when a packet from the
 * endpoint's MAC last arrived on that port, or null while none has.
 */
public record Attachment(Endpoint endpoint, DatapathId dpid, OFPort port, Instant confirmedAt) {

    public String endpointId() {
        return endpoint.id();
    }

    public String hostId() {
        return endpoint.hostId();
    }

    public Attachment confirmed(Instant at) {
        return new Attachment(endpoint, dpid, port, at);
    }
}
