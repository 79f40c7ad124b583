package org.daolinet.switching;

import static org.daolinet.switching.DatapathFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.daolinet.api.config.UnderlayMode;
import org.daolinet.api.config.Vpc;
import org.daolinet.api.pipeline.FlowEntry;
import org.daolinet.ovslab.OvsLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three hosts (Open vSwitch bridges, userspace datapath) on one L2 underlay (a Linux bridge), seven containers
 * (network namespaces) of two tenants whose addresses AND MACs overlap, driven by the real controller parts.
 * Traffic must pass exactly inside each VPC, on one host and across hosts, and nowhere else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VpcSwitchingE2ETest {

    private static final Logger log = LoggerFactory.getLogger(VpcSwitchingE2ETest.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int IDLE_SECONDS = 3;

    /** A container: its tenant, address, MAC and host. */
    record Box(String id, String tenant, String ip, String mac, int host) {
    }

    private static final List<Box> BOXES = List.of(
            new Box("a1", "acme", "10.0.0.10", "02:00:00:00:00:10", 1),
            new Box("a2", "acme", "10.0.0.11", "02:00:00:00:00:11", 2),
            new Box("a3", "acme", "10.0.0.12", "02:00:00:00:00:12", 3),
            new Box("a4", "acme", "10.0.0.13", "02:00:00:00:00:13", 1),
            new Box("g1", "globex", "10.0.0.10", "02:00:00:00:00:10", 1),
            new Box("g2", "globex", "10.0.0.11", "02:00:00:00:00:11", 3),
            new Box("g3", "globex", "10.0.0.12", "02:00:00:00:00:12", 2));

    @TempDir
    static Path dir;

    private OvsLab lab;
    private DatapathFixture controller;
    private int port;
    private final Map<String, String> namespaces = new java.util.HashMap<>();

    @BeforeAll
    void setUp() throws Exception {
        OvsLab.skipReason().ifPresent(Assumptions::abort);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        controller = new DatapathFixture(dir, port, IDLE_SECONDS, "vpc");
        lab = OvsLab.start();
        String underlay = lab.addLinuxBridge("ul");
        List<String> bridges = new ArrayList<>();
        for (int h = 1; h <= 3; h++) {
            String br = lab.addBridge("h" + h, h, "OpenFlow13", "tcp:127.0.0.1:" + port);
            bridges.add(br);
            String up = lab.addUplink(br, underlay, "u" + h, 100);
            controller.config.create(new Host("host" + h, "host" + h, DatapathId.of(h), up,
                    MacAddress.of(lab.mac(up)), IPv4Address.of("192.168.50." + h), UnderlayMode.L2, null));
        }
        for (String t : List.of("acme", "globex")) {
            controller.config.create(new Tenant(t, t));
            controller.config.create(new Vpc(t + "-vpc", t, "prod"));
            controller.config.create(new Subnet(t + "-web", t + "-vpc", "web", IPv4AddressWithMask.of("10.0.0.0/24"),
                    IPv4Address.of("10.0.0.1")));
        }
        int ofport = 1;
        for (Box b : BOXES) {
            String ns = lab.addNamespace(b.id(), bridges.get(b.host() - 1), "p" + b.id(), ofport++, b.mac(),
                    b.ip() + "/24");
            namespaces.put(b.id(), ns);
            controller.config.create(new Endpoint(b.id(), b.id(), b.tenant() + "-vpc", b.tenant() + "-web",
                    MacAddress.of(b.mac()), IPv4Address.of(b.ip()), "host" + b.host(), lab.name("p" + b.id()),
                    List.of()));
        }
        await(() -> controller.server.switches().size() == 3, Duration.ofSeconds(45), "three hosts connected");
        await(() -> controller.topology.attachments().size() == BOXES.size(), WAIT, "all endpoints attached");
    }

    @AfterAll
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
        if (controller != null) {
            controller.close();
        }
    }

    private static boolean allowed(Box from, Box to) {
        return from.tenant().equals(to.tenant());
    }

    @Test
    @Order(1)
    void pingReachesExactlyTheSameVpcOnEveryPair() throws Exception {
        List<String> wrong = OvsLab.unexpectedPairs(BOXES, Box::id, VpcSwitchingE2ETest::allowed,
                (from, to) -> lab.pingReaches(ns(from), ns(to), to.ip()), "reached", "did not reach");
        assertEquals(List.of(), wrong, "ping pairs that broke VPC isolation or connectivity");
        // and the pings themselves succeed inside a VPC (the echo comes back)
        assertTrue(lab.ping(ns(box("a1")), "10.0.0.11", 1, 2), "a1 -> a2 across hosts");
        assertTrue(lab.ping(ns(box("g1")), "10.0.0.11", 1, 2), "g1 -> g2 across hosts, same addresses as acme");
        assertTrue(lab.ping(ns(box("a1")), "10.0.0.13", 1, 2), "a1 -> a4 on one host");
        assertFalse(lab.ping(ns(box("g1")), "10.0.0.13", 1, 1), "globex has no 10.0.0.13; acme's a4 must not answer");
    }

    @Test
    @Order(2)
    void tcpConnectsExactlyInsideTheVpcOnEveryPair() throws Exception {
        AtomicInteger tcpPort = new AtomicInteger(5001);
        List<String> wrong = OvsLab.unexpectedPairs(BOXES, Box::id, VpcSwitchingE2ETest::allowed,
                (from, to) -> lab.tcpTransfer(ns(to), ns(from), to.ip(), tcpPort.getAndIncrement(), 2),
                "connected", "failed");
        assertEquals(List.of(), wrong, "TCP pairs that broke VPC isolation or connectivity");
        assertTrue(lab.udpTransfer(ns(box("g3")), ns(box("g2")), "10.0.0.12", 6001, 2), "UDP g2 -> g3 across hosts");
        assertTrue(lab.udpTransfer(ns(box("a4")), ns(box("a1")), "10.0.0.13", 6002, 2), "UDP a1 -> a4 on one host");
    }

    @Test
    @Order(3)
    void flowsCarryTheirOwnersAndIdleOut() throws Exception {
        assertTrue(lab.ping(ns(box("a1")), "10.0.0.12", 1, 2));
        List<FlowEntry> flows = controller.pipeline.flows(DatapathId.of(1)).get();
        List<FlowEntry> reactive = flows.stream().filter(f -> f.kind().equals("reactive")).toList();
        assertFalse(reactive.isEmpty(), "connection flows on host1: " + flows);
        for (FlowEntry f : reactive) {
            assertEquals(List.of("classify", "switching"), f.owners(), "owners of " + f);
            assertTrue(f.current());
            assertEquals(IDLE_SECONDS, f.idleTimeout());
        }
        assertTrue(flows.stream().anyMatch(f -> f.kind().equals("proactive") && f.owners().equals(List.of("switching"))),
                "the host's own underlay traffic flows: " + flows);
        assertTrue(reactive.stream().anyMatch(f -> f.actions().contains("set_eth_src:da:")),
                "crossing to host3 rewrites to underlay aliases: " + reactive);
        await(() -> reactiveFlows(1) == 0 && reactiveFlows(3) == 0, Duration.ofSeconds(IDLE_SECONDS + 8),
                "connection flows idle out");
    }

    @Test
    @Order(4)
    void uninstallingSwitchingRemovesItsFlowsAndItsEffectAtOnce() throws Exception {
        assertTrue(lab.ping(ns(box("a1")), "10.0.0.11", 1, 2));
        controller.uninstallSwitching();
        long start = System.nanoTime();
        await(() -> ownedFlows(1) == 0 && ownedFlows(2) == 0 && ownedFlows(3) == 0, Duration.ofSeconds(1),
                "no flow of the switching functions left");
        log.info("switching flows gone {} ms after uninstall", (System.nanoTime() - start) / 1_000_000);
        assertFalse(lab.ping(ns(box("a1")), "10.0.0.11", 2, 1), "no traffic without switching");
        controller.installSwitching();
        await(() -> pings(box("a1"), "10.0.0.11"), Duration.ofSeconds(5), "traffic back");
    }

    @Test
    @Order(5)
    void aControllerRestartLeavesNoStaleFlowAndTrafficResumes() throws Exception {
        assertTrue(lab.ping(ns(box("g1")), "10.0.0.12", 1, 2));
        assertTrue(reactiveFlows(1) > 0);
        controller.close();
        controller = new DatapathFixture(dir, port, IDLE_SECONDS, "vpc");
        await(() -> controller.server.switches().size() == 3, WAIT, "switches back");
        await(() -> staleFlows(1) == 0 && staleFlows(2) == 0 && staleFlows(3) == 0, WAIT, "stale flows swept");
        await(() -> pings(box("g1"), "10.0.0.12"), WAIT, "traffic resumes");
        assertTrue(lab.tcpTransfer(ns(box("a3")), ns(box("a1")), "10.0.0.12", 7001, 2), "TCP resumes");
        assertEquals(0, staleFlows(1) + staleFlows(2) + staleFlows(3));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private List<FlowEntry> flows(int host) {
        try {
            return controller.pipeline.flows(DatapathId.of(host)).get();
        } catch (Exception e) {
            return List.of();
        }
    }

    private long reactiveFlows(int host) {
        return flows(host).stream().filter(f -> f.kind().equals("reactive")).count();
    }

    private long ownedFlows(int host) {
        return flows(host).stream().filter(f -> f.owners().stream()
                .anyMatch(o -> o.equals("switching") || o.equals("classify") || o.equals("arp"))).count();
    }

    private long staleFlows(int host) {
        List<FlowEntry> all = flows(host);
        return all.isEmpty() ? Long.MAX_VALUE
                : all.stream().filter(f -> !f.kind().equals("foreign") && !f.current()).count();
    }

    private boolean pings(Box from, String ip) {
        try {
            return lab.ping(ns(from), ip, 1, 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Box box(String id) {
        return BOXES.stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow();
    }

    private String ns(Box b) {
        return namespaces.get(b.id());
    }
}
