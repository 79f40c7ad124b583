package org.daolinet.api.openflow;

import org.projectfloodlight.openflow.protocol.OFPortStatus;

/**
 * Whiteboard listener for switches coming and going. Register an implementation as an OSGi service.
 * Called on the switch's I/O thread: return quickly and never block.
 */
public interface SwitchListener {

    /** The switch completed its handshake and is ready for flows. */
    default void switchAdded(OpenFlowSwitch sw) {
    }

    /** The switch's connection closed, or was replaced by a newer one from the same datapath. */
    default void switchRemoved(OpenFlowSwitch sw) {
    }

    /** A port was added, removed or changed; {@link OpenFlowSwitch#ports()} already reflects it. */
    default void portChanged(OpenFlowSwitch sw, OFPortStatus status) {
    }
}
