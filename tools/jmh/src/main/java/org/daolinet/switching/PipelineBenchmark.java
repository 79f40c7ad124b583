package org.daolinet.switching;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.daolinet.api.config.ConfigObject;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.daolinet.api.config.UnderlayMode;
import org.daolinet.api.config.Vpc;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.openflow.SwitchService;
import org.daolinet.netconfig.NetworkConfigManager;
import org.daolinet.pipeline.PacketPipeline;
import org.daolinet.store.MvKeyValueStore;
import org.daolinet.topology.TopologyManager;
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
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The pipeline's decision for one PacketIn, I/O left out: parse, run the functions, compile the flows and the
 * PacketOut, hand them to the switch (a stub that just consumes them). {@code learning}: a learning switch that
 * knows the destination; {@code local}: a TCP SYN between two endpoints of one host (2 flows); {@code cross}: the
 * same across two hosts of an L2 underlay (4 flows on two switches). In the switching package for the same
 * reason as the switching tests' DatapathFixture: the functions' references are package-private, as DS injects them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBenchmark {

    @Param({"learning", "local", "cross"})
    public String scenario;

    @Param({"1.0", "1.3"})
    public String version;

    private Controller controller;
    private PacketPipeline pipeline;
    private StubSwitch sw1;
    private OFPacketIn packetIn;
    static Blackhole sink;

    @Setup(Level.Trial)
    public void setup(Blackhole bh) throws Exception {
        sink = bh;
        OFFactory f = OFFactories.getFactory(version.equals("1.0") ? OFVersion.OF_10 : OFVersion.OF_13);
        sw1 = new StubSwitch(f, 1);
        StubSwitch sw2 = new StubSwitch(f, 2);
        controller = new Controller(new StubService(List.of(sw1, sw2)),
                scenario.equals("learning") ? "learning" : "vpc");
        pipeline = controller.pipeline;
        TopologyManager topology = controller.topology;
        EndpointDirectory directory = controller.directory;

        List<ConfigObject> net = new ArrayList<>(List.of(new Tenant("t", "t"), new Vpc("v", "t", "v"),
                new Subnet("s", "v", "s", IPv4AddressWithMask.of("10.0.0.0/16"), IPv4Address.of("10.0.0.1"))));
        for (int h = 1; h <= 2; h++) {
            net.add(new Host("h" + h, "h" + h, DatapathId.of(h), "up", MacAddress.of(0x02FF_0000_0000L | h),
                    IPv4Address.of("192.168.0." + h), UnderlayMode.L2, null));
        }
        net.add(endpoint(10, 1, 2));
        net.add(endpoint(11, scenario.equals("cross") ? 2 : 1, 3));
        controller.config.createAll(net);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (topology.attachment("e11").isEmpty() || directory.inSubnet("s", IPv4Address.of("10.0.0.11")).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("endpoints not attached");
            }
            Thread.sleep(10);
        }
        byte[] frame = tcpSyn(MacAddress.of(0x0200_0000_0000L | 10), MacAddress.of(0x0200_0000_0000L | 11),
                IPv4Address.of("10.0.0.10"), IPv4Address.of("10.0.0.11"));
        packetIn = packetIn(f, 2, frame);
        if (scenario.equals("learning")) {
            // teach the learning switch where the destination is, so the measured packet installs a flow
            pipeline.packetIn(sw1, packetIn(f, 3, tcpSyn(MacAddress.of(0x0200_0000_0000L | 11),
                    MacAddress.of(0x0200_0000_0000L | 10), IPv4Address.of("10.0.0.11"), IPv4Address.of("10.0.0.10"))));
        }
        sw1.sent = 0;
        pipeline.packetIn(sw1, packetIn);
        if (sw1.sent < 2) {
            throw new IllegalStateException(scenario + ": the decision sent " + sw1.sent + " messages, not flows and a "
                    + "PacketOut");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        controller.close();
    }

    @Benchmark
    public void decide() {
        pipeline.packetIn(sw1, packetIn);
    }

    /**
     * The switching bundle's components, the topology, the configuration and the store, wired by hand as Declarative
     * Services wires them, on a store in a temporary directory that {@link #close()} deletes.
     */
    static final class Controller implements AutoCloseable {
        final Path dir;
        final MvKeyValueStore store;
        final NetworkConfigManager config;
        final TopologyManager topology;
        final SwitchingComponents switching;
        final EndpointDirectory directory;
        final PacketPipeline pipeline;

        Controller(SwitchService switches, String mode) throws java.io.IOException {
            dir = Files.createTempDirectory("daolinet-jmh");
            store = new MvKeyValueStore(dir.resolve("store.mv.db"));
            config = new NetworkConfigManager(store);
            topology = new TopologyManager(config, switches);
            topology.activate(Map.of("lldp.interval.seconds", "3600"));
            config.addListener(topology);
            switching = new SwitchingComponents(config, store, topology, switches, Map.of("mode", mode));
            directory = switching.directory;
            config.addListener(directory);
            pipeline = new PacketPipeline(switches, store);
            switching.functions().forEach(pipeline::addFunction);
            pipeline.activate(Map.of());
            config.addListener(pipeline);
        }

        @Override
        public void close() throws Exception {
            pipeline.deactivate();
            topology.deactivate();
            switching.deactivate();
            config.deactivate();
            store.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Endpoint endpoint(int n, int host, int port) {
        return new Endpoint("e" + n, null, "v", "s", MacAddress.of(0x0200_0000_0000L | n), IPv4Address.of("10.0.0." + n),
                "h" + host, "p" + port, List.of());
    }

    static OFPacketIn packetIn(OFFactory f, int inPort, byte[] frame) {
        var b = f.buildPacketIn().setBufferId(OFBufferId.NO_BUFFER).setTotalLen(frame.length)
                .setReason(OFPacketInReason.NO_MATCH).setData(frame);
        if (f.getVersion() == OFVersion.OF_10) {
            b.setInPort(OFPort.of(inPort));
        } else {
            b.setTableId(org.projectfloodlight.openflow.types.TableId.ZERO).setMatch(f.buildMatch()
                    .setExact(org.projectfloodlight.openflow.protocol.match.MatchField.IN_PORT, OFPort.of(inPort))
                    .build());
        }
        return b.build();
    }

    static byte[] tcpSyn(MacAddress src, MacAddress dst, IPv4Address srcIp, IPv4Address dstIp) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(54);
        b.put(dst.getBytes()).put(src.getBytes()).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 40).putInt(0).put((byte) 64).put((byte) 6).putShort((short) 0)
                .putInt(srcIp.getInt()).putInt(dstIp.getInt());
        b.putShort((short) 40000).putShort((short) 80).putInt(1).putInt(0).put((byte) 0x50).put((byte) 0x02)
                .putShort((short) 1000).putInt(0);
        return b.array();
    }

    /** A connected switch with ports p1..pN and an uplink named "up" (port 100); what it is sent is consumed. */
    static final class StubSwitch implements OpenFlowSwitch {
        private final OFFactory f;
        private final DatapathId id;
        private final List<OFPortDesc> ports = new ArrayList<>();
        /** Indexed as the southbound's connection indexes them: by name and number, not a scan. */
        private final Map<String, OFPortDesc> byName = new java.util.HashMap<>();
        private final Map<OFPort, OFPortDesc> byNumber = new java.util.HashMap<>();
        int sent;
        int packetOuts;

        StubSwitch(OFFactory f, long dpid) {
            this(f, dpid, 8);
        }

        /** Ports named p1..pN numbered 1..99 and 101..N+1 (100 is the uplink's). */
        StubSwitch(OFFactory f, long dpid, int endpointPorts) {
            this.f = f;
            this.id = DatapathId.of(dpid);
            for (int i = 1; i <= endpointPorts; i++) {
                ports.add(port(i < 100 ? i : i + 1, "p" + i));
            }
            ports.add(port(100, "up"));
            for (OFPortDesc p : ports) {
                byName.put(p.getName(), p);
                byNumber.put(p.getPortNo(), p);
            }
        }

        private OFPortDesc port(int n, String name) {
            var b = f.buildPortDesc().setPortNo(OFPort.of(n)).setName(name).setHwAddr(MacAddress.of(0x0200_0000_0100L + n));
            return b.build();
        }

        @Override public DatapathId id() { return id; }
        @Override public OFVersion version() { return f.getVersion(); }
        @Override public OFFactory factory() { return f; }
        @Override public SocketAddress remoteAddress() { return new InetSocketAddress(0); }
        @Override public Instant connectedSince() { return Instant.EPOCH; }
        @Override public OFControllerRole role() { return OFControllerRole.ROLE_EQUAL; }
        @Override public List<OFPortDesc> ports() { return ports; }
        @Override public Optional<OFPortDesc> port(OFPort number) { return Optional.ofNullable(byNumber.get(number)); }
        @Override public Optional<OFPortDesc> port(String name) { return Optional.ofNullable(byName.get(name)); }
        @Override public short tableCount() { return 1; }
        @Override public boolean isConnected() { return true; }

        @Override
        public boolean send(OFMessage message) {
            sent++;
            if (message.getType() == org.projectfloodlight.openflow.protocol.OFType.PACKET_OUT) {
                packetOuts++;
            }
            sink.consume(message);
            return true;
        }

        @Override
        public boolean send(Iterable<? extends OFMessage> messages) {
            for (OFMessage m : messages) {
                send(m);
            }
            return true;
        }

        @Override
        public <R extends OFMessage> CompletableFuture<R> request(OFRequest<R> request) {
            return new CompletableFuture<>();
        }

        @Override
        public <R extends OFStatsReply> CompletableFuture<List<R>> requestStats(OFStatsRequest<R> request) {
            return new CompletableFuture<>();
        }

        @Override public CompletableFuture<Void> barrier() { return CompletableFuture.completedFuture(null); }
        @Override public CompletableFuture<OFControllerRole> requestRole(OFControllerRole role) { return new CompletableFuture<>(); }
        @Override public void disconnect(String reason) { }
    }

    record StubService(List<OpenFlowSwitch> all) implements SwitchService {
        @Override
        public Collection<OpenFlowSwitch> switches() {
            return all;
        }

        @Override
        public Optional<OpenFlowSwitch> getSwitch(DatapathId id) {
            return all.stream().filter(s -> s.id().equals(id)).findFirst();
        }

        @Override
        public Optional<InetSocketAddress> listenAddress() {
            return Optional.empty();
        }
    }
}
