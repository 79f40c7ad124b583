package org.daolinet.openflow;

import static org.daolinet.openflow.ControllerFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.emulator.EmulatedSwitch;
import org.daolinet.emulator.SwitchProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * Bad bytes from one connection close that connection, with a reason in the log, and nothing else: a healthy
 * switch on the same controller keeps working, and no channel or buffer is left behind.
 */
class MalformedInputTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private ControllerFixture controller;
    private EmulatedSwitch healthy;

    @BeforeEach
    void start() throws Exception {
        controller = new ControllerFixture();
        healthy = controller.emulator.connect(controller.address(), SwitchProfile.of(0x600d, OFVersion.OF_13, 2));
        healthy.ready().get(10, TimeUnit.SECONDS);
        await(() -> controller.server.getSwitch(DatapathId.of(0x600d)).isPresent(), WAIT, "healthy switch up");
    }

    @AfterEach
    void stop() throws Exception {
        OpenFlowSwitch sw = controller.server.getSwitch(DatapathId.of(0x600d)).orElseThrow();
        sw.barrier().get(5, TimeUnit.SECONDS);
        assertTrue(healthy.isConnected(), "the healthy switch was not disturbed");
        await(() -> controller.server.connectionCount() == 1, WAIT,
                "only the healthy connection is left (" + controller.server.connectionCount() + ")");
        controller.close();
        if (LeakRecorder.installed()) {
            assertEquals(List.of(), LeakRecorder.leaks(), "Netty buffer leaks");
        }
    }

    /** Sends bytes on a raw TCP connection and reports whether the controller closed it within 5 s. */
    private boolean closedAfter(byte[] bytes) throws IOException {
        try (Socket s = new Socket(controller.address().getAddress(), controller.address().getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] sink = new byte[4096];
            try {
                while (in.read(sink) >= 0) {
                    // the controller's HELLO and any error it sends before closing
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the controller
            }
        }
    }

    private static byte[] hello13() {
        return EmulatedSwitch.encode(OFFactories.getFactory(OFVersion.OF_13).hello(List.of()));
    }

    @Test
    void aMessageBeforeHelloCloses() throws IOException {
        OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
        assertTrue(closedAfter(EmulatedSwitch.encode(f.buildFeaturesRequest().setXid(1).build())));
    }

    @Test
    void anUnknownVersionCloses() throws IOException {
        byte[] hello = hello13();
        hello[0] = 0x2a;
        assertTrue(closedAfter(hello));
    }

    @Test
    void aLengthShorterThanTheHeaderCloses() throws IOException {
        byte[] hello = hello13();
        hello[2] = 0;
        hello[3] = 4;
        assertTrue(closedAfter(hello));
    }

    @Test
    void aLengthThatLiesAboutTheBodyCloses() throws Exception {
        EmulatedSwitch emu = controller.emulator.connect(controller.address(), SwitchProfile.of(0xbad1, OFVersion.OF_13, 1));
        emu.ready().get(10, TimeUnit.SECONDS);
        byte[] echo = EmulatedSwitch.encode(emu.factory().buildEchoRequest().setXid(5).setData(new byte[16]).build());
        // a FEATURES_REPLY whose length covers only part of its fixed body
        byte[] features = EmulatedSwitch.encode(emu.factory().buildFeaturesReply().setXid(6)
                .setDatapathId(DatapathId.of(1)).build());
        features[3] = 16;
        byte[] both = new byte[features.length + echo.length];
        System.arraycopy(features, 0, both, 0, features.length);
        System.arraycopy(echo, 0, both, features.length, echo.length);
        emu.sendRaw(both);
        emu.closed().get(5, TimeUnit.SECONDS);
    }

    @Test
    void sixtyFourKibOfRandomBytesClose() throws IOException {
        byte[] junk = new byte[64 * 1024];
        new Random(64).nextBytes(junk);
        junk[0] = 0x04; // even one that starts like OpenFlow 1.3
        assertTrue(closedAfter(junk));
    }

    @Test
    void aTruncatedMessageThenHangupLeavesNothingBehind() throws IOException {
        byte[] hello = hello13();
        try (Socket s = new Socket(controller.address().getAddress(), controller.address().getPort())) {
            s.getOutputStream().write(hello, 0, 5);
        }
    }

    @Test
    void aSwitchThatNeverFinishesTheHandshakeIsClosed() throws Exception {
        controller.close();
        controller = new ControllerFixture("handshake.timeout.seconds", "1");
        healthy = controller.emulator.connect(controller.address(), SwitchProfile.of(0x600d, OFVersion.OF_13, 2));
        healthy.ready().get(10, TimeUnit.SECONDS);
        await(() -> controller.server.getSwitch(DatapathId.of(0x600d)).isPresent(), WAIT, "healthy switch up");
        assertTrue(closedAfter(hello13()), "a HELLO and then silence: closed by the handshake timeout");
    }
}
