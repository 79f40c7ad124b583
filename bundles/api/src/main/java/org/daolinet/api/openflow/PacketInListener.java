package org.daolinet.api.openflow;

import org.projectfloodlight.openflow.protocol.OFPacketIn;

/**
 * Whiteboard listener for packets a switch sends to the controller. Called on the switch's I/O thread, on the
 * hot path of every new connection in the network: return quickly, never block.
 */
@FunctionalInterface
public interface PacketInListener {

    void packetIn(OpenFlowSwitch sw, OFPacketIn packetIn);
}
