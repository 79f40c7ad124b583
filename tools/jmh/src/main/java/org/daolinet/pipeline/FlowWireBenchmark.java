package org.daolinet.pipeline;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.daolinet.api.pipeline.Delivery;
import org.daolinet.api.pipeline.Header;
import org.daolinet.api.pipeline.Location;
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
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
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

/**
 * The PacketIn path's answers, made and encoded: a connection's flow (5-tuple match, MAC rewrite, output) and a
 * flood PacketOut, the way the pipeline sends them ({@link DirectMessage}, written by {@link FlowWire}) against
 * the same messages built and written by Loxi, the baseline, in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FlowWireBenchmark {

    @Param({"1.0", "1.3"})
    public String version;

    private OFFactory f;
    private FlowCompiler.Hop hop;
    private List<OFAction> flood;
    private byte[] frame;
    private ByteBuf out;

    @Setup
    public void setup() {
        f = OFFactories.getFactory(version.equals("1.0") ? OFVersion.OF_10 : OFVersion.OF_13);
        Header h = new Header(MacAddress.of(0x0200_0000_0010L), MacAddress.of(0x0200_0000_0011L), EthType.IPv4,
                IPv4Address.of(0x0A00_000A), IPv4Address.of(0x0A00_000B), IpProtocol.TCP, TransportPort.of(40000),
                TransportPort.of(80));
        Header rewritten = h.withMacs(MacAddress.of(0xDA00_0000_0001L), MacAddress.of(0xDA00_0000_0002L));
        hop = new FlowCompiler.Hop(new Location(DatapathId.of(1), OFPort.of(3)), h, rewritten, false, OFPort.of(1));
        flood = List.of(f.actions().output(OFPort.FLOOD, 0xffff));
        frame = new byte[74];
        out = PooledByteBufAllocator.DEFAULT.directBuffer(512);
    }

    @TearDown
    public void tearDown() {
        out.release();
    }

    @Benchmark
    public int flowLoxi() {
        out.clear();
        FlowCompiler.loxiFlow(f, hop, Delivery.Scope.CONNECTION, U64.of(6), 10).writeTo(out);
        return out.writerIndex();
    }

    @Benchmark
    public int flowDirect() {
        out.clear();
        new DirectMessage.ConnectionFlow(f, hop, Delivery.Scope.CONNECTION, U64.of(6), 10).writeTo(out);
        return out.writerIndex();
    }

    @Benchmark
    public int floodLoxi() {
        out.clear();
        f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.of(3)).setActions(flood)
                .setData(frame).build().writeTo(out);
        return out.writerIndex();
    }

    @Benchmark
    public int floodDirect() {
        out.clear();
        DirectMessage.PacketOut.withActions(f, OFBufferId.NO_BUFFER, OFPort.of(3), flood, frame).writeTo(out);
        return out.writerIndex();
    }
}
