package org.daolinet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import org.daolinet.switching.DatapathFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * A few seconds of the benchmark against the real controller (in this JVM, wired as the launcher wires it) and
 * against the trivial responder, in both modes: it must count answered PacketIns and see no errors. Not a
 * measurement: the figures come from side-by-side.sh.
 */
class BenchSmokeTest {

    @TempDir
    Path dir;

    private static Bench.Settings settings(int port, Bench.Mode mode, OFVersion version, Bench.Scenario scenario,
            VpcLayout layout) {
        return new Bench.Settings(new InetSocketAddress("127.0.0.1", port), layout.connectedHosts(), mode, version,
                scenario, 2, 0.5, 0.5, 16, layout, 100, ProcessHandle.current().pid(), false, 200, 1, List.of());
    }

    private static void answered(Bench.Result r) {
        assertEquals(0, r.errors(), r.humanLines());
        assertTrue(r.min() > 0, "every round answered PacketIns: " + r.humanLines());
        assertTrue(r.packetOutsPerSecond() > 0 && r.rssKiB() > 0, r.humanLines());
        // the tool sent and counted all those packets: it used CPU, and no more than the machine has
        assertTrue(r.toolCpuPercent() > 0 && r.toolCpuPercent() <= 100.0 * Runtime.getRuntime().availableProcessors()
                + 5, r.humanLines());
    }

    @Test
    @Timeout(20)
    void learningAndVpcBothModes() throws Exception {
        VpcLayout layout = new VpcLayout(2, 200, 2, 1, 2, 500);
        try (DatapathFixture learning = BenchController.start(dir.resolve("l.mv.db"), 0, "learning")) {
            for (Bench.Mode mode : Bench.Mode.values()) {
                Bench.Result r = Bench.run(settings(BenchController.port(learning), mode, OFVersion.OF_10, Bench.Scenario.LEARNING,
                        layout));
                answered(r);
                if (mode == Bench.Mode.LATENCY) {
                    assertEquals(0, r.lost(), "one outstanding PacketIn is always answered: " + r.humanLines());
                }
            }
        }
        try (DatapathFixture vpc = BenchController.start(dir.resolve("v.mv.db"), 0, "vpc")) {
            BenchController.declare(vpc.config, layout);
            BenchController.awaitApplied(vpc, BenchController.objects(layout), 10_000);
            for (Bench.Mode mode : Bench.Mode.values()) {
                Bench.Result r = Bench.run(settings(BenchController.port(vpc), mode, OFVersion.OF_13, Bench.Scenario.VPC, layout));
                answered(r);
                // same-host connections get 2 flows, cross-host ones 4: every answer came with its flows
                assertTrue(r.flowModsPerSecond() >= 2 * r.median() * 0.9, r.humanLines());
            }
        }
    }

    @Test
    @Timeout(10)
    void trivialResponderAnswersEveryPacketIn() throws Exception {
        try (TrivialResponder responder = new TrivialResponder(0)) {
            Bench.Result r = Bench.run(settings(responder.port(), Bench.Mode.LATENCY, OFVersion.OF_13,
                    Bench.Scenario.LEARNING, new VpcLayout(1, 10, 1, 1, 1, 500)));
            answered(r);
            assertEquals(0, r.lost(), r.humanLines());
        }
    }

    @Test
    @Timeout(20)
    void controllersMeasuredTogetherEachCountTheirOwnAnswers() throws Exception {
        VpcLayout layout = new VpcLayout(2, 200, 2, 1, 2, 500);
        try (DatapathFixture learning = BenchController.start(dir.resolve("t.mv.db"), 0, "learning");
                TrivialResponder responder = new TrivialResponder(0)) {
            Bench.Settings alone = settings(BenchController.port(learning), Bench.Mode.LATENCY, OFVersion.OF_10,
                    Bench.Scenario.LEARNING, layout);
            InetSocketAddress trivial = new InetSocketAddress("127.0.0.1", responder.port());
            Bench.Settings together = new Bench.Settings(alone.controller(), alone.switches(), alone.mode(),
                    alone.version(), alone.scenario(), 2, 0.5, 0.5, alone.window(), layout, alone.macsPerSwitch(),
                    alone.pid(), false, alone.connectsPerSecond(), 1, List.of(trivial));
            List<Bench.Result> results = Bench.runAll(together);
            assertEquals(2, results.size());
            assertEquals(alone.controller(), results.get(0).controller());
            assertEquals(trivial, results.get(1).controller());
            for (Bench.Result r : results) {
                assertEquals(0, r.errors(), r.humanLines());
                assertEquals(0, r.lost(), r.humanLines());
                assertEquals(2, r.answeredPerSecond().size(), r.humanLines());
                assertTrue(r.min() > 0, "every round of every controller answered PacketIns: " + r.humanLines());
            }
            // the trivial responder sends a FlowMod with every PacketOut; the learning switch floods the first
            // packets of hosts it has not learned yet: the counts are each controller's own
            assertTrue(results.get(1).flowModsPerSecond() >= results.get(1).packetOutsPerSecond() * 0.99,
                    results.get(1).humanLines());
            assertTrue(results.get(0).machineLine().contains("controller=127.0.0.1:" + alone.controller().getPort()),
                    results.get(0).machineLine());
        }
    }
}
