package org.daolinet.openflow.codec;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import org.daolinet.jmh.CodecBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * An OpenFlow 1.3 table-miss PacketIn as Open vSwitch sends it (match: IN_PORT alone, 74-byte frame) read by
 * {@link InPortPacketInReader}. The baseline is Loxi's generic reader on the same bytes,
 * {@link CodecBenchmark#decodePacketIn}: run both in one go, with {@code -prof gc} for the bytes per PacketIn:
 * {@code java -jar daolinet-jmh.jar 'PacketInReaderBenchmark|CodecBenchmark.decodePacketIn$' -p version=1.3 -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PacketInReaderBenchmark {

    private final InPortPacketInReader inPort = new InPortPacketInReader();
    private ByteBuf packetIn;

    @Setup
    public void setup() {
        packetIn = CodecBenchmark.tableMissPacketIn(OFFactories.getFactory(OFVersion.OF_13));
    }

    @TearDown
    public void tearDown() {
        packetIn.release();
    }

    @Benchmark
    public OFMessage inPortReader() {
        return inPort.read(packetIn.duplicate());
    }
}
