package org.daolinet.pipeline;

import java.nio.ByteBuffer;

import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/** The ARP answers the controller sends on behalf of the addresses it knows. */
final class ArpFrames {

    private ArpFrames() {
    }

    /** "{@code ip} is at {@code mac}", addressed to the asker. */
    static byte[] reply(MacAddress mac, IPv4Address ip, MacAddress askerMac, IPv4Address askerIp) {
        ByteBuffer b = ByteBuffer.allocate(42);
        b.put(askerMac.getBytes()).put(mac.getBytes()).putShort((short) 0x0806);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 2);
        b.put(mac.getBytes()).put(ip.getBytes()).put(askerMac.getBytes()).put(askerIp.getBytes());
        return b.array();
    }
}
