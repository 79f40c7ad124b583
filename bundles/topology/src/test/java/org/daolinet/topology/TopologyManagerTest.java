package org.daolinet.topology;

import static org.daolinet.topology.TopologyFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.daolinet.api.config.UnderlayMode;
import org.daolinet.api.config.Vpc;
import org.daolinet.api.topology.Attachment;
import org.daolinet.emulator.EmulatedSwitch;
import org.daolinet.emulator.SwitchProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

class TopologyManagerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final MacAddress E1_MAC = MacAddress.of("02:00:00:00:00:e1");

    @TempDir
    Path dir;

    private static void declare(TopologyFixture t) {
        t.config.create(new Tenant("t", "t"));
        t.config.create(new Vpc("v", "t", "v"));
        t.config.create(new Subnet("s", "v", "s", IPv4AddressWithMask.of("10.0.0.0/24"), IPv4Address.of("10.0.0.1")));
        for (int i = 1; i <= 3; i++) {
            t.config.create(new Host("h" + i, "h" + i, DatapathId.of(i), "s" + i + "-eth3", MacAddress.of(0x0200_0000_0100L + i),
                    IPv4Address.of("192.168.0." + i), UnderlayMode.L2, null));
        }
        t.config.create(new Endpoint("e1", "e1", "v", "s", E1_MAC, IPv4Address.of("10.0.0.11"), "h1", "s1-eth1",
                List.of()));
        t.config.create(new Endpoint("e2", "e2", "v", "s", MacAddress.of("02:00:00:00:00:e2"),
                IPv4Address.of("10.0.0.12"), "h2", "s2-eth2", List.of()));
    }

    private static byte[] frameFrom(MacAddress src) {
        byte[] frame = new byte[60];
        System.arraycopy(MacAddress.BROADCAST.getBytes(), 0, frame, 0, 6);
        System.arraycopy(src.getBytes(), 0, frame, 6, 6);
        frame[12] = 0x08;
        frame[13] = 0x06;
        return frame;
    }

    @Test
    void endpointsAreAttachedByPortNameAndConfirmedByTheirPackets() throws Exception {
        try (TopologyFixture t = new TopologyFixture(dir, 0)) {
            declare(t);
            var controller = t.server.listenAddress().orElseThrow();
            EmulatedSwitch s1 = t.emulator.connect(controller, SwitchProfile.of(1, OFVersion.OF_13, 3));
            t.emulator.connect(controller, SwitchProfile.of(2, OFVersion.OF_10, 3));
            await(() -> t.topology.attachments().size() == 2, WAIT, "both endpoints attached");
            Attachment e1 = t.topology.attachment("e1").orElseThrow();
            assertEquals(DatapathId.of(1), e1.dpid());
            assertEquals(OFPort.of(1), e1.port());
            assertNull(e1.confirmedAt());
            assertEquals(OFPort.of(2), t.topology.attachment("e2").orElseThrow().port());
            assertTrue(t.topology.isHostUp("h1"));
            assertFalse(t.topology.isHostUp("h3"));

            s1.sendPacketIn(1, frameFrom(MacAddress.of("02:00:00:00:00:99"))); // someone else's MAC: no
            s1.sendPacketIn(2, frameFrom(E1_MAC)); // the right MAC on the wrong port: no
            Thread.sleep(300);
            assertNull(t.topology.attachment("e1").orElseThrow().confirmedAt());
            s1.sendPacketIn(1, frameFrom(E1_MAC));
            await(() -> t.topology.attachment("e1").orElseThrow().confirmedAt() != null, WAIT, "confirmed");
            assertEquals("e1", t.topology.attachmentAt(DatapathId.of(1), OFPort.of(1)).orElseThrow().endpointId());

            s1.sendPortStatus(OFPortReason.DELETE, s1.portDesc(s1.factory(), 1, "s1-eth1"));
            await(() -> t.topology.attachment("e1").isEmpty(), WAIT, "detached when its port goes");
            t.config.delete(Endpoint.class, "e2");
            await(() -> t.topology.attachment("e2").isEmpty(), WAIT, "detached when deleted");
            s1.disconnect();
            await(() -> !t.topology.isHostUp("h1"), WAIT, "host down with its switch");
        }
    }

    @Test
    void anAttachmentCarriesTheEndpointAsDeclaredNow() throws Exception {
        try (TopologyFixture t = new TopologyFixture(dir, 0)) {
            declare(t);
            EmulatedSwitch s1 = t.emulator.connect(t.server.listenAddress().orElseThrow(),
                    SwitchProfile.of(1, OFVersion.OF_13, 3));
            await(() -> t.topology.attachment("e1").isPresent(), WAIT, "attached");
            assertEquals(E1_MAC, t.topology.attachmentAt(DatapathId.of(1), OFPort.of(1)).orElseThrow().endpoint().mac());
            s1.sendPacketIn(1, frameFrom(E1_MAC));
            await(() -> t.topology.attachment("e1").orElseThrow().confirmedAt() != null, WAIT, "confirmed");

            MacAddress moved = MacAddress.of("02:00:00:00:00:e9");
            Endpoint before = t.config.get(Endpoint.class, "e1").orElseThrow();
            t.config.update(new Endpoint("e1", "e1", "v", "s", moved, before.ip(), "h1", "s1-eth1", List.of()));
            // the classifier reads the sender's declaration from here: it must follow the change
            await(() -> moved.equals(t.topology.attachmentAt(DatapathId.of(1), OFPort.of(1)).orElseThrow()
                    .endpoint().mac()), WAIT, "the new declaration at the port");
            Attachment now = t.topology.attachment("e1").orElseThrow();
            assertEquals(moved, now.endpoint().mac());
            assertEquals("h1", now.hostId());
            assertTrue(now.confirmedAt() != null, "same port: the confirmation is kept");
        }
    }

    @Test
    void lldpFindsLinksBothWaysAndForgetsThemWhenUnplugged() throws Exception {
        try (TopologyFixture t = new TopologyFixture(dir, 0)) {
            var controller = t.server.listenAddress().orElseThrow();
            EmulatedSwitch s1 = t.emulator.connect(controller, SwitchProfile.of(1, OFVersion.OF_13, 3));
            EmulatedSwitch s2 = t.emulator.connect(controller, SwitchProfile.of(2, OFVersion.OF_10, 3));
            s1.ready().get(10, TimeUnit.SECONDS);
            s2.ready().get(10, TimeUnit.SECONDS);
            AtomicBoolean plugged = new AtomicBoolean(true);
            cable(s1, 3, s2, 2, plugged);
            cable(s2, 2, s1, 3, plugged);
            await(() -> links(t).equals(Set.of("1/3->2/2", "2/2->1/3")), WAIT, "links both ways: " + links(t));
            plugged.set(false);
            await(() -> t.topology.links().isEmpty(), WAIT, "links expire after three silent intervals");
        }
    }

    /** Emulates a cable: LLDP sent out of {@code from}'s port arrives as a PacketIn on {@code to}'s port. */
    private static void cable(EmulatedSwitch from, int fromPort, EmulatedSwitch to, int toPort, AtomicBoolean plugged) {
        from.observe(m -> {
            if (m instanceof OFPacketOut out && plugged.get() && out.getActions().stream()
                    .anyMatch(a -> a instanceof OFActionOutput o && o.getPort().getPortNumber() == fromPort)) {
                to.sendPacketIn(toPort, out.getData());
            }
        });
    }

    private static Set<String> links(TopologyFixture t) {
        return t.topology.links().stream()
                .map(l -> l.srcDpid().getLong() + "/" + l.srcPort() + "->" + l.dstDpid().getLong() + "/" + l.dstPort())
                .collect(Collectors.toSet());
    }

    @Test
    void lldpFramesRoundTripAndGarbageIsIgnored() {
        byte[] frame = Lldp.frame(DatapathId.of(0xabcdef), OFPort.of(42), MacAddress.of("02:00:00:00:00:01"));
        assertEquals(new Lldp.Origin(DatapathId.of(0xabcdef), OFPort.of(42)), Lldp.parse(frame).orElseThrow());
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = frame.clone();
            if (i % 2 == 0) {
                junk = java.util.Arrays.copyOf(junk, r.nextInt(junk.length + 1));
            }
            for (int k = 0; k < 1 + r.nextInt(4) && junk.length > 0; k++) {
                junk[r.nextInt(junk.length)] = (byte) r.nextInt(256);
            }
            Lldp.parse(junk); // never throws; anything unrecognizable is empty
        }
        assertTrue(Lldp.parse(new byte[0]).isEmpty());
        assertTrue(Lldp.parse(Map.of().toString().getBytes()).isEmpty());
    }
}
