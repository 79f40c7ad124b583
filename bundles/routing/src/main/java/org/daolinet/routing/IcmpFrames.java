package org.daolinet.routing;

import java.nio.ByteBuffer;
import java.util.Optional;

import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/** ICMP messages the gateway sends: echo replies, and "time exceeded" for packets whose TTL ran out. */
final class IcmpFrames {

    private static final int ETH = 14;
    private static final int IPV4 = 0x0800;
    private static final int ICMP = 1;
    private static final int ECHO_REPLY = 0;
    private static final int TIME_EXCEEDED = 11;
    private static final int TTL = 64;

    private IcmpFrames() {
    }

    /** The answer to an echo request (an untagged IPv4 frame), from {@code mac}/{@code ip}: same id, data. */
    static Optional<byte[]> echoReply(byte[] request, MacAddress mac, IPv4Address ip) {
        if (!isIpv4(request)) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(request);
        int ihl = (request[ETH] & 0x0f) * 4;
        int total = in.getShort(ETH + 2) & 0xffff;
        if (total < ihl + 8 || ETH + total > request.length) {
            return Optional.empty();
        }
        int icmpLength = total - ihl;
        ByteBuffer out = ByteBuffer.allocate(ETH + 20 + icmpLength);
        out.put(request, 6, 6).put(mac.getBytes()).putShort((short) IPV4);
        ipHeader(out, 20 + icmpLength, ip, IPv4Address.of(in.getInt(ETH + 12)));
        int icmp = out.position();
        out.put(request, ETH + ihl, icmpLength);
        out.put(icmp, (byte) ECHO_REPLY).putShort(icmp + 2, (short) 0);
        out.putShort(icmp + 2, checksum(out.array(), icmp, icmpLength));
        return Optional.of(out.array());
    }

    /**
     * "Time to live exceeded in transit" for {@code dropped}, from {@code mac}/{@code ip}: what traceroute reads.
     * Carries the dropped packet's IP header and first 8 bytes, as RFC 792 asks.
     */
    static Optional<byte[]> timeExceeded(byte[] dropped, MacAddress mac, IPv4Address ip) {
        if (!isIpv4(dropped)) {
            return Optional.empty();
        }
        int ihl = (dropped[ETH] & 0x0f) * 4;
        int quoted = Math.min(dropped.length - ETH, ihl + 8);
        int icmpLength = 8 + quoted;
        ByteBuffer out = ByteBuffer.allocate(ETH + 20 + icmpLength);
        out.put(dropped, 6, 6).put(mac.getBytes()).putShort((short) IPV4);
        ipHeader(out, 20 + icmpLength, ip, IPv4Address.of(ByteBuffer.wrap(dropped).getInt(ETH + 12)));
        int icmp = out.position();
        out.put((byte) TIME_EXCEEDED).put((byte) 0).putShort((short) 0).putInt(0);
        out.put(dropped, ETH, quoted);
        out.putShort(icmp + 2, checksum(out.array(), icmp, icmpLength));
        return Optional.of(out.array());
    }

    private static boolean isIpv4(byte[] f) {
        return f.length >= ETH + 20 && ((f[12] & 0xff) << 8 | (f[13] & 0xff)) == IPV4 && (f[ETH] >> 4) == 4
                && (f[ETH] & 0x0f) >= 5 && f.length >= ETH + (f[ETH] & 0x0f) * 4;
    }

    private static void ipHeader(ByteBuffer out, int totalLength, IPv4Address src, IPv4Address dst) {
        int start = out.position();
        out.put((byte) 0x45).put((byte) 0).putShort((short) totalLength).putShort((short) 0).putShort((short) 0)
                .put((byte) TTL).put((byte) ICMP).putShort((short) 0).put(src.getBytes()).put(dst.getBytes());
        out.putShort(start + 10, checksum(out.array(), start, 20));
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes from {@code offset}. */
    static short checksum(byte[] b, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((b[offset + i] & 0xff) << 8) | (b[offset + i + 1] & 0xff);
        }
        if ((length & 1) == 1) {
            sum += (b[offset + length - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }
}
