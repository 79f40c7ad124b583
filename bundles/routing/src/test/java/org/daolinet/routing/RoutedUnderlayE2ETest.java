package org.daolinet.routing;

import static org.daolinet.switching.DatapathFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.daolinet.api.config.UnderlayMode;
import org.daolinet.api.config.Vpc;
import org.daolinet.api.pipeline.FlowEntry;
import org.daolinet.ovslab.OvsLab;
import org.daolinet.switching.DatapathFixture;
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
 * Two underlay segments joined by a router (a namespace forwarding between two Linux bridges): hosts 1 and 2 share
 * segment A as an {@code l2} underlay, hosts 3 and 4 sit on segment B as {@code l3} hosts, and every host reaches
 * the other segment only through the router. Two tenants use the same subnets, addresses and MACs; each VPC has a
 * web and a db subnet. Traffic must pass exactly inside each VPC (routed between its subnets), on every kind of
 * path — one host, the l2 segment, the l3 segment directly, through the router — and nowhere else; the router's
 * legs must carry nothing but the hosts' own addresses; routing must hot-swap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutedUnderlayE2ETest {

    private static final Logger log = LoggerFactory.getLogger(RoutedUnderlayE2ETest.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int IDLE_SECONDS = 3;
    private static final int HOSTS = 4;

    /** A container: its tenant, subnet, address, MAC and host. */
    record Box(String id, String tenant, String subnet, String ip, String mac, int host) {
    }

    private static final List<Box> BOXES = List.of(
            new Box("a1", "acme", "web", "10.0.1.10", "02:00:00:00:01:10", 1),
            new Box("a2", "acme", "web", "10.0.1.11", "02:00:00:00:01:11", 3),
            new Box("a3", "acme", "db", "10.0.2.10", "02:00:00:00:02:10", 4),
            new Box("a4", "acme", "db", "10.0.2.11", "02:00:00:00:02:11", 2),
            new Box("a5", "acme", "db", "10.0.2.12", "02:00:00:00:02:12", 1),
            new Box("g1", "globex", "web", "10.0.1.10", "02:00:00:00:01:10", 3),
            new Box("g2", "globex", "db", "10.0.2.10", "02:00:00:00:02:10", 1),
            new Box("g3", "globex", "web", "10.0.1.11", "02:00:00:00:01:11", 4),
            new Box("g4", "globex", "db", "10.0.2.11", "02:00:00:00:02:11", 2));

    @TempDir
    static Path dir;

    private OvsLab lab;
    private DatapathFixture controller;
    private final Router router = new Router();
    private final Gateway gateway = new Gateway();
    private String routerNs;
    private final Map<String, String> namespaces = new HashMap<>();

    @BeforeAll
    void setUp() throws Exception {
        OvsLab.skipReason().ifPresent(Assumptions::abort);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        controller = new DatapathFixture(dir, port, IDLE_SECONDS, Map.of("mode", "vpc"));
        router.index = controller.directory;
        gateway.index = controller.directory;
        controller.addFunction(gateway);
        controller.addFunction(router);
        lab = OvsLab.start();
        String segmentA = lab.addLinuxBridge("sa");
        String segmentB = lab.addLinuxBridge("sb");
        routerNs = lab.addRouter("rt", List.of(segmentA, segmentB), List.of("198.18.1.254/24", "198.18.2.254/24"));
        List<String> bridges = new ArrayList<>();
        for (int h = 1; h <= HOSTS; h++) {
            boolean onA = h <= 2;
            String net = onA ? "198.18.1." : "198.18.2.";
            String br = lab.addBridge("h" + h, h, "OpenFlow13", "tcp:127.0.0.1:" + port);
            bridges.add(br);
            String up = lab.addUplink(br, onA ? segmentA : segmentB, "u" + h, 100);
            lab.setHostAddress(br, net + h + "/24");
            controller.config.create(new Host("host" + h, "host" + h, DatapathId.of(h), up,
                    MacAddress.of(lab.mac(br)), IPv4Address.of(net + h), IPv4Address.of(net + "254"),
                    onA ? UnderlayMode.L2 : UnderlayMode.L3, null));
        }
        for (String t : List.of("acme", "globex")) {
            controller.config.create(new Tenant(t, t));
            controller.config.create(new Vpc(t + "-vpc", t, "prod"));
            controller.config.create(new Subnet(t + "-web", t + "-vpc", "web", IPv4AddressWithMask.of("10.0.1.0/24"),
                    IPv4Address.of("10.0.1.1")));
            controller.config.create(new Subnet(t + "-db", t + "-vpc", "db", IPv4AddressWithMask.of("10.0.2.0/24"),
                    IPv4Address.of("10.0.2.1")));
        }
        int ofport = 1;
        for (Box b : BOXES) {
            String ns = lab.addNamespace(b.id(), bridges.get(b.host() - 1), "p" + b.id(), ofport++, b.mac(),
                    b.ip() + "/24");
            lab.setDefaultRoute(ns, gatewayOf(b));
            namespaces.put(b.id(), ns);
            controller.config.create(new Endpoint(b.id(), b.id(), b.tenant() + "-vpc", b.tenant() + "-" + b.subnet(),
                    MacAddress.of(b.mac()), IPv4Address.of(b.ip()), "host" + b.host(), lab.name("p" + b.id()),
                    List.of()));
        }
        await(() -> controller.server.switches().size() == HOSTS, Duration.ofSeconds(45), "four hosts connected");
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

    private static String gatewayOf(Box b) {
        return b.ip().substring(0, b.ip().lastIndexOf('.')) + ".1";
    }

    @Test
    @Order(1)
    void pingReachesExactlyTheSameVpcOnEveryPairAcrossBothUnderlays() throws Exception {
        List<String> wrong = OvsLab.unexpectedPairs(BOXES, Box::id, RoutedUnderlayE2ETest::allowed,
                (from, to) -> lab.pingReaches(ns(from), ns(to), to.ip()), "reached", "did not reach");
        assertEquals(List.of(), wrong, "ping pairs that broke VPC isolation or connectivity");
    }

    @Test
    @Order(2)
    void everyGatewayAnswersArpAndPingOnEveryHost() throws Exception {
        for (Box b : BOXES) {
            assertTrue(lab.ping(ns(b), gatewayOf(b), 1, 2), b.id() + " pings its gateway");
            String other = b.subnet().equals("web") ? "10.0.2.1" : "10.0.1.1";
            assertTrue(lab.ping(ns(b), other, 1, 2), b.id() + " pings the other subnet's gateway");
            assertTrue(lab.exec(ns(b), "ip", "neigh", "show", gatewayOf(b)).contains("fe:da:00:00:00:01"),
                    b.id() + " learnt the gateway's MAC by ARP");
        }
    }

    @Test
    @Order(3)
    void routedPacketsHaveTheirTtlDecrementedAndTtlOneIsNotForwarded() throws Exception {
        assertEquals(64, replyTtl("a1", "10.0.1.11"), "same subnet (a2, across the router on the underlay)");
        assertEquals(63, replyTtl("a1", "10.0.2.12"), "routed on one host (a5)");
        assertEquals(63, replyTtl("a1", "10.0.2.11"), "routed across the l2 segment (a4)");
        assertEquals(63, replyTtl("a1", "10.0.2.10"), "routed across the underlay router (a3)");
        long before = echoRequestsReceived(box("a3"));
        String out = pingOutput("a1", "-t", "1", "10.0.2.10");
        assertTrue(out.contains("Time to live exceeded") && out.contains("10.0.1.1"),
                "the gateway answers TTL 1 with time exceeded: " + out);
        assertEquals(before, echoRequestsReceived(box("a3")), "a packet with TTL 1 reached the next subnet");
    }

    @Test
    @Order(4)
    void tcpAndUdpConnectExactlyInsideTheVpcOnEveryPair() throws Exception {
        AtomicInteger tcpPort = new AtomicInteger(5001);
        List<String> wrong = OvsLab.unexpectedPairs(BOXES, Box::id, RoutedUnderlayE2ETest::allowed,
                (from, to) -> lab.tcpTransfer(ns(to), ns(from), to.ip(), tcpPort.getAndIncrement(), 2),
                "connected", "failed");
        assertEquals(List.of(), wrong, "TCP pairs that broke VPC isolation or connectivity");
        assertTrue(lab.udpTransfer(ns(box("a3")), ns(box("a1")), "10.0.2.10", 6001, 3), "UDP routed through the router");
        assertTrue(lab.udpTransfer(ns(box("g3")), ns(box("g1")), "10.0.1.11", 6002, 3), "UDP on the l3 segment");
        assertTrue(lab.udpTransfer(ns(box("g1")), ns(box("g2")), "10.0.1.10", 6003, 3), "UDP back through the router");
        assertFalse(lab.udpTransfer(ns(box("g3")), ns(box("a1")), "10.0.1.11", 6004, 1), "UDP across VPCs");
    }

    @Test
    @Order(5)
    void tenMegabytesCrossTheRouterByteForByteAndTheUnderlaySeesOnlyHostAddresses() throws Exception {
        OvsLab.Capture legA = lab.capture(routerNs, "eth0");
        OvsLab.Capture legB = lab.capture(routerNs, "eth1");
        assertTrue(lab.tcpBulkTransfer(ns(box("a3")), ns(box("a1")), "10.0.2.10", 7001, 10 << 20, 30),
                "10 MB a1 (segment A) -> a3 (segment B), routed, byte for byte");
        assertTrue(lab.tcpBulkTransfer(ns(box("g2")), ns(box("g1")), "10.0.2.10", 7002, 10 << 20, 30),
                "10 MB g1 (segment B) -> g2 (segment A), the twin addresses of the other tenant");
        assertTrue(lab.ping(ns(box("g1")), "10.0.2.10", 2, 2), "ping g1 -> g2 while capturing");
        List<String> frames = new ArrayList<>(lab.readCapture(legA));
        frames.addAll(lab.readCapture(legB));
        long translated = frames.stream().filter(l -> l.contains("198.18.1.") && l.contains("198.18.2.")
                && KEY.matcher(l).find()).count();
        log.info("Router legs: {} frames, {} of them host-to-host with a translation key", frames.size(), translated);
        assertTrue(translated > 1000, "the transfers crossed the router as host addresses with translation keys: "
                + translated + " frames");
        List<String> leaks = frames.stream().filter(l -> l.contains(" 10.0.") || l.contains("02:00:00:00:0")
                || ENCAPSULATION.matcher(l).find()).limit(5).toList();
        assertEquals(List.of(), leaks, "tenant addresses or encapsulation on the underlay");
    }

    /** A source port of the default translation range (20000-29999) between two host addresses. */
    private static final Pattern KEY = Pattern.compile("198\\.18\\.\\d\\.\\d+\\.2\\d{4} ");
    private static final Pattern ENCAPSULATION = Pattern.compile(
            "(?i)vxlan|geneve|gre|encap|ipip|\\.4789[ :]|\\.6081[ :]|proto 4[17]");

    @Test
    @Order(6)
    void translationKeysComeBackWhenTheFlowsIdleOut() throws Exception {
        assertTrue(controller.keys.inUse() > 0 || lab.tcpTransfer(ns(box("a3")), ns(box("a1")), "10.0.2.10", 7101, 2));
        assertTrue(controller.keys.inUse() > 0, "keys are held while connections have flows");
        await(() -> controller.keys.inUse() == 0, Duration.ofSeconds(IDLE_SECONDS * 4L),
                "every translation key released once the flows idled out");
    }

    @Test
    @Order(7)
    void routingHotSwapsAndSwitchingInsideASubnetCarriesOn() throws Exception {
        // ICMP across the router is relayed without flows; over the l2 segment and TCP anywhere it has flows
        assertTrue(lab.ping(ns(box("a1")), "10.0.2.11", 1, 2), "routed ping to a4 before");
        assertTrue(lab.tcpTransfer(ns(box("a3")), ns(box("a1")), "10.0.2.10", 7200, 2), "routed TCP to a3 before");
        assertTrue(ownedBy("routing") > 0, "routed flows carry routing's cookie bit");
        long start = System.nanoTime();
        controller.removeFunction(router);
        controller.removeFunction(gateway);
        await(() -> ownedBy("routing") == 0, Duration.ofSeconds(1), "routing's flows gone within a second");
        log.info("Routing's flows removed from {} switches in {} ms", HOSTS, (System.nanoTime() - start) / 1_000_000);
        assertFalse(lab.ping(ns(box("a1")), "10.0.2.11", 2, 1), "no routing without the routing function");
        assertFalse(lab.ping(ns(box("a1")), "10.0.2.10", 2, 1), "nor across the router");
        assertFalse(lab.tcpTransfer(ns(box("a3")), ns(box("a1")), "10.0.2.10", 7203, 2), "nor TCP");
        assertTrue(lab.ping(ns(box("a1")), "10.0.1.11", 1, 2), "switching inside the subnet is unaffected");
        assertTrue(lab.tcpTransfer(ns(box("a2")), ns(box("a1")), "10.0.1.11", 7201, 2), "and TCP too");
        controller.addFunction(gateway);
        controller.addFunction(router);
        assertTrue(lab.ping(ns(box("a1")), "10.0.2.10", 1, 2), "routing back once the function is");
        assertTrue(lab.tcpTransfer(ns(box("a3")), ns(box("a1")), "10.0.2.10", 7202, 2), "routed TCP back");
    }

    private long ownedBy(String function) {
        long n = 0;
        for (int h = 1; h <= HOSTS; h++) {
            try {
                for (FlowEntry e : controller.pipeline.flows(DatapathId.of(h)).get()) {
                    if (e.owners().contains(function)) {
                        n++;
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return n;
    }

    private int replyTtl(String from, String ip) throws Exception {
        String out = pingOutput(from, ip);
        Matcher m = Pattern.compile("ttl=(\\d+)").matcher(out);
        assertTrue(m.find(), "no reply from " + ip + " to " + from + ": " + out);
        return Integer.parseInt(m.group(1));
    }

    /** What ping prints, answered or not (a ping without an echo reply exits non-zero). */
    private String pingOutput(String from, String... args) throws Exception {
        return lab.exec(ns(box(from)), "sh", "-c", "ping -n -c 1 -W 2 " + String.join(" ", args) + " || true");
    }

    private Box box(String id) {
        return BOXES.stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow();
    }

    private String ns(Box b) {
        return namespaces.get(b.id());
    }

    /** ICMP echo requests the container's kernel has received so far. */
    private long echoRequestsReceived(Box b) throws Exception {
        return lab.echoRequestsReceived(ns(b));
    }
}
