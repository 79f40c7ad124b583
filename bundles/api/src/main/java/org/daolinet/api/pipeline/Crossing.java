package org.daolinet.api.pipeline;

import org.projectfloodlight.openflow.types.OFPort;

/**
 * How a connection crosses the underlay between two hosts: the uplink port of each host's switch, the header its
 * packets carry when they leave a host ({@code forwardWire} from the source host, {@code reverseWire} back), and
 * what the other host's switch matches when they arrive ({@code forwardArrival}, {@code reverseArrival}). On a
 * shared segment a frame arrives as it left; across routers its MACs are whatever the last router chose, so the
 * arrival headers leave them out (null) and the addresses and ports alone identify the connection.
 *
 * <p>The wire headers must make the connection unique on the underlay (two tenants with the same addresses
 * between the same hosts must not look alike) and must let the destination switch restore the delivered header
 * exactly.
 */
public record Crossing(OFPort sourceUplink, OFPort destinationUplink, Header forwardWire, Header reverseWire,
        Header forwardArrival, Header reverseArrival) {

    /** Across a shared L2 segment: frames arrive exactly as they were sent. */
    public static Crossing bridged(OFPort sourceUplink, OFPort destinationUplink, Header forwardWire,
            Header reverseWire) {
        return new Crossing(sourceUplink, destinationUplink, forwardWire, reverseWire, forwardWire, reverseWire);
    }

    /**
     * Whether a packet must not reach the destination switch before its flows there: across routers it is
     * addressed to the destination host itself, whose own traffic flows would hand it to the host's stack. A
     * bridged frame that arrives early is harmless: it carries aliases no flow matches, so the switch asks the
     * controller, which decides it again.
     */
    public boolean needsFlowsFirst() {
        return forwardArrival.ethDst() == null;
    }

    /** Across routers: frames arrive with the MACs of the last hop, so those are not matched. */
    public static Crossing routed(OFPort sourceUplink, OFPort destinationUplink, Header forwardWire,
            Header reverseWire) {
        return new Crossing(sourceUplink, destinationUplink, forwardWire, reverseWire,
                forwardWire.withMacs(null, null), reverseWire.withMacs(null, null));
    }
}
