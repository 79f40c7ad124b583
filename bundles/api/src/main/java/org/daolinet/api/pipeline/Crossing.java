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

    /** Across routers: frames arrive with the MACs of the last hop, so those are not matched. */
    public static Crossing routed(OFPort sourceUplink, OFPort destinationUplink, Header forwardWire,
            Header reverseWire) {
        return new Crossing(sourceUplink, destinationUplink, forwardWire, reverseWire,
                forwardWire.withMacs(null, null), reverseWire.withMacs(null, null));
    }
}
