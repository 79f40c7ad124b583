package org.daolinet.api.openflow;

import org.projectfloodlight.openflow.protocol.OFFlowRemoved;

/** Whiteboard listener for flows a switch removed (idle or hard timeout, delete). Called on the I/O thread. */
@FunctionalInterface
public interface FlowRemovedListener {

    void flowRemoved(OpenFlowSwitch sw, OFFlowRemoved flowRemoved);
}
