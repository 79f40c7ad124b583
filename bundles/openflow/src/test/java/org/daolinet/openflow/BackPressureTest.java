package org.daolinet.openflow;

import static org.daolinet.openflow.ControllerFixture.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.emulator.EmulatedSwitch;
import org.daolinet.emulator.SwitchProfile;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * A switch that stops reading must not make the controller queue without limit: once its queue passes the
 * configured limit, sends are refused; everything accepted is delivered once it reads again.
 */
class BackPressureTest {

    private static final int LIMIT = 1 << 20;

    @Test
    void aSwitchThatStopsReadingGetsABoundedQueue() throws Exception {
        try (ControllerFixture c = new ControllerFixture("send.queue.limit.bytes", String.valueOf(LIMIT),
                "echo.interval.seconds", "30", "echo.timeout.seconds", "60")) {
            EmulatedSwitch emu = c.emulator.connect(c.address(), SwitchProfile.of(0x51, OFVersion.OF_13, 1));
            emu.ready().get(10, TimeUnit.SECONDS);
            await(() -> c.server.getSwitch(DatapathId.of(0x51)).isPresent(), Duration.ofSeconds(10), "up");
            OpenFlowSwitch sw = c.server.getSwitch(DatapathId.of(0x51)).orElseThrow();
            emu.pauseReading();

            OFPacketOut big = sw.factory().buildPacketOut()
                    .setBufferId(OFBufferId.NO_BUFFER)
                    .setInPort(OFPort.CONTROLLER)
                    .setActions(List.of(sw.factory().actions().output(OFPort.of(1), 0)))
                    .setData(new byte[60_000])
                    .build();
            int accepted = 0;
            int refused = 0;
            // 1,000 x 60 kB = 60 MB: far more than socket buffers plus the 1 MiB limit can hold
            for (int i = 0; i < 1000; i++) {
                if (sw.send(big)) {
                    accepted++;
                } else {
                    refused++;
                }
            }
            assertTrue(refused > 0, "sends refused once the queue was full (accepted " + accepted + ")");
            assertTrue(accepted < 400, "accepted " + accepted + " x 60 kB: the queue was not bounded");
            assertTrue(sw.isConnected(), "a slow switch is throttled, not dropped");

            emu.resumeReading();
            final int expected = accepted;
            await(() -> emu.received(OFType.PACKET_OUT) == expected, Duration.ofSeconds(20),
                    "all " + expected + " accepted PacketOuts delivered, got " + emu.received(OFType.PACKET_OUT));
            sw.barrier().get(5, TimeUnit.SECONDS);
            assertTrue(sw.send(big), "sends accepted again once the switch drained its queue");
            await(() -> emu.received(OFType.PACKET_OUT) == expected + 1, Duration.ofSeconds(10), "delivered");
        }
    }
}
