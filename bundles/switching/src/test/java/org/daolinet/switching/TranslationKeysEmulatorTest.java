package org.daolinet.switching;

import static org.daolinet.switching.DatapathFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.daolinet.api.config.UnderlayMode;
import org.daolinet.api.config.Vpc;
import org.daolinet.emulator.EmulatedSwitch;
import org.daolinet.emulator.SwitchEmulator;
import org.daolinet.emulator.SwitchProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmTcpSrc;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * Translation keys over thousands of short connections across a routed underlay, against two emulated switches:
 * two tenants with the same addresses open connections between the same two hosts in waves; every live
 * connection must carry a key no other live one has, every key must come back once the switches report all of
 * its connection's flows removed (and not before), a full range must deny rather than hand a key out twice, and
 * nothing may be left held or leased in the store at the end.
 */
class TranslationKeysEmulatorTest {

    private static final int FIRST_KEY = 20000;
    private static final int KEYS = 256;
    private static final int UPLINK = 3;
    private static final int WAVES = 12;
    private static final int PER_WAVE = 250;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private DatapathFixture controller;
    private SwitchEmulator emulator;
    private final Map<Long, EmulatedSwitch> switches = new HashMap<>();
    /** FlowAdds each switch received, in order. */
    private final Map<Long, ConcurrentLinkedQueue<OFFlowAdd>> flows = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        controller = new DatapathFixture(dir, port, 60, Map.of("mode", "vpc",
                "translation.ports", FIRST_KEY + "-" + (FIRST_KEY + KEYS - 1), "translation.audit.seconds", "3600"));
        for (int h = 1; h <= 2; h++) {
            controller.config.create(new Host("host" + h, "host" + h, DatapathId.of(h), "s" + h + "-eth" + UPLINK,
                    MacAddress.of(0x0200_00C0_0000L + h), IPv4Address.of("198.18.0." + h), UnderlayMode.L3, null));
        }
        for (String t : List.of("acme", "globex")) {
            controller.config.create(new Tenant(t, t));
            controller.config.create(new Vpc(t + "-vpc", t, "prod"));
            controller.config.create(new Subnet(t + "-net", t + "-vpc", "net", IPv4AddressWithMask.of("10.0.0.0/24"),
                    IPv4Address.of("10.0.0.1")));
            int endpointPort = t.equals("acme") ? 1 : 2;
            for (int h = 1; h <= 2; h++) {
                controller.config.create(new Endpoint(t + h, t + h, t + "-vpc", t + "-net", mac(h), ip(h),
                        "host" + h, "s" + h + "-eth" + endpointPort, List.of()));
            }
        }
        emulator = new SwitchEmulator();
        for (long h = 1; h <= 2; h++) {
            ConcurrentLinkedQueue<OFFlowAdd> seen = new ConcurrentLinkedQueue<>();
            flows.put(h, seen);
            EmulatedSwitch sw = emulator.connect(new InetSocketAddress("127.0.0.1", port),
                    SwitchProfile.of(h, OFVersion.OF_13, UPLINK));
            sw.observe(m -> {
                if (m instanceof OFFlowAdd add && add.getPriority() == 1000) {
                    seen.add(add);
                }
            });
            switches.put(h, sw);
        }
        for (EmulatedSwitch sw : switches.values()) {
            sw.ready().get();
        }
        await(() -> controller.topology.attachments().size() == 4, WAIT, "four endpoints attached");
    }

    @AfterEach
    void tearDown() {
        if (emulator != null) {
            emulator.close();
        }
        if (controller != null) {
            controller.close();
        }
    }

    /** One connection's flows, found by its tenant source port. */
    record Connection(int sourcePort, int key, List<OFFlowAdd> atSource, List<OFFlowAdd> atDestination) {
    }

    @Test
    @Timeout(120)
    void keysAreUniqueWhileInUseAndAllComeBack() throws Exception {
        Set<Integer> everHanded = new HashSet<>();
        int sourcePort = 1024;
        for (int wave = 0; wave < WAVES; wave++) {
            List<Connection> live = open(sourcePort, PER_WAVE);
            sourcePort += PER_WAVE;
            Set<Integer> keys = new HashSet<>();
            for (Connection c : live) {
                assertTrue(c.key() >= FIRST_KEY && c.key() < FIRST_KEY + KEYS, "key " + c.key() + " out of range");
                assertTrue(keys.add(c.key()), "wave " + wave + ": key " + c.key() + " handed to two live connections");
                everHanded.add(c.key());
            }
            assertEquals(PER_WAVE, controller.keys.inUse(), "keys held while the connections live");
            if (wave == 0) {
                // a key stays held while any one of its connection's flows is left
                Connection last = live.get(live.size() - 1);
                removeAll(live.subList(0, live.size() - 1));
                remove(last, 3);
                await(() -> controller.keys.inUse() == 1, WAIT, "all keys but the last one released");
                Thread.sleep(300);
                assertEquals(1, controller.keys.inUse(), "a key was released while one of its flows was left");
                remove(last, 4);
            } else {
                removeAll(live);
            }
            await(() -> controller.keys.inUse() == 0, WAIT, "every key of wave released");
        }
        assertTrue(everHanded.size() <= KEYS, "keys came from outside the range");
        assertTrue(WAVES * PER_WAVE > 10 * everHanded.size(), "keys were reused: " + everHanded.size() + " distinct");

        // more connections than keys: the rest are denied, never given a key that is in use
        int before = drops();
        List<Connection> full = open(sourcePort, KEYS, KEYS + 40);
        assertEquals(KEYS, full.stream().map(Connection::key).distinct().count(), "every key exactly once");
        await(() -> drops() - before == 40, WAIT, "the connections beyond the range denied");
        removeAll(full);
        await(() -> controller.keys.inUse() == 0, WAIT, "every key released after the full range");

        assertEquals(1, controller.keys.leasedBlocks(), "one block kept for the next connections, others given back");
        assertEquals(1, controller.store.list(TranslationKeys.PREFIX).size(), "blocks leased in the store");
    }

    private List<Connection> open(int firstPort, int count) throws Exception {
        return open(firstPort, count, count);
    }

    /** Opens {@code attempts} connections (alternating tenants) and waits for the flows of {@code expected}. */
    private List<Connection> open(int firstPort, int expected, int attempts) throws Exception {
        flows.values().forEach(ConcurrentLinkedQueue::clear);
        for (int i = 0; i < attempts; i++) {
            int endpointPort = i % 2 == 0 ? 1 : 2;
            switches.get(1L).sendPacketIn(endpointPort, CompiledFlowsEmulatorTest.tcpSyn(mac(1), mac(2), ip(1), ip(2),
                    firstPort + i, 80, i));
        }
        await(() -> connectionFlows(1) == 2 * expected && connectionFlows(2) == 2 * expected, WAIT,
                expected + " connections' flows on both switches");
        Map<Integer, OFFlowAdd> forwardBySourcePort = new HashMap<>();
        Map<Integer, OFFlowAdd> reverseArrivalByKey = new HashMap<>();
        for (OFFlowAdd f : flows.get(1L)) {
            if (f.getMatch().get(MatchField.IN_PORT).getPortNumber() == UPLINK) {
                reverseArrivalByKey.put(f.getMatch().get(MatchField.TCP_DST).getPort(), f);
            } else if (!actions(f).isEmpty()) {
                forwardBySourcePort.put(f.getMatch().get(MatchField.TCP_SRC).getPort(), f);
            }
        }
        Map<Integer, OFFlowAdd> arrivalByKey = new HashMap<>();
        Map<Integer, OFFlowAdd> reverseBySourcePort = new HashMap<>();
        for (OFFlowAdd f : flows.get(2L)) {
            if (f.getMatch().get(MatchField.IN_PORT).getPortNumber() == UPLINK) {
                arrivalByKey.put(f.getMatch().get(MatchField.TCP_SRC).getPort(), f);
            } else {
                reverseBySourcePort.put(f.getMatch().get(MatchField.TCP_DST).getPort(), f);
            }
        }
        List<Connection> out = new ArrayList<>();
        forwardBySourcePort.forEach((sport, forward) -> {
            int key = keyOf(forward);
            out.add(new Connection(sport, key, Arrays.asList(forward, reverseArrivalByKey.get(key)),
                    Arrays.asList(arrivalByKey.get(key), reverseBySourcePort.get(sport))));
        });
        assertEquals(expected, out.size(), "connections with flows");
        for (Connection c : out) {
            assertTrue(c.atSource().stream().allMatch(Objects::nonNull)
                    && c.atDestination().stream().allMatch(Objects::nonNull),
                    "all four flows of the connection from port " + c.sourcePort() + " (key " + c.key() + ")");
        }
        return out;
    }

    private long connectionFlows(long dpid) {
        return flows.get(dpid).stream().filter(f -> !actions(f).isEmpty()).count();
    }

    private int drops() {
        return (int) flows.get(1L).stream().filter(f -> actions(f).isEmpty()).count();
    }

    private void removeAll(List<Connection> connections) {
        for (Connection c : connections) {
            remove(c, 4);
        }
    }

    /** The switches report the first {@code n} of the connection's four flows gone (idle timeout). */
    private void remove(Connection c, int n) {
        List<OFFlowAdd> all = List.of(c.atSource().get(0), c.atDestination().get(0), c.atDestination().get(1),
                c.atSource().get(1));
        for (int i = 0; i < n; i++) {
            OFFlowAdd f = all.get(i);
            EmulatedSwitch sw = switches.get(i == 0 || i == 3 ? 1L : 2L);
            sw.send(sw.factory().buildFlowRemoved()
                    .setCookie(f.getCookie())
                    .setPriority(f.getPriority())
                    .setReason(OFFlowRemovedReason.IDLE_TIMEOUT)
                    .setTableId(TableId.ZERO)
                    .setDurationSec(1)
                    .setDurationNsec(0)
                    .setIdleTimeout(f.getIdleTimeout())
                    .setHardTimeout(0)
                    .setPacketCount(U64.of(1))
                    .setByteCount(U64.of(60))
                    .setMatch(f.getMatch())
                    .build());
        }
    }

    private static int keyOf(OFFlowAdd forward) {
        for (OFAction a : actions(forward)) {
            if (a instanceof OFActionSetField set && set.getField() instanceof OFOxmTcpSrc src) {
                return src.getValue().getPort();
            }
        }
        throw new AssertionError("no translation key set by " + forward);
    }

    private static List<OFAction> actions(OFFlowAdd f) {
        List<OFAction> out = new ArrayList<>();
        for (OFInstruction i : f.getInstructions()) {
            if (i instanceof OFInstructionApplyActions apply) {
                out.addAll(apply.getActions());
            }
        }
        return out;
    }

    private static MacAddress mac(int h) {
        return MacAddress.of("02:00:00:00:00:1" + h);
    }

    private static IPv4Address ip(int h) {
        return IPv4Address.of("10.0.0.1" + h);
    }

}
