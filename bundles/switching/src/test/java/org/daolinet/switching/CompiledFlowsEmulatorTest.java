package org.daolinet.switching;

import static org.daolinet.switching.DatapathFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.daolinet.api.config.UnderlayMode;
import org.daolinet.api.config.Vpc;
import org.daolinet.emulator.EmulatedSwitch;
import org.daolinet.emulator.SwitchEmulator;
import org.daolinet.emulator.SwitchProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TransportPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flows themselves, at scale: four emulated OpenFlow 1.3 switches carry 400 endpoints of two tenants whose
 * addresses AND MACs overlap, and a few hundred first packets (TCP SYNs) go to the real controller as PacketIns.
 * Every FlowMod and PacketOut the switches receive is checked field by field against what a connection on one
 * host, a connection across the L2 underlay (with underlay aliases on the wire), a denied connection or a spoofed
 * packet must compile to, and no flow may ever lead to a port of the other tenant.
 * <p>
 * Each probe has its own TCP source port ({@link #FIRST_TCP_PORT} + its index), which every compiled match and
 * every PacketOut carries, so the probes can all be in flight at once and every message is still attributed.
 */
class CompiledFlowsEmulatorTest {

    private static final Logger log = LoggerFactory.getLogger(CompiledFlowsEmulatorTest.class);

    private static final int HOSTS = 4;
    /** Ports 1..100 of every switch hold endpoints; port 101 is the host's uplink to the underlay. */
    private static final int ENDPOINT_PORTS = 100;
    private static final int UPLINK = ENDPOINT_PORTS + 1;
    private static final int PER_TENANT = 200;
    /** Endpoints 0..189 of both tenants have the same address and MAC; 190..199 have addresses of their own. */
    private static final int SHARED = 190;
    private static final String[] TENANTS = {"tenant-a", "tenant-b"};
    private static final int A = 0;
    private static final int B = 1;

    private static final int IDLE_SECONDS = 9;
    /** What {@link DatapathFixture} configures as {@code drop.hard.timeout.seconds}. */
    private static final int DROP_HARD_SECONDS = 2;
    private static final int CONNECTION_PRIORITY = 1000;
    private static final int COOKIE_MARKER = 0xDA;
    private static final int KIND_REACTIVE = 1;
    private static final int KIND_DROP = 3;

    private static final int FIRST_TCP_PORT = 40000;
    private static final int MAX_PROBES = 1000;
    private static final int HTTP = 80;
    private static final long SEED = 0xDA01_5EEDL;
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** After the last expected message: how long to keep listening for messages that must not come. */
    private static final Duration QUIET = Duration.ofMillis(500);

    @TempDir
    Path dir;

    /** One declared endpoint and where it sits. */
    record Ep(String id, int tenant, int index, MacAddress mac, IPv4Address ip, int host, int port) {

        String tenantId() {
            return TENANTS[tenant];
        }

        @Override
        public String toString() {
            return id + "(" + ip + " " + mac + " s" + host + "/" + port + ")";
        }
    }

    enum Kind {
        /** Inside one tenant: delivered. */
        DELIVER,
        /** To the other tenant's endpoint at an address (and MAC) the sender's tenant has too: the sender's own. */
        OVERLAP,
        /** To the other tenant's endpoint at an address only that tenant has: dropped. */
        FOREIGN_ONLY,
        /** To an address of the sender's subnet but with another endpoint's MAC: dropped. */
        WRONG_MAC,
        /** With another endpoint's source address: dropped by anti-spoofing. */
        SPOOF_IP,
        /** With another endpoint's source MAC: dropped by anti-spoofing. */
        SPOOF_MAC
    }

    /** One first packet: who sends it from where, what it says, and whom it must reach (null: nobody). */
    record Probe(int k, Kind kind, Ep src, MacAddress ethSrc, MacAddress ethDst, IPv4Address ipSrc,
            IPv4Address ipDst, Ep target, Ep addressee, byte[] frame) {

        int tcpSrc() {
            return FIRST_TCP_PORT + k;
        }

        boolean delivered() {
            return target != null;
        }

        boolean local() {
            return target != null && target.host() == src.host();
        }

        int expectedMessages() {
            return target == null ? 1 : local() ? 3 : 5;
        }

        @Override
        public String toString() {
            return "#" + k + " " + kind + " " + src + " " + ethSrc + "/" + ipSrc + ":" + tcpSrc() + " -> " + ethDst
                    + "/" + ipDst + ":" + HTTP + (target == null ? " (drop)" : " => " + target);
        }
    }

    /** A message a switch received, in the order all switches received them. */
    record Seen(long dpid, long seq, OFMessage message) {
    }

    /** What a list of actions does: set-fields by field name, the output ports, and whether it ends by output. */
    record Effect(Map<String, Object> sets, List<OFPort> outputs, boolean endsWithOutput, List<String> others) {

        static Effect drop() {
            return new Effect(Map.of(), List.of(), false, List.of());
        }

        static Effect output(int port) {
            return new Effect(Map.of(), List.of(OFPort.of(port)), true, List.of());
        }

        static Effect rewrite(MacAddress ethSrc, MacAddress ethDst, int port) {
            return new Effect(Map.of(MatchField.ETH_SRC.getName(), ethSrc, MatchField.ETH_DST.getName(), ethDst),
                    List.of(OFPort.of(port)), true, List.of());
        }

        static Effect of(List<OFAction> actions) {
            Map<String, Object> sets = new TreeMap<>();
            List<OFPort> outputs = new ArrayList<>();
            List<String> others = new ArrayList<>();
            for (OFAction a : actions) {
                if (a instanceof OFActionSetField s) {
                    sets.put(s.getField().getMatchField().getName(), s.getField().getValue());
                } else if (a instanceof OFActionOutput o) {
                    outputs.add(o.getPort());
                } else {
                    others.add(a.getType().toString());
                }
            }
            boolean ends = !actions.isEmpty() && actions.get(actions.size() - 1) instanceof OFActionOutput;
            return new Effect(sets, outputs, ends, others);
        }
    }

    // ---- the test --------------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void compiledFlowsAreExactAndNeverCrossTenants() throws Exception {
        long started = System.nanoTime();
        int openflowPort;
        try (ServerSocket s = new ServerSocket(0)) {
            openflowPort = s.getLocalPort();
        }
        Map<Integer, Queue<Seen>> byProbe = new ConcurrentHashMap<>();
        Queue<Seen> unattributed = new ConcurrentLinkedQueue<>();
        AtomicInteger attributed = new AtomicInteger();
        AtomicLong sequence = new AtomicLong();

        try (DatapathFixture controller = new DatapathFixture(dir, openflowPort, IDLE_SECONDS, "vpc");
                SwitchEmulator emulator = new SwitchEmulator(1, null)) {
            Ep[][] eps = declare(controller);
            log.info("Declared {} hosts and {} endpoints in {} ms", HOSTS, 2 * PER_TENANT, millisSince(started));

            Map<Integer, EmulatedSwitch> switches = new HashMap<>();
            for (int h = 1; h <= HOSTS; h++) {
                EmulatedSwitch sw = emulator.connect(new InetSocketAddress("127.0.0.1", openflowPort),
                        SwitchProfile.of(h, OFVersion.OF_13, UPLINK));
                long dpid = h;
                sw.observe(m -> {
                    Seen seen = new Seen(dpid, sequence.incrementAndGet(), m);
                    int k = probeOf(m);
                    if (k >= 0) {
                        byProbe.computeIfAbsent(k, x -> new ConcurrentLinkedQueue<>()).add(seen);
                        attributed.incrementAndGet();
                    } else if (m instanceof OFFlowMod || m instanceof OFPacketOut po && isIpv4(po.getData())) {
                        unattributed.add(seen);
                    }
                });
                switches.put(h, sw);
            }
            for (EmulatedSwitch sw : switches.values()) {
                sw.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            await(() -> controller.server.switches().size() == HOSTS, WAIT, "four switches connected");
            await(() -> controller.topology.attachments().size() == 2 * PER_TENANT, WAIT, "all 400 endpoints attached");
            await(() -> Arrays.stream(eps).flatMap(Arrays::stream).allMatch(e -> controller.directory
                    .inSubnet(subnetId(e.tenant()), e.ip()).map(d -> d.id().equals(e.id())).orElse(false)),
                    WAIT, "the endpoint directory knows every endpoint");
            for (Ep[] tenant : eps) {
                for (Ep e : tenant) {
                    aliases.put(e.id(), controller.directory.aliasOf(e.id()));
                }
            }
            assertEquals(2 * PER_TENANT, new HashSet<>(aliases.values()).size(), "every endpoint has its own alias");
            log.info("Switches connected, endpoints attached after {} ms", millisSince(started));

            List<Probe> probes = probes(eps);
            int expected = probes.stream().mapToInt(Probe::expectedMessages).sum();
            for (Probe p : probes) {
                switches.get(p.src().host()).sendPacketIn(p.src().port(), p.frame());
            }
            // missing messages are reported per probe below, which says more than a timeout
            boolean complete = waitFor(() -> attributed.get() >= expected, WAIT);
            Thread.sleep(QUIET.toMillis());
            log.info("{} probes answered with {} messages after {} ms", probes.size(), attributed.get(),
                    millisSince(started));

            Map<String, Integer> bits = controller.pipeline.functions();
            long classify = 1L << bits.get("classify");
            long switching = 1L << bits.get("switching");
            Verifier v = new Verifier(eps, classify, switching);
            if (!complete) {
                v.problem("only " + attributed.get() + " of the " + expected + " expected messages arrived within "
                        + WAIT.toSeconds() + " s");
            }
            for (Probe p : probes) {
                v.check(p, sorted(byProbe.getOrDefault(p.k(), new ConcurrentLinkedQueue<>())));
            }
            byProbe.keySet().stream().filter(k -> k >= probes.size())
                    .forEach(k -> v.problem("messages for probe #" + k + " that was never sent: " + byProbe.get(k)));
            for (Seen s : sorted(unattributed)) {
                if (s.message() instanceof OFFlowAdd f && f.getPriority() == 0 && isEmpty(f.getMatch())) {
                    continue; // the southbound's table-miss flow
                }
                v.problem("a message no probe explains on s" + s.dpid() + ": " + s.message());
            }

            log.info("Checked {} probes: {} delivered on one host, {} across hosts, {} dropped; {} flows, epoch {}",
                    probes.size(), v.local, v.crossing, v.dropped, v.flows, v.epochs);
            assertTrue(v.problems.isEmpty(), v.problems.size() + " problem(s) in the compiled flows, the first:\n  "
                    + v.problems.stream().limit(15).collect(Collectors.joining("\n  ")));
            assertTrue(probes.size() >= 300, "at least 300 probes: " + probes.size());
            assertTrue(v.local >= 30, "enough connections on one host: " + v.local);
            assertTrue(v.crossing >= 150, "enough connections across hosts: " + v.crossing);
            assertEquals(1, v.epochs.size(), "every flow of one controller run has the same epoch: " + v.epochs);
            int epoch = v.epochs.iterator().next();
            assertTrue(epoch >= 1 && epoch <= 255, "epoch " + epoch + " in 1..255");
        }
        log.info("Done in {} ms", millisSince(started));
    }

    // ---- what every probe must compile to --------------------------------------------------------------------

    /** Checks each probe's messages and gathers every problem, so that one run shows them all. */
    private final class Verifier {

        final List<String> problems = new ArrayList<>();
        final Set<Integer> epochs = new HashSet<>();
        /** The tenant of every endpoint port, by datapath id and port number. */
        final Map<Long, Map<Integer, Integer>> portTenant = new HashMap<>();
        final long classify;
        final long switching;
        int local;
        int crossing;
        int dropped;
        int flows;
        private String current = "";

        Verifier(Ep[][] eps, long classify, long switching) {
            this.classify = classify;
            this.switching = switching;
            for (Ep[] tenant : eps) {
                for (Ep e : tenant) {
                    portTenant.computeIfAbsent((long) e.host(), x -> new HashMap<>()).put(e.port(), e.tenant());
                }
            }
        }

        void problem(String what) {
            problems.add(current + what);
        }

        void check(Probe p, List<Seen> seen) {
            current = p + ": ";
            for (Seen s : seen) {
                leadsOnlyToOwnTenant(p, s);
            }
            if (seen.size() != p.expectedMessages()) {
                problem("expected " + p.expectedMessages() + " messages, got " + seen.size() + ": " + describe(seen));
                return;
            }
            Ep src = p.src();
            if (!p.delivered()) {
                dropped++;
                Seen s = seen.get(0);
                if (s.dpid() != src.host() || !(s.message() instanceof OFFlowAdd f)) {
                    problem("expected one drop flow on s" + src.host() + ", got " + describe(seen));
                    return;
                }
                long owners = p.kind() == Kind.SPOOF_IP || p.kind() == Kind.SPOOF_MAC ? classify : classify | switching;
                dropFlow(f, tcpMatch(src.port(), p.ethSrc(), p.ethDst(), p.ipSrc(), p.ipDst(), p.tcpSrc(), HTTP),
                        owners);
                return;
            }
            Ep dst = p.target();
            List<Seen> onSrc = seen.stream().filter(s -> s.dpid() == src.host()).toList();
            List<Seen> onDst = seen.stream().filter(s -> s.dpid() == dst.host()).toList();
            // the frame the source sent, exactly as the probe built it
            Map<String, Object> forward = tcpMatch(src.port(), src.mac(), dst.mac(), src.ip(), dst.ip(), p.tcpSrc(),
                    HTTP);
            if (p.local()) {
                local++;
                if (onSrc.size() != 3) {
                    problem("expected 2 flows and the packet on s" + src.host() + " only, got " + describe(seen));
                    return;
                }
                connectionFlow("forward", flowAt(onSrc, src.port()), forward, Effect.output(dst.port()));
                connectionFlow("reverse", flowAt(onSrc, dst.port()),
                        tcpMatch(dst.port(), dst.mac(), src.mac(), dst.ip(), src.ip(), HTTP, p.tcpSrc()),
                        Effect.output(src.port()));
                packetOut(p, onSrc, Effect.output(dst.port()));
                return;
            }
            crossing++;
            MacAddress srcAlias = controllerAlias(src);
            MacAddress dstAlias = controllerAlias(dst);
            if (!EndpointDirectory.isAlias(srcAlias) || !EndpointDirectory.isAlias(dstAlias)
                    || srcAlias.equals(dstAlias)) {
                problem("aliases " + srcAlias + " and " + dstAlias + " are not two distinct da: addresses");
            }
            if (onSrc.size() != 3 || onDst.size() != 2) {
                problem("expected 2 flows and the packet on s" + src.host() + " and 2 flows on s" + dst.host()
                        + ", got " + describe(seen));
                return;
            }
            connectionFlow("forward at the source", flowAt(onSrc, src.port()), forward,
                    Effect.rewrite(srcAlias, dstAlias, UPLINK));
            connectionFlow("forward at the destination", flowAt(onDst, UPLINK),
                    tcpMatch(UPLINK, srcAlias, dstAlias, src.ip(), dst.ip(), p.tcpSrc(), HTTP),
                    Effect.rewrite(src.mac(), dst.mac(), dst.port()));
            connectionFlow("reverse at the destination", flowAt(onDst, dst.port()),
                    tcpMatch(dst.port(), dst.mac(), src.mac(), dst.ip(), src.ip(), HTTP, p.tcpSrc()),
                    Effect.rewrite(dstAlias, srcAlias, UPLINK));
            connectionFlow("reverse at the source", flowAt(onSrc, UPLINK),
                    tcpMatch(UPLINK, dstAlias, srcAlias, dst.ip(), src.ip(), HTTP, p.tcpSrc()),
                    Effect.rewrite(dst.mac(), src.mac(), src.port()));
            packetOut(p, onSrc, Effect.rewrite(srcAlias, dstAlias, UPLINK));
        }

        private MacAddress controllerAlias(Ep e) {
            return aliases.get(e.id());
        }

        /** The one flow among these that matches packets arriving on {@code inPort}, or null (a problem). */
        private OFFlowAdd flowAt(List<Seen> seen, int inPort) {
            OFPort port = OFPort.of(inPort);
            List<OFFlowAdd> found = new ArrayList<>();
            for (Seen s : seen) {
                if (s.message() instanceof OFFlowAdd f && port.equals(f.getMatch().get(MatchField.IN_PORT))) {
                    found.add(f);
                }
            }
            if (found.size() != 1) {
                problem("expected one flow at in_port " + inPort + ", got " + found.size() + " in " + describe(seen));
                return null;
            }
            return found.get(0);
        }

        private void connectionFlow(String what, OFFlowAdd f, Map<String, Object> match, Effect effect) {
            if (f == null) {
                return;
            }
            flows++;
            same(what + " match", match, fields(f.getMatch()));
            same(what + " actions", effect, Effect.of(actionsOf(what, f)));
            same(what + " priority", CONNECTION_PRIORITY, f.getPriority());
            same(what + " idle timeout", IDLE_SECONDS, f.getIdleTimeout());
            same(what + " hard timeout", 0, f.getHardTimeout());
            same(what + " flags", Set.of(OFFlowModFlags.SEND_FLOW_REM), f.getFlags());
            cookie(what, f.getCookie().getValue(), KIND_REACTIVE, classify | switching);
        }

        private void dropFlow(OFFlowAdd f, Map<String, Object> match, long owners) {
            flows++;
            same("drop match", match, fields(f.getMatch()));
            same("drop actions", Effect.drop(), Effect.of(actionsOf("drop", f)));
            same("drop priority", CONNECTION_PRIORITY, f.getPriority());
            same("drop idle timeout", 0, f.getIdleTimeout());
            same("drop hard timeout", DROP_HARD_SECONDS, f.getHardTimeout());
            cookie("drop", f.getCookie().getValue(), KIND_DROP, owners);
        }

        private void cookie(String what, long cookie, int kind, long owners) {
            same(what + " cookie marker", COOKIE_MARKER, (int) (cookie >>> 56));
            same(what + " cookie kind", kind, (int) ((cookie >>> 40) & 0xff));
            same(what + " cookie owner bits", Long.toBinaryString(owners), Long.toBinaryString(cookie & 0xffffffffL));
            epochs.add((int) ((cookie >>> 48) & 0xff));
        }

        /** The probe's own frame, out of the source switch after its flows, from the source port, as the flow says. */
        private void packetOut(Probe p, List<Seen> onSrc, Effect effect) {
            List<Seen> outs = onSrc.stream().filter(s -> s.message() instanceof OFPacketOut).toList();
            if (outs.size() != 1) {
                problem("expected one PacketOut on s" + p.src().host() + ", got " + describe(onSrc));
                return;
            }
            OFPacketOut po = (OFPacketOut) outs.get(0).message();
            same("PacketOut in_port", OFPort.of(p.src().port()), po.getInPort());
            same("PacketOut buffer", OFBufferId.NO_BUFFER, po.getBufferId());
            if (!Arrays.equals(p.frame(), po.getData())) {
                problem("the PacketOut does not carry the probe's frame unchanged");
            }
            same("PacketOut actions", effect, Effect.of(po.getActions()));
            long lastFlow = onSrc.stream().filter(s -> s.message() instanceof OFFlowAdd).mapToLong(Seen::seq).max()
                    .orElse(-1);
            if (outs.get(0).seq() < lastFlow) {
                problem("the PacketOut reached s" + p.src().host() + " before the flows of its connection there");
            }
        }

        /** No output, of a flow or a PacketOut, to a port of an endpoint of another tenant than the sender's. */
        private void leadsOnlyToOwnTenant(Probe p, Seen s) {
            List<OFAction> actions;
            if (s.message() instanceof OFFlowAdd f) {
                actions = actionsOf("flow", f);
            } else if (s.message() instanceof OFPacketOut po) {
                actions = po.getActions();
            } else {
                problem("unexpected " + s.message().getType() + " on s" + s.dpid() + ": " + s.message());
                return;
            }
            Map<Integer, Integer> tenants = portTenant.getOrDefault(s.dpid(), Map.of());
            for (OFPort out : Effect.of(actions).outputs()) {
                Integer owner = tenants.get(out.getPortNumber());
                if (owner != null && owner != p.src().tenant()) {
                    problem("output to s" + s.dpid() + "/" + out.getPortNumber() + ", a port of " + TENANTS[owner]
                            + ": " + s.message());
                }
                if (p.addressee() != null && p.addressee().tenant() != p.src().tenant()
                        && s.dpid() == p.addressee().host() && out.getPortNumber() == p.addressee().port()) {
                    problem("delivered to the other tenant's " + p.addressee());
                }
            }
        }

        private List<OFAction> actionsOf(String what, OFFlowAdd f) {
            List<OFAction> out = new ArrayList<>();
            for (OFInstruction i : f.getInstructions()) {
                if (i instanceof OFInstructionApplyActions apply) {
                    out.addAll(apply.getActions());
                } else {
                    problem(what + " has an instruction other than apply-actions: " + i);
                }
            }
            return out;
        }

        private void same(String what, Object expected, Object actual) {
            if (!expected.equals(actual)) {
                problem(what + ": expected " + expected + " but was " + actual);
            }
        }
    }

    /** Each endpoint's underlay alias, as the controller's directory gives it (read before the checks). */
    private final Map<String, MacAddress> aliases = new HashMap<>();

    // ---- the declared network --------------------------------------------------------------------------------

    /**
     * Four hosts on an L2 underlay; two tenants, one VPC and one subnet 10.1.0.0/16 each; 200 endpoints each. The
     * i-th endpoints of both tenants share MAC and (for i below {@link #SHARED}) address; tenant A's i-th endpoint
     * is on host {@code i % 4 + 1}, tenant B's on {@code (i + i / 4) % 4 + 1}, so a quarter of the twins share a
     * host. Every host ends up with 100 endpoints on ports 1..100.
     */
    private Ep[][] declare(DatapathFixture controller) {
        for (int h = 1; h <= HOSTS; h++) {
            controller.config.create(new Host("host" + h, "host" + h, DatapathId.of(h), portName(h, UPLINK),
                    MacAddress.of(0x0200_00C0_0000L + h), IPv4Address.of("192.168.50." + h), UnderlayMode.L2, null));
        }
        for (int t : new int[] {A, B}) {
            controller.config.create(new Tenant(TENANTS[t], TENANTS[t]));
            controller.config.create(new Vpc(vpcId(t), TENANTS[t], "prod"));
            controller.config.create(new Subnet(subnetId(t), vpcId(t), "net", IPv4AddressWithMask.of("10.1.0.0/16"),
                    IPv4Address.of("10.1.0.1")));
        }
        int[] nextPort = new int[HOSTS + 1];
        Ep[][] eps = new Ep[2][PER_TENANT];
        for (int i = 0; i < PER_TENANT; i++) {
            for (int t : new int[] {A, B}) {
                int host = (t == A ? i : i + i / 4) % HOSTS + 1;
                int port = ++nextPort[host];
                Ep e = new Ep((t == A ? "a-" : "b-") + i, t, i, mac(i), ip(t, i), host, port);
                controller.config.create(new Endpoint(e.id(), e.id(), vpcId(t), subnetId(t), e.mac(), e.ip(),
                        "host" + host, portName(host, port), List.of()));
                eps[t][i] = e;
            }
        }
        for (int h = 1; h <= HOSTS; h++) {
            assertEquals(ENDPOINT_PORTS, nextPort[h], "endpoints on host" + h);
        }
        return eps;
    }

    private static String vpcId(int t) {
        return TENANTS[t] + "-vpc";
    }

    private static String subnetId(int t) {
        return TENANTS[t] + "-net";
    }

    private static String portName(int dpid, int port) {
        return String.format("s%x-eth%d", dpid, port);
    }

    private static MacAddress mac(int i) {
        return MacAddress.of(0x0200_0A01_0000L + i + 1);
    }

    private static IPv4Address ip(int t, int i) {
        if (i < SHARED) {
            return IPv4Address.of("10.1." + (1 + i / 100) + "." + (10 + i % 100));
        }
        return IPv4Address.of("10.1." + (t == A ? 100 : 200) + "." + (i - SHARED + 1));
    }

    // ---- the probes ------------------------------------------------------------------------------------------

    /** A fixed sample: mostly connections inside a tenant, some on purpose on one host, and every kind of drop. */
    private static List<Probe> probes(Ep[][] eps) {
        Random r = new Random(SEED);
        List<Probe> out = new ArrayList<>();
        for (int n = 0; n < 240; n++) {
            int t = r.nextInt(2);
            int i = r.nextInt(PER_TENANT);
            Ep src = eps[t][i];
            Ep dst = eps[t][pick(r, PER_TENANT, i)];
            add(out, Kind.DELIVER, src, src.mac(), dst.mac(), src.ip(), dst.ip(), dst, dst);
        }
        for (int n = 0; n < 40; n++) {
            int t = r.nextInt(2);
            Ep src = eps[t][r.nextInt(PER_TENANT)];
            List<Ep> neighbours = Arrays.stream(eps[t]).filter(e -> e.host() == src.host() && e != src).toList();
            Ep dst = neighbours.get(r.nextInt(neighbours.size()));
            add(out, Kind.DELIVER, src, src.mac(), dst.mac(), src.ip(), dst.ip(), dst, dst);
        }
        for (int n = 0; n < 30; n++) {
            int t = n < 20 ? A : B;
            int i = r.nextInt(PER_TENANT);
            int j = pick(r, SHARED, i);
            Ep src = eps[t][i];
            Ep foreign = eps[1 - t][j];
            add(out, Kind.OVERLAP, src, src.mac(), foreign.mac(), src.ip(), foreign.ip(), eps[t][j], foreign);
        }
        for (int n = 0; n < 30; n++) {
            int t = n < 20 ? A : B;
            Ep src = eps[t][r.nextInt(PER_TENANT)];
            Ep foreign = eps[1 - t][SHARED + r.nextInt(PER_TENANT - SHARED)];
            add(out, Kind.FOREIGN_ONLY, src, src.mac(), foreign.mac(), src.ip(), foreign.ip(), null, foreign);
        }
        for (int n = 0; n < 10; n++) {
            int t = r.nextInt(2);
            int i = r.nextInt(PER_TENANT);
            int j = pick(r, PER_TENANT, i);
            int m = pick(r, PER_TENANT, i, j);
            Ep src = eps[t][i];
            add(out, Kind.WRONG_MAC, src, src.mac(), eps[t][m].mac(), src.ip(), eps[t][j].ip(), null, eps[t][j]);
        }
        for (int n = 0; n < 20; n++) {
            int t = r.nextInt(2);
            int i = r.nextInt(PER_TENANT);
            int j = pick(r, PER_TENANT, i);
            Ep src = eps[t][i];
            Ep dst = eps[t][pick(r, PER_TENANT, i, j)];
            Ep victim = eps[t][j];
            if (n < 15) {
                add(out, Kind.SPOOF_IP, src, src.mac(), dst.mac(), victim.ip(), dst.ip(), null, dst);
            } else {
                add(out, Kind.SPOOF_MAC, src, victim.mac(), dst.mac(), src.ip(), dst.ip(), null, dst);
            }
        }
        return out;
    }

    private static void add(List<Probe> out, Kind kind, Ep src, MacAddress ethSrc, MacAddress ethDst,
            IPv4Address ipSrc, IPv4Address ipDst, Ep target, Ep addressee) {
        int k = out.size();
        byte[] frame = tcpSyn(ethSrc, ethDst, ipSrc, ipDst, FIRST_TCP_PORT + k, HTTP, 1_000_000 + k);
        out.add(new Probe(k, kind, src, ethSrc, ethDst, ipSrc, ipDst, target, addressee, frame));
    }

    /** A number in 0..bound-1 that is none of {@code not}. */
    private static int pick(Random r, int bound, int... not) {
        while (true) {
            int n = r.nextInt(bound);
            if (Arrays.stream(not).noneMatch(x -> x == n)) {
                return n;
            }
        }
    }

    // ---- frames ----------------------------------------------------------------------------------------------

    /** An Ethernet / IPv4 / TCP SYN frame with both checksums right. */
    static byte[] tcpSyn(MacAddress ethSrc, MacAddress ethDst, IPv4Address ipSrc, IPv4Address ipDst, int sport,
            int dport, int seq) {
        int ipLength = 20 + 20;
        ByteBuffer b = ByteBuffer.allocate(14 + ipLength);
        b.put(ethDst.getBytes()).put(ethSrc.getBytes()).putShort((short) 0x0800);
        // IPv4: version 4, IHL 5; total length; identification; don't fragment; TTL 64; TCP; checksum 0 for now
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) seq).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).putInt(ipSrc.getInt()).putInt(ipDst.getInt());
        // TCP: ports, sequence, no ack, data offset 5 words, SYN, window, checksum 0 for now, no urgent pointer
        b.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(0).put((byte) 0x50).put((byte) 0x02)
                .putShort((short) 64240).putShort((short) 0).putShort((short) 0);
        byte[] f = b.array();
        int ipChecksum = checksum(0, f, 14, 20);
        f[24] = (byte) (ipChecksum >> 8);
        f[25] = (byte) ipChecksum;
        // the TCP checksum covers a pseudo header: both addresses, protocol and TCP length
        long pseudo = sum(0, f, 26, 8) + 6 + 20;
        int tcpChecksum = checksum(pseudo, f, 34, 20);
        f[50] = (byte) (tcpChecksum >> 8);
        f[51] = (byte) tcpChecksum;
        return f;
    }

    private static long sum(long initial, byte[] f, int from, int length) {
        long s = initial;
        for (int i = from; i < from + length; i += 2) {
            s += ((f[i] & 0xff) << 8) | (i + 1 < from + length ? f[i + 1] & 0xff : 0);
        }
        return s;
    }

    /** The Internet checksum (RFC 1071) of these bytes, starting from a partial sum. */
    private static int checksum(long initial, byte[] f, int from, int length) {
        long s = sum(initial, f, from, length);
        while (s >> 16 != 0) {
            s = (s & 0xffff) + (s >> 16);
        }
        return (int) (~s & 0xffff);
    }

    @Test
    void theFrameBuilderWritesValidChecksums() {
        byte[] f = tcpSyn(mac(1), mac(2), ip(A, 1), ip(A, 2), 40001, HTTP, 7);
        assertEquals(54, f.length);
        assertEquals(0, checksum(0, f, 14, 20), "the IPv4 header sums to zero with its checksum");
        assertEquals(0, checksum(sum(0, f, 26, 8) + 6 + 20, f, 34, 20), "the TCP segment too");
        assertEquals(40, ((f[16] & 0xff) << 8) | (f[17] & 0xff), "IPv4 total length");
        assertEquals(0x02, f[47], "SYN only");
    }

    // ---- attributing messages --------------------------------------------------------------------------------

    /** The probe a FlowMod or PacketOut belongs to, by the probe's TCP source port in it; -1 if none. */
    private static int probeOf(OFMessage m) {
        if (m instanceof OFFlowMod f) {
            Match match = f.getMatch();
            for (MatchField<TransportPort> field : List.of(MatchField.TCP_SRC, MatchField.TCP_DST)) {
                if (!match.isFullyWildcarded(field)) {
                    int k = match.get(field).getPort() - FIRST_TCP_PORT;
                    if (k >= 0 && k < MAX_PROBES) {
                        return k;
                    }
                }
            }
            return -1;
        }
        if (m instanceof OFPacketOut po && isIpv4(po.getData())) {
            byte[] f = po.getData();
            int ihl = (f[14] & 0x0f) * 4;
            if (f[23] == 6 && f.length >= 14 + ihl + 4) {
                int k = (((f[14 + ihl] & 0xff) << 8) | (f[14 + ihl + 1] & 0xff)) - FIRST_TCP_PORT;
                return k >= 0 && k < MAX_PROBES ? k : -1;
            }
        }
        return -1;
    }

    private static boolean isIpv4(byte[] f) {
        return f != null && f.length >= 34 && (f[12] & 0xff) == 0x08 && f[13] == 0x00;
    }

    /** A TCP connection's exact match, as the pipeline compiles it. */
    private static Map<String, Object> tcpMatch(int inPort, MacAddress ethSrc, MacAddress ethDst, IPv4Address ipSrc,
            IPv4Address ipDst, int tcpSrc, int tcpDst) {
        Map<String, Object> m = new TreeMap<>();
        m.put(MatchField.IN_PORT.getName(), OFPort.of(inPort));
        m.put(MatchField.ETH_SRC.getName(), ethSrc);
        m.put(MatchField.ETH_DST.getName(), ethDst);
        m.put(MatchField.ETH_TYPE.getName(), EthType.IPv4);
        m.put(MatchField.IPV4_SRC.getName(), ipSrc);
        m.put(MatchField.IPV4_DST.getName(), ipDst);
        m.put(MatchField.IP_PROTO.getName(), IpProtocol.TCP);
        m.put(MatchField.TCP_SRC.getName(), TransportPort.of(tcpSrc));
        m.put(MatchField.TCP_DST.getName(), TransportPort.of(tcpDst));
        return m;
    }

    /** A match's fields by name; a masked field shows as its masked value, which no expectation equals. */
    private static Map<String, Object> fields(Match match) {
        Map<String, Object> out = new TreeMap<>();
        for (MatchField<?> f : match.getMatchFields()) {
            out.put(f.getName(), match.isExact(f) ? match.get(f) : "masked " + match.getMasked(f));
        }
        return out;
    }

    private static boolean isEmpty(Match match) {
        return !match.getMatchFields().iterator().hasNext();
    }

    private static List<Seen> sorted(Queue<Seen> seen) {
        List<Seen> out = new ArrayList<>(seen);
        out.sort(Comparator.comparingLong(Seen::seq));
        return out;
    }

    private static String describe(List<Seen> seen) {
        return seen.stream().map(s -> "s" + s.dpid() + ":" + s.message().getType())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static boolean waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
