package org.daolinet.api.openflow;

import org.projectfloodlight.openflow.protocol.OFErrorMsg;

/**
 * Whiteboard listener for OpenFlow errors a switch sends that answer no pending request (errors that answer a
 * request fail that request's future instead). Called on the I/O thread.
 */
@FunctionalInterface
public interface SwitchErrorListener {

    void error(OpenFlowSwitch sw, OFErrorMsg error);
}
