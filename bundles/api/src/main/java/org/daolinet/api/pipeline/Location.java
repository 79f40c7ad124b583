package org.daolinet.api.pipeline;

import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/** A switch port. */
public record Location(DatapathId dpid, OFPort port) {

    @Override
    public String toString() {
        return dpid + "/" + port;
    }
}
