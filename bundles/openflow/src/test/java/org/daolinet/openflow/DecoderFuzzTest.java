package org.daolinet.openflow;

import static org.daolinet.openflow.ControllerFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.emulator.EmulatedSwitch;
import org.daolinet.emulator.SwitchProfile;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * Seeded fuzzing of everything a switch can send: random bytes before the handshake, and valid messages with
 * flipped bits, lying lengths, wrong versions and types after it. Whatever happens to each fuzzed connection,
 * the controller must stay up, a healthy switch must not notice, and nothing may leak.
 * Set {@code -Dfuzz.seed} to replay a run, {@code -Dfuzz.cases} to change its size.
 */
class DecoderFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261124L);
    private static final int CASES = Integer.getInteger("fuzz.cases", 3000);
    private static final int PARALLEL = 64;

    @Test
    void fuzzedConnectionsNeverHurtTheController() throws Exception {
        Random random = new Random(SEED);
        AtomicInteger closedByController = new AtomicInteger();
        AtomicInteger survived = new AtomicInteger();
        try (ControllerFixture c = new ControllerFixture()) {
            EmulatedSwitch healthy = c.emulator.connect(c.address(), SwitchProfile.of(0x600d, OFVersion.OF_13, 2));
            healthy.ready().get(10, TimeUnit.SECONDS);
            await(() -> c.server.getSwitch(DatapathId.of(0x600d)).isPresent(), Duration.ofSeconds(10), "healthy up");
            OpenFlowSwitch sentinel = c.server.getSwitch(DatapathId.of(0x600d)).orElseThrow();

            int rawCases = CASES / 4;
            for (int i = 0; i < rawCases; i++) {
                byte[] junk = new byte[1 + random.nextInt(i % 10 == 0 ? 70_000 : 300)];
                random.nextBytes(junk);
                if (random.nextBoolean()) {
                    junk[0] = (byte) (1 + random.nextInt(6)); // plausible version byte, to get past the first check
                }
                rawCase(c, junk);
            }
            sentinel.barrier().get(5, TimeUnit.SECONDS);

            long dpid = 0x10000;
            for (int batch = 0; batch < (CASES - rawCases) / PARALLEL; batch++) {
                List<CompletableFuture<Boolean>> running = new ArrayList<>();
                for (int j = 0; j < PARALLEL; j++) {
                    OFVersion v = random.nextBoolean() ? OFVersion.OF_13 : OFVersion.OF_10;
                    running.add(mutatedCase(c, SwitchProfile.of(dpid++, v, 2), new Random(random.nextLong())));
                }
                for (CompletableFuture<Boolean> f : running) {
                    (f.get(20, TimeUnit.SECONDS) ? closedByController : survived).incrementAndGet();
                }
                sentinel.barrier().get(5, TimeUnit.SECONDS);
            }

            assertTrue(healthy.isConnected(), "healthy switch stayed connected");
            assertTrue(closedByController.get() > 0 && survived.get() > 0,
                    "fuzzing reached both outcomes: closed " + closedByController + ", survived " + survived);
            await(() -> c.server.connectionCount() == 1, Duration.ofSeconds(15),
                    "all fuzzed connections released, " + c.server.connectionCount() + " open");
            assertEquals(List.of(DatapathId.of(0x600d)), c.server.switches().stream().map(OpenFlowSwitch::id).toList());

            EmulatedSwitch late = c.emulator.connect(c.address(), SwitchProfile.of(0x1a7e, OFVersion.OF_13, 1));
            late.ready().get(10, TimeUnit.SECONDS);
            await(() -> c.server.getSwitch(DatapathId.of(0x1a7e)).isPresent(), Duration.ofSeconds(10),
                    "a new switch still connects after the fuzzing");
        }
        if (LeakRecorder.installed()) {
            assertEquals(List.of(), LeakRecorder.leaks(), "Netty buffer leaks");
        }
    }

    private static void rawCase(ControllerFixture c, byte[] junk) throws Exception {
        try (Socket s = new Socket(c.address().getAddress(), c.address().getPort())) {
            s.setSoTimeout(2000);
            try {
                s.getOutputStream().write(junk);
                // then hang up, as a dying peer would: the case ends when the controller has dealt with both
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                while (in.read(new byte[1024]) >= 0) {
                    // drain until the controller closes or the short timeout ends the case
                }
            } catch (java.io.IOException e) {
                // closed or reset by the controller: an accepted outcome
            }
        }
    }

    /** Completes with true if the controller closed the connection, false if it survived the message. */
    private static CompletableFuture<Boolean> mutatedCase(ControllerFixture c, SwitchProfile profile, Random r) {
        EmulatedSwitch emu = c.emulator.connect(c.address(), profile);
        return emu.ready().thenCompose(t -> {
            byte[] bytes = mutate(EmulatedSwitch.encode(sample(emu, r)), r);
            emu.sendRaw(bytes);
            // an echo afterwards tells whether the stream is still in step; a closed connection says it was not
            emu.send(emu.factory().buildEchoRequest().setXid(77).build());
            CompletableFuture<Boolean> outcome = new CompletableFuture<>();
            emu.observe(m -> {
                if (m.getType() == OFType.ECHO_REPLY && m.getXid() == 77) {
                    outcome.complete(false);
                }
            });
            emu.closed().thenRun(() -> outcome.complete(true));
            return outcome.completeOnTimeout(false, 100, TimeUnit.MILLISECONDS);
        }).whenComplete((closed, e) -> emu.disconnect()).exceptionally(e -> true);
    }

    private static OFMessage sample(EmulatedSwitch emu, Random r) {
        OFFactory f = emu.factory();
        byte[] frame = new byte[14 + r.nextInt(200)];
        r.nextBytes(frame);
        return switch (r.nextInt(6)) {
            case 0 -> emu.packetIn(1 + r.nextInt(2), frame);
            case 1 -> f.buildPortStatus().setReason(OFPortReason.MODIFY).setDesc(emu.portDesc(f, 1, "p1")).build();
            case 2 -> f.buildEchoRequest().setXid(r.nextInt()).setData(frame).build();
            case 3 -> f.buildFeaturesReply().setXid(r.nextInt()).setDatapathId(DatapathId.of(r.nextLong())).build();
            case 4 -> f.errorMsgs().buildBadRequestErrorMsg().setXid(r.nextInt())
                    .setCode(org.projectfloodlight.openflow.protocol.OFBadRequestCode.BAD_LEN).build();
            default -> f.buildBarrierReply().setXid(r.nextInt()).build();
        };
    }

    private static byte[] mutate(byte[] msg, Random r) {
        byte[] out = msg.clone();
        switch (r.nextInt(6)) {
            case 0 -> { // flip a few bits anywhere
                for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                    out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> { // length field lies, shorter or longer
                int len = r.nextInt(0x10000);
                out[2] = (byte) (len >> 8);
                out[3] = (byte) len;
            }
            case 2 -> out[0] = (byte) r.nextInt(256); // version
            case 3 -> out[1] = (byte) r.nextInt(256); // type
            case 4 -> { // truncated, with the length fixed up to match: a well-framed but short body
                out = java.util.Arrays.copyOf(out, 8 + r.nextInt(Math.max(1, out.length - 8)));
                out[2] = (byte) (out.length >> 8);
                out[3] = (byte) out.length;
            }
            default -> { // random body behind a valid header
                for (int i = 8; i < out.length; i++) {
                    out[i] = (byte) r.nextInt(256);
                }
            }
        }
        return out;
    }
}
