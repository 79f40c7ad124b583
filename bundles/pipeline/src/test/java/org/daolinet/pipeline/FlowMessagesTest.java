package org.daolinet.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.daolinet.api.pipeline.Delivery.Scope;
import org.daolinet.api.pipeline.Header;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.match.MatchFields;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TransportPort;

/** The OpenFlow 1.3 match is built as one OXM list for speed: it must be the very match, byte for byte. */
class FlowMessagesTest {

    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final MacAddress A = MacAddress.of("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.of("02:00:00:00:00:0b");
    private static final IPv4Address IP_A = IPv4Address.of("10.0.0.10");
    private static final IPv4Address IP_B = IPv4Address.of("10.0.0.11");

    private static Header ipv4(IpProtocol proto, Integer src, Integer dst) {
        return new Header(A, B, EthType.IPv4, IP_A, IP_B, proto, src == null ? null : TransportPort.of(src),
                dst == null ? null : TransportPort.of(dst));
    }

    @Test
    void oxmListMatchIsTheFieldByFieldMatchByteForByte() {
        List<Header> headers = List.of(ipv4(IpProtocol.TCP, 40000, 80), ipv4(IpProtocol.UDP, 5353, 53),
                ipv4(IpProtocol.ICMP, null, null), new Header(A, B, EthType.ARP, null, null, null, null, null),
                new Header(null, B, null, null, null, null, null, null));
        for (Header h : headers) {
            for (Scope scope : Scope.values()) {
                Match fast = FlowMessages.match(OF13, OFPort.of(7), h, scope);
                Match reference = fieldByField(h, scope);
                assertEquals(reference, fast, h + " " + scope);
                assertArrayEquals(bytes(reference), bytes(fast), h + " " + scope);
            }
        }
    }

    @Test
    void prerequisitesComeBeforeTheFieldsThatNeedThem() {
        Match m = FlowMessages.match(OF13, OFPort.of(7), ipv4(IpProtocol.TCP, 40000, 80), Scope.CONNECTION);
        List<MatchFields> order = new java.util.ArrayList<>();
        m.getMatchFields().forEach(f -> order.add(f.id));
        assertTrue(order.indexOf(MatchFields.ETH_TYPE) < order.indexOf(MatchFields.IPV4_SRC), order.toString());
        assertTrue(order.indexOf(MatchFields.IP_PROTO) < order.indexOf(MatchFields.TCP_SRC), order.toString());
        assertEquals(9, order.size(), order.toString());
    }

    private static Match fieldByField(Header h, Scope scope) {
        Match.Builder m = OF13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(7));
        if (h.ethSrc() != null) {
            m.setExact(MatchField.ETH_SRC, h.ethSrc());
        }
        m.setExact(MatchField.ETH_DST, h.ethDst());
        if (scope == Scope.MAC_PAIR || h.ethType() == null) {
            return m.build();
        }
        m.setExact(MatchField.ETH_TYPE, h.ethType());
        if (h.isIpv4()) {
            m.setExact(MatchField.IPV4_SRC, h.ipSrc()).setExact(MatchField.IPV4_DST, h.ipDst())
                    .setExact(MatchField.IP_PROTO, h.ipProto());
            if (IpProtocol.TCP.equals(h.ipProto())) {
                m.setExact(MatchField.TCP_SRC, h.l4Src()).setExact(MatchField.TCP_DST, h.l4Dst());
            } else if (IpProtocol.UDP.equals(h.ipProto())) {
                m.setExact(MatchField.UDP_SRC, h.l4Src()).setExact(MatchField.UDP_DST, h.l4Dst());
            }
        }
        return m.build();
    }

    private static byte[] bytes(Match m) {
        ByteBuf buf = Unpooled.buffer();
        m.writeTo(buf);
        return ByteBufUtil.getBytes(buf);
    }
}
