package org.daolinet.api.pipeline;

import java.util.List;
import java.util.Optional;

import org.daolinet.api.config.Endpoint;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * One packet on its way through the network functions, and the decision they build up together. Used by one
 * thread at a time; not kept after the packet is decided.
 */
public interface PacketContext {

    /** The switch the packet came from. */
    OpenFlowSwitch sw();

    OFPort inPort();

    Packet packet();

    /** The raw frame, for functions that answer with a frame of their own. Do not modify it. */
    byte[] frame();

    /**
     * The header as the source endpoint sent it. Usually the packet's own; differs when the packet was caught on
     * an underlay in its wire form and the classifier restored it with {@link #restoreOriginal}.
     */
    Header original();

    /**
     * Declares that the packet is in its wire form at the destination host's uplink, and what it looked like when
     * its source endpoint sent it; the rest of the pipeline then decides as for the original.
     */
    void restoreOriginal(Header original);

    /** Whether {@link #restoreOriginal} was called: the packet is at its destination host, not at its source. */
    boolean arrivedOnUnderlay();

    /** The header the destination will receive; starts as {@link #original()} and gathers rewrites. */
    Header delivered();

    void deliverAs(Header header);

    /** Whether a router hop decrements the TTL of this connection's packets (both directions). */
    boolean decrementsTtl();

    void decrementTtl();

    Optional<Endpoint> source();

    /** Where the source endpoint is attached; set with the source. */
    Optional<Location> sourceLocation();

    void setSource(Endpoint endpoint, Location location);

    Optional<Endpoint> destination();

    void setDestination(Endpoint endpoint);

    Optional<Delivery> delivery();

    void setDelivery(Delivery delivery);

    /**
     * Sends the packet itself (or a buffer of it) out of the switch it came from with these actions, now.
     * For floods and answers that need no flows.
     */
    void packetOut(List<OFAction> actions);

    /** Sends a frame the function built (an ICMP reply) out of the port the packet came in on. */
    void reply(byte[] frame);

    /** Answers the ARP request this packet is: its target address is at {@code mac}. */
    void answerArp(MacAddress mac);
}
