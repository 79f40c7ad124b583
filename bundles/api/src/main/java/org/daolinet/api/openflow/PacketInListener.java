package org.daolinet.api.openflow;

import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Whiteboard listener for packets a switch sends to the controller. Called on the switch's I/O thread, on the
 * hot path of every new connection in the network: return quickly, never block.
 */
@FunctionalInterface
public interface PacketInListener {

    void packetIn(OpenFlowSwitch sw, OFPacketIn packetIn);

    /** The port the packet came in on: a field of its own under OpenFlow 1.0, part of the match from 1.2 on. */
    static OFPort inPort(OFPacketIn packetIn) {
        if (packetIn.getVersion() == OFVersion.OF_10) {
            return packetIn.getInPort();
        }
        return packetIn.getMatch().get(MatchField.IN_PORT);
    }
}
