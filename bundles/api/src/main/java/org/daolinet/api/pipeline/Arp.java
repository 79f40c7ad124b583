package org.daolinet.api.pipeline;

import java.nio.ByteBuffer;

import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/** An IPv4-over-Ethernet ARP message. */
public record Arp(ArpOpcode opcode, MacAddress senderMac, IPv4Address senderIp, MacAddress targetMac,
        IPv4Address targetIp) {

    public boolean isRequest() {
        return ArpOpcode.REQUEST.equals(opcode);
    }

    /** This message in an Ethernet frame from its sender's MAC to {@code ethDst}: what a switch is sent to emit. */
    public byte[] toFrame(MacAddress ethDst) {
        ByteBuffer b = ByteBuffer.allocate(42);
        b.put(ethDst.getBytes()).put(senderMac.getBytes()).putShort((short) 0x0806);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) opcode.getOpcode());
        b.put(senderMac.getBytes()).put(senderIp.getBytes()).put(targetMac.getBytes()).put(targetIp.getBytes());
        return b.array();
    }
}
