package org.daolinet.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.daolinet.api.pipeline.Arp;
import org.daolinet.api.pipeline.Packet;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;

/** The parser sees whatever switches send: it must read real frames right and never throw on anything else. */
class PacketParserTest {

    private static final byte[] TCP_SYN = hex("0200000000110200000000100800" // eth
            + "4500002c00004000400600000a00000a0a00000b" // ipv4 10.0.0.10 -> 10.0.0.11, tcp
            + "9c400050000000000000000060020000000000000204");

    @Test
    void readsTcpOverIpv4() {
        Packet p = PacketParser.parse(TCP_SYN);
        assertEquals(EthType.IPv4, p.header().ethType());
        assertEquals(IPv4Address.of("10.0.0.10"), p.header().ipSrc());
        assertEquals(IPv4Address.of("10.0.0.11"), p.header().ipDst());
        assertEquals(IpProtocol.TCP, p.header().ipProto());
        assertEquals(40000, p.header().l4Src().getPort());
        assertEquals(80, p.header().l4Dst().getPort());
        assertEquals(64, p.ttl());
    }

    @Test
    void arpFramesTheControllerBuildsReadBackAsTheMessagesTheyCarry() {
        Arp request = new Arp(ArpOpcode.REQUEST, MacAddress.of("fa:da:00:00:00:07"), IPv4Address.NONE,
                MacAddress.NONE, IPv4Address.of("192.168.60.254"));
        Arp reply = new Arp(ArpOpcode.REPLY, MacAddress.of("fe:da:00:00:00:01"), IPv4Address.of("10.0.1.1"),
                MacAddress.of("02:00:00:00:00:10"), IPv4Address.of("10.0.1.10"));
        for (Arp arp : new Arp[] {request, reply}) {
            MacAddress to = arp.isRequest() ? MacAddress.BROADCAST : arp.targetMac();
            Packet p = PacketParser.parse(arp.toFrame(to));
            assertTrue(p.isArp());
            assertEquals(arp, p.arp());
            assertEquals(to, p.header().ethDst());
            assertEquals(arp.senderMac(), p.header().ethSrc());
            assertEquals(EthType.ARP, p.header().ethType());
        }
    }

    @Test
    void truncatedRandomAndMutatedFramesNeverThrow() {
        Random random = new Random(Long.getLong("fuzz.seed", 6L));
        assertNull(PacketParser.parse(new byte[13]));
        for (int cut = 0; cut <= TCP_SYN.length; cut++) {
            PacketParser.parse(Arrays.copyOf(TCP_SYN, cut));
        }
        int cases = Integer.getInteger("fuzz.cases", 20_000);
        for (int i = 0; i < cases; i++) {
            byte[] f;
            if (i % 2 == 0) {
                f = new byte[random.nextInt(128)];
                random.nextBytes(f);
            } else {
                f = Arrays.copyOf(TCP_SYN, 14 + random.nextInt(TCP_SYN.length - 13));
                for (int k = 0; k < 3; k++) {
                    f[random.nextInt(f.length)] = (byte) random.nextInt(256);
                }
                if (random.nextBoolean()) {
                    f[12] = (byte) 0x86; // IPv6 ethertype
                    f[13] = (byte) 0xdd;
                }
            }
            Packet p = PacketParser.parse(f);
            assertTrue(p == null || p.header().ethSrc() != null);
        }
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
