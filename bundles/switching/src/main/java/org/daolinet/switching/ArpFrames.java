package org.daolinet.switching;

import java.nio.ByteBuffer;

import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/** ARP frames the controller sends on behalf of the addresses it knows. */
public final class ArpFrames {

    private ArpFrames() {
    }

    /** "{@code ip} is at {@code mac}", addressed to the asker. */
    public static byte[] reply(MacAddress mac, IPv4Address ip, MacAddress askerMac, IPv4Address askerIp) {
        ByteBuffer b = ByteBuffer.allocate(42);
        b.put(askerMac.getBytes()).put(mac.getBytes()).putShort((short) 0x0806);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 2);
        b.put(mac.getBytes()).put(ip.getBytes()).put(askerMac.getBytes()).put(askerIp.getBytes());
        return b.array();
    }
}
