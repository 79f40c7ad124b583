package org.daolinet.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.daolinet.api.pipeline.Delivery.Scope;
import org.daolinet.api.pipeline.Header;
import org.daolinet.api.pipeline.Location;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;

/** What {@link FlowWire} writes must be what Loxi writes for the same message, byte for byte. */
class FlowWireTest {

    private static final List<OFFactory> FACTORIES = List.of(OFFactories.getFactory(OFVersion.OF_10),
            OFFactories.getFactory(OFVersion.OF_13));
    private static final IpProtocol[] PROTOCOLS = {IpProtocol.TCP, IpProtocol.UDP, IpProtocol.ICMP,
            IpProtocol.of((short) 47)};

    @Test
    void connectionFlowsAreLoxisFlowsByteForByte() {
        Random random = new Random(20261124);
        int written = 0;
        for (int i = 0; i < 20_000; i++) {
            OFFactory f = FACTORIES.get(i & 1);
            Header match = header(random);
            Header target = random.nextInt(4) == 0 ? match : rewritten(match, random);
            Scope scope = random.nextBoolean() ? Scope.MAC_PAIR : Scope.CONNECTION;
            OFPort at = OFPort.of(1 + random.nextInt(0xfe00));
            OFPort out = random.nextInt(5) == 0 ? at : OFPort.of(1 + random.nextInt(0xfe00));
            FlowCompiler.Hop hop = new FlowCompiler.Hop(new Location(DatapathId.of(1), at), match, target,
                    random.nextBoolean(), out);
            U64 cookie = U64.of(random.nextLong());
            int idle = random.nextInt(0x10000);
            if (!FlowWire.canWrite(hop, scope, f.getVersion())) {
                continue;
            }
            DirectMessage.ConnectionFlow direct = new DirectMessage.ConnectionFlow(f, hop, scope, cookie, idle);
            OFMessage reference = direct.loxi(); // FlowCompiler.loxiFlow with the direct message's xid
            assertArrayEquals(bytes(reference), bytes(direct), () -> f.getVersion() + " " + hop + " " + scope);
            written++;
        }
        assertTrue(written > 19_000, "most random hops are written directly: " + written);
    }

    @Test
    void packetOutsAreLoxisPacketOutsByteForByte() {
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            OFFactory f = FACTORIES.get(i & 1);
            Header from = header(random);
            Header to = rewritten(from, random);
            OFPort inPort = random.nextInt(6) == 0 ? OFPort.CONTROLLER : OFPort.of(1 + random.nextInt(0xfe00));
            OFPort out = random.nextInt(6) == 0 ? OFPort.FLOOD : OFPort.of(1 + random.nextInt(0xfe00));
            boolean decrementTtl = random.nextBoolean();
            List<OFAction> actions = FlowMessages.rewriteAndOutput(f, from, to, decrementTtl, inPort, out);
            boolean buffered = random.nextInt(8) == 0;
            OFBufferId buffer = buffered ? OFBufferId.of(random.nextInt(1 << 20)) : OFBufferId.NO_BUFFER;
            byte[] frame = new byte[14 + random.nextInt(1500)];
            random.nextBytes(frame);
            byte[] data = buffered ? null : frame;
            // a function's actions, and the pipeline's own rewrite of the same packet: the same message
            DirectMessage.PacketOut withActions = DirectMessage.PacketOut.withActions(f, buffer, inPort, actions,
                    data);
            assertArrayEquals(bytes(withActions.loxi()), bytes(withActions), () -> f.getVersion() + " " + actions);
            assertEquals(withActions, withActions.loxi());
            DirectMessage.PacketOut rewriting = DirectMessage.PacketOut.rewriting(f, buffer, inPort, from, to,
                    decrementTtl, out, data);
            assertArrayEquals(bytes(rewriting.loxi()), bytes(rewriting), () -> f.getVersion() + " " + actions);
            assertEquals(withActions.loxi(), rewriting.loxi().createBuilder().setXid(withActions.getXid()).build());
        }
    }

    @Test
    void reservedAndWidePortsTimeoutsAndFunctionActionsAsLoxiWritesThem() {
        Header tcp = new Header(mac(1), mac(2), EthType.IPv4, IPv4Address.of(1), IPv4Address.of(2), IpProtocol.TCP,
                TransportPort.of(1), TransportPort.of(2));
        Header tcpWithoutPorts = new Header(mac(1), mac(2), EthType.IPv4, IPv4Address.of(1), IPv4Address.of(2),
                IpProtocol.TCP, null, null);
        List<OFPort> ports = List.of(OFPort.LOCAL, OFPort.CONTROLLER, OFPort.FLOOD, OFPort.ALL, OFPort.NORMAL,
                OFPort.of(0xfeff), OFPort.of(1));
        for (OFFactory f : FACTORIES) {
            List<OFPort> all = new ArrayList<>(ports);
            if (f.getVersion() == OFVersion.OF_13) {
                all.add(OFPort.of(0x12345)); // 32-bit port numbers exist from 1.1 on
            }
            for (OFPort out : all) {
                for (Header h : List.of(tcp, tcpWithoutPorts)) {
                    for (int idle : new int[] {0, 0x7fff, 0x8000, 0xffff}) {
                        FlowCompiler.Hop hop = new FlowCompiler.Hop(new Location(DatapathId.of(1), OFPort.of(1)), h,
                                h.withMacs(mac(3), mac(4)), true, out);
                        DirectMessage.ConnectionFlow direct = new DirectMessage.ConnectionFlow(f, hop,
                                Scope.CONNECTION, U64.of(-1), idle);
                        assertArrayEquals(bytes(direct.loxi()), bytes(direct), () -> f.getVersion() + " " + hop);
                    }
                }
                // a function's own actions: another max length, and actions this writer leaves to Loxi
                List<OFAction> actions = new ArrayList<>(FlowMessages.rewrite(f, tcp, tcp.withMacs(mac(5), mac(6))));
                actions.add(f.actions().output(out, 128));
                actions.add(f.actions().output(out, 0));
                DirectMessage.PacketOut packet = DirectMessage.PacketOut.withActions(f, OFBufferId.of(0x80000000),
                        out, actions, null);
                assertArrayEquals(bytes(packet.loxi()), bytes(packet), () -> f.getVersion() + " " + actions);
            }
        }
    }

    @Test
    void aMatchLoxiWouldRefuseIsLeftToLoxi() {
        Header noProtocol = new Header(mac(1), mac(2), EthType.IPv4, IPv4Address.of(1), IPv4Address.of(2), null,
                null, null);
        FlowCompiler.Hop hop = new FlowCompiler.Hop(new Location(DatapathId.of(1), OFPort.of(1)), noProtocol,
                noProtocol, false, OFPort.of(2));
        assertFalse(FlowWire.canWrite(hop, Scope.CONNECTION, OFVersion.OF_10));
        assertTrue(FlowWire.canWrite(hop, Scope.MAC_PAIR, OFVersion.OF_13), "a MAC pair does not look at IP");
    }

    @Test
    void aDirectFlowEqualsItsLoxiTwin() {
        OFFactory f = FACTORIES.get(1);
        Header h = new Header(mac(1), mac(2), EthType.IPv4, IPv4Address.of(1), IPv4Address.of(2), IpProtocol.TCP,
                TransportPort.of(1000), TransportPort.of(80));
        FlowCompiler.Hop hop = new FlowCompiler.Hop(new Location(DatapathId.of(1), OFPort.of(1)), h, h, false,
                OFPort.of(2));
        DirectMessage.ConnectionFlow direct = new DirectMessage.ConnectionFlow(f, hop, Scope.CONNECTION,
                U64.of(7), 10);
        OFMessage loxi = direct.loxi();
        assertEquals(direct, loxi);
        assertEquals(loxi.hashCode(), direct.hashCode());
        assertTrue(direct.equalsIgnoreXid(loxi));
        assertEquals(loxi.toString(), direct.toString());
    }

    /** Headers of every shape the parser makes: IPv4 with and without ports, ARP, other EtherTypes, missing MACs. */
    private static Header header(Random r) {
        MacAddress src = r.nextInt(20) == 0 ? null : mac(r.nextLong());
        MacAddress dst = r.nextInt(20) == 0 ? null : mac(r.nextLong());
        switch (r.nextInt(5)) {
            case 0 -> {
                return new Header(src, dst, EthType.ARP, null, null, null, null, null);
            }
            case 1 -> {
                return new Header(src, dst, r.nextBoolean() ? null : EthType.of(0x86dd), null, null, null, null,
                        null);
            }
            default -> {
                IpProtocol proto = PROTOCOLS[r.nextInt(PROTOCOLS.length)];
                boolean ports = proto == IpProtocol.TCP || proto == IpProtocol.UDP;
                return new Header(src, dst, EthType.IPv4, IPv4Address.of(r.nextInt()), IPv4Address.of(r.nextInt()),
                        proto, ports ? TransportPort.of(r.nextInt(0x10000)) : null,
                        ports ? TransportPort.of(r.nextInt(0x10000)) : null);
            }
        }
    }

    /** The header with some of its fields rewritten (or dropped, which rewrites nothing), as NAT and routing do. */
    private static Header rewritten(Header h, Random r) {
        return new Header(pick(r, h.ethSrc(), mac(r.nextLong())), pick(r, h.ethDst(), mac(r.nextLong())),
                h.ethType(), pick(r, h.ipSrc(), IPv4Address.of(r.nextInt())),
                pick(r, h.ipDst(), IPv4Address.of(r.nextInt())), h.ipProto(),
                pick(r, h.l4Src(), TransportPort.of(r.nextInt(0x10000))),
                pick(r, h.l4Dst(), TransportPort.of(r.nextInt(0x10000))));
    }

    private static <T> T pick(Random r, T same, T other) {
        return switch (r.nextInt(4)) {
            case 0 -> other;
            case 1 -> null;
            default -> same;
        };
    }

    private static MacAddress mac(long bits) {
        return MacAddress.of(bits & 0xffff_ffff_ffffL);
    }

    private static byte[] bytes(OFMessage m) {
        ByteBuf b = Unpooled.buffer();
        m.writeTo(b);
        return ByteBufUtil.getBytes(b);
    }
}
