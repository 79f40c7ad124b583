package org.daolinet.openflow;

import static org.daolinet.openflow.ControllerFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.daolinet.api.openflow.OpenFlowErrorException;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.openflow.PacketInListener;
import org.daolinet.api.openflow.SwitchDisconnectedException;
import org.daolinet.emulator.EmulatedSwitch;
import org.daolinet.emulator.SwitchProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

class OpenFlowServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static OpenFlowSwitch awaitSwitch(ControllerFixture c, long dpid) throws InterruptedException {
        await(() -> c.server.getSwitch(DatapathId.of(dpid)).isPresent(), WAIT, "switch " + dpid + " registered");
        return c.server.getSwitch(DatapathId.of(dpid)).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void handshakeRegistersTheSwitchWithItsPorts(OFVersion version) throws Exception {
        try (ControllerFixture c = new ControllerFixture()) {
            EmulatedSwitch emu = c.emulator.connect(c.address(), SwitchProfile.of(0x42, version, 4));
            emu.ready().get(10, TimeUnit.SECONDS);
            OpenFlowSwitch sw = awaitSwitch(c, 0x42);

            assertEquals(version, sw.version());
            assertEquals(List.of("s42-eth1", "s42-eth2", "s42-eth3", "s42-eth4"),
                    sw.ports().stream().map(p -> p.getName()).toList());
            assertEquals("s42-eth3", sw.port(OFPort.of(3)).orElseThrow().getName());
            assertEquals(1, emu.received(OFType.SET_CONFIG));
            // 1.3 needs an explicit table-miss flow; under 1.0 it would turn every PacketIn reason into ACTION
            assertEquals(version == OFVersion.OF_13 ? 1 : 0, emu.received(OFType.FLOW_MOD));
            await(() -> !c.events.isEmpty(), WAIT, "listener told");
            assertEquals(List.of("added " + DatapathId.of(0x42)), List.copyOf(c.events));
            assertTrue(sw.isConnected());
        }
    }

    @Test
    void negotiatesTheHighestCommonVersion() throws Exception {
        try (ControllerFixture both = new ControllerFixture();
             ControllerFixture onlyTen = new ControllerFixture("versions", "1.0")) {
            Set<OFVersion> offers = Set.of(OFVersion.OF_10, OFVersion.OF_13);
            both.emulator.connect(both.address(), new SwitchProfile(DatapathId.of(1), offers, 1));
            onlyTen.emulator.connect(onlyTen.address(), new SwitchProfile(DatapathId.of(2), offers, 1));
            assertEquals(OFVersion.OF_13, awaitSwitch(both, 1).version());
            assertEquals(OFVersion.OF_10, awaitSwitch(onlyTen, 2).version());
        }
    }

    @Test
    void refusesASwitchWithNoCommonVersion() throws Exception {
        try (ControllerFixture c = new ControllerFixture("versions", "1.0")) {
            EmulatedSwitch emu = c.emulator.connect(c.address(), SwitchProfile.of(3, OFVersion.OF_14, 1));
            emu.closed().get(10, TimeUnit.SECONDS);
            assertTrue(c.server.switches().isEmpty());
            assertEquals(1, emu.received(OFType.ERROR), "HELLO_FAILED error sent before closing");
        }
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void deliversPacketInsAndPortChangesToListeners(OFVersion version) throws Exception {
        try (ControllerFixture c = new ControllerFixture()) {
            EmulatedSwitch emu = c.emulator.connect(c.address(), SwitchProfile.of(7, version, 2));
            emu.ready().get(10, TimeUnit.SECONDS);
            OpenFlowSwitch sw = awaitSwitch(c, 7);

            byte[] frame = new byte[60];
            frame[0] = (byte) 0xff;
            emu.sendPacketIn(2, frame);
            await(() -> c.packetIns.size() == 1, WAIT, "PacketIn delivered");
            assertEquals(60, c.packetIns.get(0).getData().length);

            emu.sendPortStatus(OFPortReason.ADD, emu.portDesc(emu.factory(), 9, "new9"));
            await(() -> sw.port("new9").isPresent(), WAIT, "new port seen");
            emu.sendPortStatus(OFPortReason.DELETE, emu.portDesc(emu.factory(), 1, "s7-eth1"));
            await(() -> sw.port(OFPort.of(1)).isEmpty(), WAIT, "deleted port gone");
            assertEquals(2, c.portChanges.size());
        }
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void requestsGetTheirRepliesAndErrors(OFVersion version) throws Exception {
        try (ControllerFixture c = new ControllerFixture()) {
            c.emulator.connect(c.address(), SwitchProfile.of(8, version, 1));
            OpenFlowSwitch sw = awaitSwitch(c, 8);

            sw.barrier().get(5, TimeUnit.SECONDS);
            List<OFFlowStatsReply> flows = sw.requestStats(sw.factory().buildFlowStatsRequest().build())
                    .get(5, TimeUnit.SECONDS);
            assertEquals(1, flows.size());

            ExecutionException refused = assertThrows(ExecutionException.class, () -> sw.requestStats(
                    sw.factory().buildTableStatsRequest().build()).get(5, TimeUnit.SECONDS));
            assertInstanceOf(OpenFlowErrorException.class, refused.getCause());

            assertEquals(OFControllerRole.ROLE_MASTER, sw.requestRole(OFControllerRole.ROLE_MASTER)
                    .get(5, TimeUnit.SECONDS));
            assertEquals(OFControllerRole.ROLE_MASTER, sw.role());
            assertEquals(OFControllerRole.ROLE_SLAVE, sw.requestRole(OFControllerRole.ROLE_SLAVE)
                    .get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void configuredRoleIsRequestedDuringTheHandshake() throws Exception {
        try (ControllerFixture c = new ControllerFixture("role", "slave")) {
            EmulatedSwitch emu = c.emulator.connect(c.address(), SwitchProfile.of(9, OFVersion.OF_13, 1));
            OpenFlowSwitch sw = awaitSwitch(c, 9);
            assertEquals(OFControllerRole.ROLE_SLAVE, sw.role());
            assertEquals(OFControllerRole.ROLE_SLAVE, emu.role());
        }
    }

    @Test
    void confirmedSendsCompleteOnTheBarrierTimeOutWithoutItAndFailOnceDisconnected() throws Exception {
        try (ControllerFixture c = new ControllerFixture("request.timeout.seconds", "1")) {
            EmulatedSwitch emu = c.emulator.connect(c.address(), SwitchProfile.of(20, OFVersion.OF_13, 2));
            OpenFlowSwitch sw = awaitSwitch(c, 20);
            OFFactory f = sw.factory();
            OFFlowAdd flow = f.buildFlowAdd().setPriority(7)
                    .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build()).build();
            long before = emu.received(OFType.FLOW_MOD);
            sw.sendConfirmed(List.of(flow, flow)).get(5, TimeUnit.SECONDS);
            assertEquals(before + 2, emu.received(OFType.FLOW_MOD), "both flows were read before the barrier");

            emu.pauseReading();
            long t0 = System.nanoTime();
            ExecutionException late = assertThrows(ExecutionException.class,
                    () -> sw.sendConfirmed(List.of(flow)).get(5, TimeUnit.SECONDS));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertInstanceOf(TimeoutException.class, late.getCause());
            assertTrue(millis >= 900 && millis < 3000, "timed out after " + millis + " ms, configured 1 s");

            emu.resumeReading();
            emu.disconnect();
            await(() -> !sw.isConnected(), WAIT, "switch gone");
            ExecutionException gone = assertThrows(ExecutionException.class,
                    () -> sw.sendConfirmed(List.of(flow)).get(5, TimeUnit.SECONDS));
            assertInstanceOf(SwitchDisconnectedException.class, gone.getCause());
            ExecutionException goneToo = assertThrows(ExecutionException.class,
                    () -> sw.barrier().get(5, TimeUnit.SECONDS));
            assertInstanceOf(SwitchDisconnectedException.class, goneToo.getCause());
        }
    }

    /**
     * Answers given while a burst of PacketIns is read leave in one buffer at the end of the read (SwitchConnection's
     * burst output); what users rely on is that nothing is lost or reordered, barriers included.
     */
    @Test
    void answersToABurstOfPacketInsArriveComplete_inOrder_withTheirBarriers() throws Exception {
        try (ControllerFixture c = new ControllerFixture()) {
            EmulatedSwitch emu = c.emulator.connect(c.address(), SwitchProfile.of(21, OFVersion.OF_13, 2));
            OpenFlowSwitch sw = awaitSwitch(c, 21);
            OFFactory f = sw.factory();
            List<CompletableFuture<Void>> confirmed = new CopyOnWriteArrayList<>();
            c.server.addPacketInListener((PacketInListener) (from, pi) -> {
                int seq = pi.getData()[0] & 0xff;
                OFFlowAdd flow = f.buildFlowAdd().setCookie(U64.of(seq)).setPriority(7)
                        .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build()).build();
                OFPacketOut out = f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                        .setActions(List.of(f.actions().output(OFPort.of(2), 0xffff))).setData(pi.getData()).build();
                from.send(List.of(flow, out));
                if (seq % 5 == 0) {
                    confirmed.add(from.sendConfirmed(List.of(flow)));
                }
            });
            List<String> seen = new CopyOnWriteArrayList<>();
            emu.observe(m -> {
                if (m instanceof OFFlowAdd fa) {
                    seen.add("flow " + fa.getCookie().getValue());
                } else if (m instanceof OFPacketOut po) {
                    seen.add("out " + (po.getData()[0] & 0xff));
                } else if (m.getType() == OFType.BARRIER_REQUEST) {
                    seen.add("barrier");
                }
            });
            int burst = 200;
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            List<String> expected = new ArrayList<>();
            for (int seq = 0; seq < burst; seq++) {
                byte[] frame = new byte[60];
                frame[0] = (byte) seq;
                all.write(EmulatedSwitch.encode(emu.packetIn(1, frame)));
                expected.add("flow " + seq);
                expected.add("out " + seq);
                if (seq % 5 == 0) {
                    expected.add("flow " + seq);
                    expected.add("barrier");
                }
            }
            emu.sendRaw(all.toByteArray()); // one write: the controller reads the PacketIns in a few bursts at most

            await(() -> seen.size() >= expected.size(), WAIT, expected.size() + " messages received");
            assertEquals(expected, List.copyOf(seen));
            assertEquals(burst / 5, confirmed.size());
            for (CompletableFuture<Void> done : confirmed) {
                done.get(5, TimeUnit.SECONDS);
            }
            assertTrue(sw.isConnected());
        }
    }

    @Test
    void aSilentSwitchIsDropped() throws Exception {
        try (ControllerFixture c = new ControllerFixture("echo.interval.seconds", "1", "echo.timeout.seconds", "2")) {
            EmulatedSwitch emu = c.emulator.connect(c.address(), SwitchProfile.of(10, OFVersion.OF_13, 1));
            awaitSwitch(c, 10);
            emu.muteEcho();
            emu.closed().get(6, TimeUnit.SECONDS);
            await(() -> c.events.size() == 2, WAIT, "silent switch removed");
            assertEquals(List.of("added " + DatapathId.of(10), "removed " + DatapathId.of(10)), List.copyOf(c.events));
        }
    }

    @Test
    void anAnsweringSwitchIsKeptAliveByEcho() throws Exception {
        try (ControllerFixture c = new ControllerFixture("echo.interval.seconds", "1", "echo.timeout.seconds", "2")) {
            EmulatedSwitch emu = c.emulator.connect(c.address(), SwitchProfile.of(11, OFVersion.OF_10, 1));
            awaitSwitch(c, 11);
            Thread.sleep(3500);
            assertTrue(emu.isConnected());
            assertTrue(emu.received(OFType.ECHO_REQUEST) >= 2, "echo requests: " + emu.received(OFType.ECHO_REQUEST));
        }
    }

    @Test
    void aSecondConnectionCannotKickALiveSwitchOff() throws Exception {
        try (ControllerFixture c = new ControllerFixture("duplicate.probe.timeout.seconds", "1")) {
            EmulatedSwitch real = c.emulator.connect(c.address(), SwitchProfile.of(12, OFVersion.OF_13, 1));
            awaitSwitch(c, 12);
            EmulatedSwitch rogue = c.emulator.connect(c.address(), SwitchProfile.of(12, OFVersion.OF_13, 1));
            rogue.closed().get(10, TimeUnit.SECONDS);
            assertTrue(real.isConnected());
            assertEquals(real.dpid(), c.server.getSwitch(DatapathId.of(12)).orElseThrow().id());
            assertEquals(List.of("added " + DatapathId.of(12)), List.copyOf(c.events));
        }
    }

    @Test
    void aReconnectingSwitchReplacesItsDeadConnection() throws Exception {
        try (ControllerFixture c = new ControllerFixture("duplicate.probe.timeout.seconds", "1")) {
            EmulatedSwitch hung = c.emulator.connect(c.address(), SwitchProfile.of(13, OFVersion.OF_13, 1));
            OpenFlowSwitch first = awaitSwitch(c, 13);
            hung.muteEcho(); // like a switch that rebooted without closing its TCP connection
            EmulatedSwitch fresh = c.emulator.connect(c.address(), SwitchProfile.of(13, OFVersion.OF_13, 1));
            fresh.ready().get(10, TimeUnit.SECONDS);
            await(() -> c.server.getSwitch(DatapathId.of(13)).map(s -> s != first).orElse(false), WAIT,
                    "new connection registered");
            hung.closed().get(5, TimeUnit.SECONDS);
            assertTrue(fresh.isConnected());
            assertFalse(first.isConnected());
            String id = DatapathId.of(13).toString();
            await(() -> c.events.size() == 3, WAIT, "replacement announced");
            assertEquals(List.of("added " + id, "removed " + id, "added " + id), List.copyOf(c.events));
        }
    }

    @Test
    void reconnectAfterDisconnect() throws Exception {
        try (ControllerFixture c = new ControllerFixture()) {
            EmulatedSwitch emu = c.emulator.connect(c.address(), SwitchProfile.of(14, OFVersion.OF_13, 1));
            awaitSwitch(c, 14);
            emu.disconnect();
            await(() -> c.server.switches().isEmpty(), WAIT, "switch removed after disconnect");
            c.emulator.connect(c.address(), SwitchProfile.of(14, OFVersion.OF_10, 1));
            assertEquals(OFVersion.OF_10, awaitSwitch(c, 14).version());
            await(() -> c.server.connectionCount() == 1, WAIT, "old channel released");
        }
    }

    @Test
    void configurationChangesRebindWithoutRestart() throws Exception {
        try (ControllerFixture c = new ControllerFixture()) {
            int before = c.address().getPort();
            c.server.modified(Map.of("address", "127.0.0.1", "port", "0", "echo.interval.seconds", "2"));
            int after = c.address().getPort();
            assertTrue(before != after, "rebound to a new ephemeral port");
            c.emulator.connect(c.address(), SwitchProfile.of(15, OFVersion.OF_13, 1));
            awaitSwitch(c, 15);

            // a bad value is refused and the running server keeps going
            c.server.modified(Map.of("address", "127.0.0.1", "port", "not-a-port"));
            assertEquals(after, c.address().getPort());
            assertTrue(c.server.getSwitch(DatapathId.of(15)).orElseThrow().isConnected());
        }
    }

    @Test
    void stoppingTheServerLeavesNoThreadsOrConnections() throws Exception {
        ControllerFixture c = new ControllerFixture();
        c.emulator.connect(c.address(), SwitchProfile.of(17, OFVersion.OF_13, 1));
        awaitSwitch(c, 17);
        c.server.modified(Map.of("address", "127.0.0.1", "port", "0", "echo.interval.seconds", "3"));
        c.close();
        assertEquals(0, c.server.connectionCount());
        assertTrue(c.server.listenAddress().isEmpty());
        await(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("daolinet-of-")), WAIT, "I/O threads ended");
    }

    @Test
    void badSettingsNameTheKeyAtFault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.parse(Map.of("port", "70000")));
        assertEquals("port: 70000 is outside 0..65535", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerSettings.parse(Map.of("versions", "1.4")))
                .getMessage().startsWith("versions: '1.4'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerSettings.parse(Map.of("role", "boss")))
                .getMessage().startsWith("role: 'boss'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerSettings.parse(
                Map.of("echo.interval.seconds", "10", "echo.timeout.seconds", "5"))).getMessage()
                .startsWith("echo.timeout.seconds"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerSettings.parse(
                Map.of("tls.enabled", "true"))).getMessage().startsWith("tls.keystore"));
        assertEquals("io.threads: -1 is outside 0..1024", assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.parse(Map.of("io.threads", "-1"))).getMessage());
        assertEquals(3, ServerSettings.parse(Map.of("io.threads", "3")).ioThreadCount());
        assertEquals(Runtime.getRuntime().availableProcessors(), ServerSettings.defaults().ioThreadCount());
    }

    @Test
    void sendsAfterDisconnectAreRefusedNotQueued() throws Exception {
        try (ControllerFixture c = new ControllerFixture()) {
            EmulatedSwitch emu = c.emulator.connect(c.address(), SwitchProfile.of(16, OFVersion.OF_13, 1));
            OpenFlowSwitch sw = awaitSwitch(c, 16);
            emu.disconnect();
            await(() -> !sw.isConnected(), WAIT, "disconnect seen");
            assertFalse(sw.send(sw.factory().barrierRequest()));
            ExecutionException e = assertThrows(ExecutionException.class, () -> sw.barrier().get(5, TimeUnit.SECONDS));
            assertInstanceOf(org.daolinet.api.openflow.SwitchDisconnectedException.class, e.getCause());
        }
    }
}
