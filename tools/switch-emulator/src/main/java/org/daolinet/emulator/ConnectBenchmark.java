package org.daolinet.emulator;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.projectfloodlight.openflow.protocol.OFVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures connect-to-ready: N emulated switches connect at once to a running controller, and each is timed
 * from the start of its TCP connect to the controller's handshake barrier (the moment the controller
 * announces the switch). Reports, per round, the time until all N were ready and the median and worst switch.
 *
 * <pre>java -cp ... org.daolinet.emulator.ConnectBenchmark HOST PORT SWITCHES [ROUNDS] [1.0|1.3]</pre>
 */
public final class ConnectBenchmark {

    private static final Logger log = LoggerFactory.getLogger(ConnectBenchmark.class);

    private ConnectBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            log.error("usage: ConnectBenchmark HOST PORT SWITCHES [ROUNDS] [1.0|1.3]");
            System.exit(2);
        }
        InetSocketAddress controller = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        OFVersion version = args.length > 4 && args[4].equals("1.0") ? OFVersion.OF_10 : OFVersion.OF_13;
        List<Double> allReady = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            try (SwitchEmulator emulator = new SwitchEmulator()) {
                long start = System.nanoTime();
                List<EmulatedSwitch> switches = emulator.connectMany(controller, count, 0x1000L * round, Set.of(version),
                        4, 0);
                CompletableFuture.allOf(switches.stream().map(EmulatedSwitch::ready).toArray(CompletableFuture[]::new))
                        .get(120, TimeUnit.SECONDS);
                double allMs = (System.nanoTime() - start) / 1e6;
                List<Duration> each = new ArrayList<>();
                for (EmulatedSwitch sw : switches) {
                    each.add(sw.ready().get());
                }
                Collections.sort(each);
                allReady.add(allMs);
                log.info(String.format("round %d: %d switches (OpenFlow %s) all ready in %.1f ms; per switch median "
                        + "%.2f ms, max %.2f ms", round, count, version, allMs, each.get(each.size() / 2).toNanos() / 1e6,
                        each.get(each.size() - 1).toNanos() / 1e6));
            }
            Thread.sleep(500); // let the controller notice the disconnects before the next round
        }
        Collections.sort(allReady);
        log.info(String.format("%d switches: all ready in median %.1f ms (min %.1f, max %.1f) over %d rounds", count,
                allReady.get(allReady.size() / 2), allReady.get(0), allReady.get(allReady.size() - 1), rounds));
    }
}
