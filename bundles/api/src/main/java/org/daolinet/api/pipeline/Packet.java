package org.daolinet.api.pipeline;

import org.projectfloodlight.openflow.types.EthType;

/**
 * A decoded frame. {@code arp} is set for ARP, {@code ttl}, {@code icmpType} and {@code icmpCode} are -1 where
 * they do not apply; {@code fragment} marks a non-first IPv4 fragment, which carries no ports.
 */
public record Packet(Header header, Arp arp, int ttl, int icmpType, int icmpCode, boolean fragment, int length) {

    public boolean isArp() {
        return arp != null;
    }

    public boolean isLldp() {
        return EthType.LLDP.equals(header.ethType());
    }

    /** Broadcast or multicast destination. */
    public boolean isMulticast() {
        return header.ethDst().isMulticast() || header.ethDst().isBroadcast();
    }
}
