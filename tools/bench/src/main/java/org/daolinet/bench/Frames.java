package org.daolinet.bench;

import java.nio.ByteBuffer;

/** Ethernet frames for the benchmark's PacketIns: a TCP SYN (a new connection) and a small UDP datagram. */
final class Frames {

    private Frames() {
    }

    /** A 64-byte-ish Ethernet/IPv4/TCP SYN from {@code srcIp:srcPort} to {@code dstIp:dstPort}. */
    static byte[] tcpSyn(long srcMac, long dstMac, int srcIp, int dstIp, int srcPort, int dstPort) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 20);
        ethernet(b, srcMac, dstMac);
        ipv4(b, srcIp, dstIp, 6, 20);
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(srcPort * 7919).putInt(0);
        b.put((byte) 0x50).put((byte) 0x02).putShort((short) 64240).putShort((short) 0).putShort((short) 0);
        return b.array();
    }

    /** A UDP datagram between two MACs, as cbench sends (the addresses do not matter to a learning switch). */
    static byte[] udp(long srcMac, long dstMac, int seq) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + 18);
        ethernet(b, srcMac, dstMac);
        ipv4(b, 0xC0A8_0001, 0xC0A8_0002, 17, 8 + 18);
        b.putShort((short) 1024).putShort((short) 2048).putShort((short) 26).putShort((short) 0).putInt(seq);
        return b.array();
    }

    private static void ethernet(ByteBuffer b, long src, long dst) {
        putMac(b, dst);
        putMac(b, src);
        b.putShort((short) 0x0800);
    }

    private static void ipv4(ByteBuffer b, int src, int dst, int protocol, int payload) {
        int start = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload)).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) protocol).putShort((short) 0).putInt(src).putInt(dst);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += b.getShort(start + i) & 0xffff;
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        b.putShort(start + 10, (short) ~sum);
    }

    private static void putMac(ByteBuffer b, long mac) {
        for (int i = 5; i >= 0; i--) {
            b.put((byte) (mac >>> (8 * i)));
        }
    }
}
