package org.daolinet.switching;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.daolinet.api.config.ConfigObject;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.daolinet.api.config.UnderlayMode;
import org.daolinet.api.config.Vpc;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.switching.PipelineBenchmark.Controller;
import org.daolinet.switching.PipelineBenchmark.StubService;
import org.daolinet.switching.PipelineBenchmark.StubSwitch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The vpc decision as a deployment sees it: thousands of endpoints over 16 hosts, two VPCs with the same two
 * subnets, and every PacketIn a TCP SYN between two random endpoints of one subnet (half on one host, half across
 * hosts), 4,096 different ones taken in turn, each first seen by the topology as the southbound hands it over.
 * Where {@link PipelineBenchmark} decides one PacketIn again and again with every map in the cache, here the
 * lookups by port, id and address miss it as they do in the controller. {@code endpoints=2} is the baseline: the
 * same traffic shape among two endpoints per subnet and host, whose entries stay cached.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VpcDecisionBenchmark {

    private static final int HOSTS = 16;
    private static final int SUBNETS = 4;
    private static final int PACKETS = 4096;

    /** Endpoints per subnet and host. */
    @Param({"80", "2"})
    public int endpoints;

    /**
     * Memory written between two decisions, as the kernel's TCP work between two PacketIns evicts the caches in
     * the controller; {@link #evictOnly} measures that alone, to subtract.
     */
    @Param({"0"})
    public int evictKiB;

    private long[] evictee;
    private Controller controller;
    private StubSwitch[] switches;
    private OFPacketIn[] packetIns;
    private StubSwitch[] arrivedAt;
    private int next;

    @Setup(Level.Trial)
    public void setup(Blackhole bh) throws Exception {
        PipelineBenchmark.sink = bh;
        evictee = new long[evictKiB * 128];
        OFFactory f = OFFactories.getFactory(OFVersion.OF_10);
        int perHost = endpoints * SUBNETS;
        switches = new StubSwitch[HOSTS];
        List<OpenFlowSwitch> all = new ArrayList<>();
        for (int h = 0; h < HOSTS; h++) {
            switches[h] = new StubSwitch(f, h + 1, perHost);
            all.add(switches[h]);
        }
        controller = new Controller(new StubService(all), "vpc");

        List<ConfigObject> net = new ArrayList<>(List.of(new Tenant("t", "t")));
        for (int v = 0; v < 2; v++) {
            net.add(new Vpc("v" + v, "t", "v" + v));
        }
        for (int s = 0; s < SUBNETS; s++) {
            String cidr = "10." + (s % 2) + ".0.0/16";
            net.add(new Subnet("s" + s, "v" + s / 2, "s" + s, IPv4AddressWithMask.of(cidr),
                    IPv4Address.of("10." + (s % 2) + ".0.1")));
        }
        for (int h = 0; h < HOSTS; h++) {
            net.add(new Host("h" + h, "h" + h, DatapathId.of(h + 1), "up", MacAddress.of(0x02FF_0000_0000L | h),
                    IPv4Address.of("192.168.0." + (h + 1)), UnderlayMode.L2, null));
        }
        for (int h = 0; h < HOSTS; h++) {
            for (int s = 0; s < SUBNETS; s++) {
                for (int k = 0; k < endpoints; k++) {
                    net.add(endpoint(h, s, k));
                }
            }
        }
        controller.config.createAll(net);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ConfigObject o : net) {
            while (o instanceof Endpoint e && (controller.topology.attachment(e.id()).isEmpty()
                    || controller.directory.inSubnet(e.subnetId(), e.ip()).isEmpty()
                    || !controller.directory.hasAlias(e.id()))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("endpoint " + e.id() + " not attached and aliased in 30 s");
                }
                Thread.sleep(10);
            }
        }

        Random random = new Random(42);
        packetIns = new OFPacketIn[PACKETS];
        arrivedAt = new StubSwitch[PACKETS];
        for (int i = 0; i < PACKETS; i++) {
            int s = random.nextInt(SUBNETS);
            int srcHost = random.nextInt(HOSTS);
            int dstHost = i % 2 == 0 ? srcHost : (srcHost + 1 + random.nextInt(HOSTS - 1)) % HOSTS;
            int srcK = random.nextInt(endpoints);
            int dstK = (srcK + 1 + random.nextInt(endpoints - 1)) % endpoints;
            Endpoint src = endpoint(srcHost, s, srcK);
            Endpoint dst = endpoint(dstHost, s, dstK);
            int name = portName(s, srcK);
            packetIns[i] = PipelineBenchmark.packetIn(f, name < 100 ? name : name + 1, // StubSwitch's numbering
                    PipelineBenchmark.tcpSyn(src.mac(), dst.mac(), src.ip(), dst.ip()));
            arrivedAt[i] = switches[srcHost];
        }
        for (int i = 0; i < PACKETS; i++) {
            arrivedAt[i].sent = 0;
            arrivedAt[i].packetOuts = 0;
            next = i;
            decide();
            if (arrivedAt[i].sent < 3 || arrivedAt[i].packetOuts != 1) {
                // an allowed connection: two flows here (more across hosts) and the packet itself
                throw new IllegalStateException("PacketIn " + i + " was answered with " + arrivedAt[i].sent
                        + " messages, " + arrivedAt[i].packetOuts + " PacketOut(s), not flows and the packet");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        controller.close();
    }

    /** As the southbound's registry dispatches a PacketIn: the topology's listener, then the pipeline. */
    @Benchmark
    public void decide() {
        evict();
        int i = next;
        next = (i + 1) % PACKETS;
        controller.topology.packetIn(arrivedAt[i], packetIns[i]);
        controller.pipeline.packetIn(arrivedAt[i], packetIns[i]);
    }

    @Benchmark
    public long evictOnly() {
        return evict();
    }

    private long evict() {
        long[] e = evictee;
        for (int i = 0; i < e.length; i += 8) { // one write per 64-byte line
            e[i]++;
        }
        return e.length == 0 ? 0 : e[0];
    }

    /** Endpoint k of subnet s on host h: its own port and MAC, an address in the host's block of the subnet. */
    private Endpoint endpoint(int h, int s, int k) {
        int n = (h * SUBNETS + s) * endpoints + k;
        int hostPart = h * 256 + 10 + k;
        IPv4Address ip = IPv4Address.of(0x0A00_0000 | (s % 2) << 16 | hostPart);
        return new Endpoint("e" + n, null, "v" + s / 2, "s" + s, MacAddress.of(0x0200_0000_0000L | n), ip,
                "h" + h, "p" + portName(s, k), List.of());
    }

    private int portName(int s, int k) {
        return 1 + s * endpoints + k;
    }
}
