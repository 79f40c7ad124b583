package org.daolinet.topology;

import static org.daolinet.topology.TopologyFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.daolinet.api.config.UnderlayMode;
import org.daolinet.api.config.Vpc;
import org.daolinet.api.topology.Attachment;
import org.daolinet.ovslab.OvsLab;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Two real Open vSwitch bridges joined by a veth cable: LLDP finds the link both ways, and an endpoint declared
 * with a real port name is attached at that port's OpenFlow number.
 */
class OvsTopologyE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        OvsLab.skipReason().ifPresent(Assumptions::abort);
    }

    @Test
    void lldpFindsTheCableAndEndpointsAreFoundByPortName() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (TopologyFixture t = new TopologyFixture(dir, port); OvsLab lab = OvsLab.start()) {
            String target = "tcp:127.0.0.1:" + port;
            String brA = lab.addBridge("ta", 0xa1, "OpenFlow13", target);
            String brB = lab.addBridge("tb", 0xb1, "OpenFlow10", target);
            lab.addCable(brA, "ca", 7, brB, "cb", 9);
            String container = lab.addVethPort(brA, "c1", 3);

            t.config.create(new Tenant("t", "t"));
            t.config.create(new Vpc("v", "t", "v"));
            t.config.create(new Subnet("s", "v", "s", IPv4AddressWithMask.of("10.0.0.0/24"), IPv4Address.of("10.0.0.1")));
            t.config.create(new Host("ha", "ha", DatapathId.of(0xa1), lab.name("ca"), MacAddress.of("02:00:00:00:0a:01"),
                    IPv4Address.of("192.168.9.1"), UnderlayMode.L2, null));
            t.config.create(new Endpoint("c1", "c1", "v", "s", MacAddress.of("02:00:00:00:00:c1"),
                    IPv4Address.of("10.0.0.5"), "ha", container, List.of()));

            await(() -> links(t).equals(Set.of("a1/7->b1/9", "b1/9->a1/7")), WAIT, "cable found both ways: " + links(t));
            await(() -> t.topology.attachment("c1").isPresent(), WAIT, "endpoint attached");
            Attachment a = t.topology.attachment("c1").orElseThrow();
            assertEquals(DatapathId.of(0xa1), a.dpid());
            assertEquals(OFPort.of(3), a.port());

            t.config.delete(Endpoint.class, "c1");
            await(() -> t.topology.attachments().isEmpty(), WAIT, "detached after delete");
        }
    }

    private static Set<String> links(TopologyFixture t) {
        return t.topology.links().stream().map(l -> Long.toHexString(l.srcDpid().getLong()) + "/" + l.srcPort() + "->"
                + Long.toHexString(l.dstDpid().getLong()) + "/" + l.dstPort()).collect(Collectors.toSet());
    }
}
