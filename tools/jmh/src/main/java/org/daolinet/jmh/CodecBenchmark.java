package org.daolinet.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.daolinet.openflow.codec.OpenFlowFrameDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * The two ends of the PacketIn path that do not depend on the network model: decoding a PacketIn (what
 * {@link OpenFlowFrameDecoder} does per frame, alone and through a Netty pipeline) and building and encoding the
 * kind of exact-match FlowMod the flow compiler sends (a connection's 5-tuple, MAC rewrite, output).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    @Param({"1.0", "1.3"})
    public String version;

    private OFFactory f;
    private ByteBuf packetIn;
    private ByteBuf out;
    private final OFMessageReader<OFMessage> reader = OFFactories.getGenericReader();
    private EmbeddedChannel channel;

    @Setup
    public void setup() {
        f = OFFactories.getFactory(version.equals("1.0") ? OFVersion.OF_10 : OFVersion.OF_13);
        packetIn = tableMissPacketIn(f);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(512);
        channel = new EmbeddedChannel(new OpenFlowFrameDecoder());
    }

    /** A table-miss PacketIn from port 3 with a 74-byte frame, as Open vSwitch sends it, in a direct buffer. */
    public static ByteBuf tableMissPacketIn(OFFactory f) {
        byte[] frame = new byte[74];
        frame[12] = 0x08; // IPv4 ethertype; the content does not matter to the codec
        var b = f.buildPacketIn().setBufferId(OFBufferId.NO_BUFFER).setTotalLen(frame.length)
                .setReason(OFPacketInReason.NO_MATCH).setData(frame);
        if (f.getVersion() == OFVersion.OF_10) {
            b.setInPort(OFPort.of(3));
        } else {
            b.setTableId(TableId.ZERO).setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(3)).build());
        }
        ByteBuf buf = Unpooled.directBuffer();
        b.build().writeTo(buf);
        return buf;
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        out.release();
        packetIn.release();
    }

    @Benchmark
    public OFMessage decodePacketIn() throws OFParseError {
        return reader.readFrom(packetIn.duplicate());
    }

    @Benchmark
    public Object decodePacketInThroughNetty() {
        channel.writeInbound(packetIn.retainedDuplicate());
        return channel.readInbound();
    }

    @Benchmark
    public OFFlowAdd buildFlowMod() {
        return flow(f);
    }

    @Benchmark
    public int buildAndEncodeFlowMod() {
        out.clear();
        flow(f).writeTo(out);
        return out.writerIndex();
    }

    static OFFlowAdd flow(OFFactory f) {
        var match = f.buildMatch()
                .setExact(MatchField.IN_PORT, OFPort.of(3))
                .setExact(MatchField.ETH_SRC, MacAddress.of(0x0200_0000_0010L))
                .setExact(MatchField.ETH_DST, MacAddress.of(0x0200_0000_0011L))
                .setExact(MatchField.ETH_TYPE, EthType.IPv4)
                .setExact(MatchField.IPV4_SRC, IPv4Address.of(0x0A00_000A))
                .setExact(MatchField.IPV4_DST, IPv4Address.of(0x0A00_000B))
                .setExact(MatchField.IP_PROTO, IpProtocol.TCP)
                .setExact(MatchField.TCP_SRC, TransportPort.of(40000))
                .setExact(MatchField.TCP_DST, TransportPort.of(80))
                .build();
        boolean of10 = f.getVersion() == OFVersion.OF_10;
        var a = f.actions();
        MacAddress src = MacAddress.of(0xDA00_0000_0001L);
        MacAddress dst = MacAddress.of(0xDA00_0000_0002L);
        List<OFAction> actions = List.of(
                of10 ? a.setDlSrc(src) : a.setField(f.oxms().ethSrc(src)),
                of10 ? a.setDlDst(dst) : a.setField(f.oxms().ethDst(dst)),
                a.output(OFPort.of(1), 0xffff));
        var b = f.buildFlowAdd().setCookie(U64.of(0xDA01_0000_0000_0006L)).setPriority(1000).setIdleTimeout(10)
                .setMatch(match).setActions(actions);
        if (f.getVersion() != OFVersion.OF_10) {
            b.setFlags(java.util.Set.of(OFFlowModFlags.SEND_FLOW_REM));
        }
        return b.build();
    }
}
