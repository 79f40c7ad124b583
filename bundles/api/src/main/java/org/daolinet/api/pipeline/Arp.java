package org.daolinet.api.pipeline;

import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/** An IPv4-over-Ethernet ARP message. */
public record Arp(ArpOpcode opcode, MacAddress senderMac, IPv4Address senderIp, MacAddress targetMac,
        IPv4Address targetIp) {

    public boolean isRequest() {
        return ArpOpcode.REQUEST.equals(opcode);
    }
}
