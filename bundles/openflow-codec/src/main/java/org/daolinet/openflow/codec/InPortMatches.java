package org.daolinet.openflow.codec;

import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The match of an Open vSwitch table-miss PacketIn over 1.3 (IN_PORT alone), built once per port number and shared
 * by every connection of a controller. A host with hundreds of containers has hundreds of ports, all sending
 * PacketIns; one match per port and switch would cost hundreds of Loxi matches per switch, a small cache per
 * connection kept rebuilding them. Loxi's matches are immutable, every field final, so a reference read here
 * without a lock is as good as the one built, and two event loops building the same port's match at once each get
 * a correct one.
 */
public final class InPortMatches {

    /**
     * Ports numbered below this are kept: switches number their ports from 1 (Open vSwitch in the order they were
     * added). Higher numbers and the reserved ports (LOCAL, CONTROLLER) get a match of their own each time; no
     * table-miss PacketIn comes from them on a busy path.
     */
    static final int KEPT_PORTS = 4096;

    private final OFFactory factory = OFFactories.getFactory(OFVersion.OF_13);
    private final Match[] byPort = new Match[KEPT_PORTS];

    /** The IN_PORT-only match of {@code port}, a 32-bit port number as read from the wire. */
    public Match of(int port) {
        if (Integer.compareUnsigned(port, KEPT_PORTS) >= 0) {
            return build(port);
        }
        Match m = byPort[port];
        if (m == null) {
            m = build(port);
            byPort[port] = m;
        }
        return m;
    }

    private Match build(int port) {
        return factory.buildMatch().setExact(MatchField.IN_PORT, OFPort.ofInt(port)).build();
    }
}
