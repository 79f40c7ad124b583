package org.daolinet.pipeline;

import org.daolinet.api.pipeline.Arp;
import org.daolinet.api.pipeline.Header;
import org.daolinet.api.pipeline.Packet;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.TransportPort;

/**
 * Decodes the headers the pipeline decides on, straight from the frame bytes. Whatever a switch sends — IPv6,
 * VLAN tags, truncated or garbage frames — it never throws: what it cannot read it leaves out.
 */
final class PacketParser {

    private static final int ETH_HEADER = 14;

    private PacketParser() {
    }

    /** The decoded packet, or null if the frame is too short to hold an Ethernet header. */
    static Packet parse(byte[] f) {
        if (f == null || f.length < ETH_HEADER) {
            return null;
        }
        MacAddress dst = MacAddress.of(mac(f, 0));
        MacAddress src = MacAddress.of(mac(f, 6));
        EthType type = EthType.of(u16(f, 12));
        if (type.equals(EthType.ARP)) {
            return new Packet(new Header(src, dst, type, null, null, null, null, null), arp(f), -1, -1, -1, false,
                    f.length);
        }
        if (!type.equals(EthType.IPv4) || f.length < ETH_HEADER + 20) {
            return new Packet(new Header(src, dst, type, null, null, null, null, null), null, -1, -1, -1, false,
                    f.length);
        }
        int ip = ETH_HEADER;
        int versionAndLength = f[ip] & 0xff;
        int ihl = (versionAndLength & 0x0f) * 4;
        if (versionAndLength >> 4 != 4 || ihl < 20 || f.length < ip + ihl) {
            return new Packet(new Header(src, dst, type, null, null, null, null, null), null, -1, -1, -1, false,
                    f.length);
        }
        int ttl = f[ip + 8] & 0xff;
        IpProtocol proto = IpProtocol.of((short) (f[ip + 9] & 0xff));
        IPv4Address ipSrc = IPv4Address.of(u32(f, ip + 12));
        IPv4Address ipDst = IPv4Address.of(u32(f, ip + 16));
        boolean laterFragment = (u16(f, ip + 6) & 0x1fff) != 0;
        int l4 = ip + ihl;
        TransportPort sport = null;
        TransportPort dport = null;
        int icmpType = -1;
        int icmpCode = -1;
        if (!laterFragment) {
            if ((proto.equals(IpProtocol.TCP) || proto.equals(IpProtocol.UDP) || proto.equals(IpProtocol.SCTP))
                    && f.length >= l4 + 4) {
                sport = TransportPort.of(u16(f, l4));
                dport = TransportPort.of(u16(f, l4 + 2));
            } else if (proto.equals(IpProtocol.ICMP) && f.length >= l4 + 2) {
                icmpType = f[l4] & 0xff;
                icmpCode = f[l4 + 1] & 0xff;
            }
        }
        if (proto.equals(IpProtocol.SCTP)) {
            // flows cannot match SCTP ports under OpenFlow 1.0; decide SCTP per address pair instead
            sport = null;
            dport = null;
        }
        return new Packet(new Header(src, dst, type, ipSrc, ipDst, proto, sport, dport), null, ttl, icmpType,
                icmpCode, laterFragment, f.length);
    }

    private static Arp arp(byte[] f) {
        int a = ETH_HEADER;
        // Ethernet (1) / IPv4 (0x0800), 6-byte and 4-byte addresses: anything else is not ARP we answer
        if (f.length < a + 28 || u16(f, a) != 1 || u16(f, a + 2) != 0x0800 || f[a + 4] != 6 || f[a + 5] != 4) {
            return null;
        }
        return new Arp(ArpOpcode.of(u16(f, a + 6)), MacAddress.of(mac(f, a + 8)), IPv4Address.of(u32(f, a + 14)),
                MacAddress.of(mac(f, a + 18)), IPv4Address.of(u32(f, a + 24)));
    }

    private static long mac(byte[] f, int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (f[at + i] & 0xff);
        }
        return v;
    }

    private static int u16(byte[] f, int at) {
        return ((f[at] & 0xff) << 8) | (f[at + 1] & 0xff);
    }

    private static int u32(byte[] f, int at) {
        return ((f[at] & 0xff) << 24) | ((f[at + 1] & 0xff) << 16) | ((f[at + 2] & 0xff) << 8) | (f[at + 3] & 0xff);
    }
}
