package org.daolinet.api.pipeline;

/**
 * Where a connection goes: from the source endpoint's switch port to the destination's, across the underlay when
 * the two are on different hosts ({@code crossing} set), matched either as an exact connection in both directions
 * or, for a plain learning switch, as one MAC pair in one direction, or not matched at all but relayed packet by
 * packet.
 */
public record Delivery(Location source, Location destination, Crossing crossing, Scope scope) {

    public enum Scope {
        /** Exact match on the connection (addresses, protocol, ports); replies get their flows at once. */
        CONNECTION,
        /** Match on in-port and the two MACs, this direction only: what an L2 learning switch installs. */
        MAC_PAIR,
        /**
         * No flows: the controller carries this one packet to the destination's port itself (a PacketOut on the
         * destination's switch). For what cannot cross the underlay as a flow, like ICMP across routed hosts.
         */
        PACKET
    }

    public static Delivery local(Location source, Location destination, Scope scope) {
        return new Delivery(source, destination, null, scope);
    }

    public boolean crossesHosts() {
        return crossing != null;
    }
}
