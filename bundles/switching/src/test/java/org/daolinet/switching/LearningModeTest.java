package org.daolinet.switching;

import static org.daolinet.switching.DatapathFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.daolinet.emulator.EmulatedSwitch;
import org.daolinet.emulator.SwitchEmulator;
import org.daolinet.emulator.SwitchProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * {@code mode=learning}: with no network declared, the controller is a plain L2 learning switch, over OpenFlow 1.0
 * (what the classic controller benchmarks speak): unknown destinations are flooded, learned ones get a flow.
 */
class LearningModeTest {

    @TempDir
    Path dir;

    @Test
    void floodsUnknownAndInstallsAFlowForLearnedDestinations() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MacAddress a = MacAddress.of("02:00:00:00:00:0a");
        MacAddress b = MacAddress.of("02:00:00:00:00:0b");
        try (DatapathFixture controller = new DatapathFixture(dir, port, 7, "learning");
                SwitchEmulator emulator = new SwitchEmulator(1, null)) {
            EmulatedSwitch sw = emulator.connect(new InetSocketAddress("127.0.0.1", port),
                    SwitchProfile.of(0x10, OFVersion.OF_10, 4));
            List<OFMessage> seen = new CopyOnWriteArrayList<>();
            sw.observe(m -> {
                // LLDP probes of the topology service leave from the controller port: not the pipeline's
                if (m instanceof OFPacketOut po && !po.getInPort().equals(OFPort.CONTROLLER) || m instanceof OFFlowAdd) {
                    seen.add(m);
                }
            });
            sw.ready().get(10, TimeUnit.SECONDS);

            sw.sendPacketIn(1, frame(a, b));
            await(() -> seen.size() == 1, Duration.ofSeconds(5), "a flood for the unknown destination");
            OFPacketOut flood = (OFPacketOut) seen.get(0);
            assertEquals(OFPort.FLOOD, ((OFActionOutput) flood.getActions().get(0)).getPort());

            sw.sendPacketIn(2, frame(b, a));
            await(() -> seen.size() == 3, Duration.ofSeconds(5), "a flow and the packet for the learned destination");
            OFFlowAdd flow = (OFFlowAdd) seen.get(1);
            assertEquals(OFPort.of(2), flow.getMatch().get(MatchField.IN_PORT));
            assertEquals(b, flow.getMatch().get(MatchField.ETH_SRC));
            assertEquals(a, flow.getMatch().get(MatchField.ETH_DST));
            assertEquals(7, flow.getIdleTimeout());
            assertEquals(List.of(OFPort.of(1)), flow.getActions().stream()
                    .map(x -> ((OFActionOutput) x).getPort()).toList());
            assertTrue(seen.get(2) instanceof OFPacketOut, "the packet follows its flow");
        }
    }

    private static byte[] frame(MacAddress src, MacAddress dst) {
        ByteBuffer f = ByteBuffer.allocate(60);
        f.put(dst.getBytes()).put(src.getBytes()).putShort((short) 0x0800);
        f.put((byte) 0x45).put((byte) 0).putShort((short) 46).putInt(0).put((byte) 64).put((byte) 17)
                .putShort((short) 0).put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        f.putShort((short) 1234).putShort((short) 53).putShort((short) 26).putShort((short) 0);
        return f.array();
    }
}
