package org.daolinet.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.management.OperatingSystemMXBean;
import org.daolinet.emulator.EmulatedSwitch;
import org.daolinet.emulator.SwitchEmulator;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * The flow-setup benchmark: N emulated switches connect to a controller and send PacketIns, and the controller's
 * answers are counted per second, in throughput mode (up to {@code window} PacketIns outstanding per switch) or
 * latency mode (exactly one), over several rounds. Several controllers can be measured in one run, each by its own
 * set of switches, taking turns round by round: what the machine does meanwhile (on a small VM its speed moves by
 * ~20% for seconds at a time) then weighs on all of them alike, and their ratio holds. See {@link #main(String[])}
 * for the command line and README ("Benchmarks") for how to run it against DaoliNet, ovs-testcontroller and the
 * trivial responder side by side.
 */
public final class Bench {

    /** What to measure. */
    public enum Mode { THROUGHPUT, LATENCY }

    /** What the PacketIns look like. */
    public enum Scenario { LEARNING, VPC }

    /**
     * @param window outstanding PacketIns per switch in throughput mode
     * @param macsPerSwitch learning scenario: how many hosts (MACs) each switch has behind its ports
     * @param pid the controller's process id for RSS (0: not measured)
     * @param javaHeap also ask the controller JVM (jcmd) for its heap used after a full GC, at the end
     * @param alsoMeasured more controllers measured in the same run, in turn with {@code controller} round by
     *        round, each with the same settings ({@code pid} is {@code controller}'s)
     */
    public record Settings(InetSocketAddress controller, int switches, Mode mode, OFVersion version,
            Scenario scenario, int rounds, double roundSeconds, double warmupSeconds, int window, VpcLayout layout,
            int macsPerSwitch, long pid, boolean javaHeap, int connectsPerSecond, int ioThreads,
            List<InetSocketAddress> alsoMeasured) {

        public Settings {
            alsoMeasured = List.copyOf(alsoMeasured);
        }

        String describe() {
            return String.format(Locale.ROOT, "%s %s OF%s %d switch(es)%s, %d x %.1f s (warm-up %.1f s)",
                    scenario.name().toLowerCase(Locale.ROOT), mode.name().toLowerCase(Locale.ROOT),
                    version == OFVersion.OF_10 ? "1.0" : "1.3", switches,
                    mode == Mode.THROUGHPUT ? " window " + window : "", rounds, roundSeconds, warmupSeconds);
        }
    }

    /**
     * @param answeredPerSecond PacketIns answered per second, one entry per round, in the order they ran (a
     *        controller still warming up shows as a rising sequence)
     * @param rssKiB the controller's resident set at the end (0: unknown)
     * @param heapUsedKiB the controller's heap used after a full GC at the end (-1: unknown)
     * @param errors switches that failed to connect or were disconnected during the run
     * @param toolCpuPercent this tool's own CPU time during the controller's median round, in % of one core: near
     *        100% (with one event loop) the tool, not the controller, set the pace of that round
     */
    public record Result(Settings settings, InetSocketAddress controller, List<Double> answeredPerSecond,
            double flowModsPerSecond, double packetOutsPerSecond, long lost, long rssKiB, long heapUsedKiB,
            int errors, double toolCpuPercent) {

        public double min() {
            return Collections.min(answeredPerSecond);
        }

        public double median() {
            List<Double> sorted = answeredPerSecond.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }

        public double max() {
            return Collections.max(answeredPerSecond);
        }

        /** One line the side-by-side script parses. */
        public String machineLine() {
            return String.format(Locale.ROOT, "RESULT controller=%s:%d scenario=%s mode=%s of=%s switches=%d "
                    + "min=%.0f median=%.0f max=%.0f flowmods=%.0f packetouts=%.0f lost=%d rss_kib=%d heap_kib=%d "
                    + "errors=%d tool_cpu=%.0f", controller.getHostString(), controller.getPort(), settings.scenario().name().toLowerCase(Locale.ROOT), settings.mode().name().toLowerCase(Locale.ROOT),
                    settings.version() == OFVersion.OF_10 ? "1.0" : "1.3", settings.switches(), min(), median(), max(),
                    flowModsPerSecond, packetOutsPerSecond, lost, rssKiB, heapUsedKiB, errors, toolCpuPercent);
        }

        public String humanLines() {
            StringBuilder sb = new StringBuilder();
            sb.append(settings.describe()).append(", controller ").append(controller.getHostString()).append(':')
                    .append(controller.getPort()).append('\n');
            sb.append(String.format(Locale.ROOT, "  PacketIns answered/s: min %.0f  median %.0f  max %.0f   (rounds in order: %s)%n",
                    min(), median(), max(), answeredPerSecond.stream().map(d -> String.format(Locale.ROOT, "%.0f", d))
                            .toList()));
            sb.append(String.format(Locale.ROOT, "  replies/s (median round): FlowMod %.0f, PacketOut %.0f; lost %d; "
                    + "errors %d%n", flowModsPerSecond, packetOutsPerSecond, lost, errors));
            sb.append(String.format(Locale.ROOT, "  this tool: %.0f%% of a core in the median round%s%n", toolCpuPercent,
                    toolCpuPercent >= 90 * settings.ioThreads() ? " (the tool, not the controller, may set the pace)"
                            : ""));
            sb.append(String.format(Locale.ROOT, "  controller: RSS %s, heap used after GC %s%n",
                    rssKiB > 0 ? (rssKiB / 1024) + " MiB" : "n/a", heapUsedKiB >= 0 ? (heapUsedKiB / 1024) + " MiB" : "n/a"));
            return sb.toString();
        }
    }

    private Bench() {
    }

    /** Measures {@code s.controller()} alone, or first of the controllers measured together. */
    public static Result run(Settings s) throws Exception {
        return runAll(s).get(0);
    }

    /** One result per controller: {@code s.controller()} first, then {@code s.alsoMeasured()} in order. */
    public static List<Result> runAll(Settings s) throws Exception {
        List<InetSocketAddress> targets = new ArrayList<>();
        targets.add(s.controller());
        targets.addAll(s.alsoMeasured());
        try (SwitchEmulator emulator = new SwitchEmulator(s.ioThreads(), null)) {
            Map<EmulatedSwitch, SwitchDriver> drivers = Collections.synchronizedMap(new IdentityHashMap<>());
            int window = s.mode() == Mode.LATENCY ? 1 : s.window();
            emulator.setFrontHandler(sw -> {
                SwitchDriver d = new SwitchDriver(sw, window);
                drivers.put(sw, d);
                return d;
            });
            int ports = s.scenario() == Scenario.VPC ? s.layout().portsPerHost() : 16;
            List<List<EmulatedSwitch>> switches = new ArrayList<>();
            List<List<SwitchDriver>> live = new ArrayList<>();
            for (InetSocketAddress target : targets) {
                List<EmulatedSwitch> set = emulator.connectMany(target, s.switches(), VpcLayout.FIRST_DPID,
                        Set.of(s.version()), ports, s.connectsPerSecond());
                awaitHandshakes(set);
                List<SwitchDriver> ready = new ArrayList<>();
                for (EmulatedSwitch sw : set) {
                    SwitchDriver d = drivers.get(sw);
                    if (d != null && sw.isConnected() && sw.version() != null) {
                        ready.add(d);
                    }
                }
                if (ready.isEmpty()) {
                    throw new IllegalStateException("no switch completed its handshake with " + target);
                }
                switches.add(set);
                live.add(ready);
            }
            for (List<SwitchDriver> set : live) {
                Random random = new Random(42); // every controller gets the same PacketIns
                for (SwitchDriver d : set) {
                    d.load(frames(s, d.emulatedSwitch(), random));
                }
            }
            // the tool's own CPU per round: on a 2-core machine it shares the cores with the controller it measures
            OperatingSystemMXBean cpu = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            List<List<double[]>> rounds = new ArrayList<>();
            targets.forEach(t -> rounds.add(new ArrayList<>()));
            boolean alone = targets.size() == 1;
            if (alone) {
                start(live.get(0));
                sleep(s.warmupSeconds());
            } else {
                for (int t = 0; t < targets.size(); t++) {
                    start(live.get(t));
                    sleep(s.warmupSeconds());
                    stop(live.get(t));
                }
            }
            for (int r = 0; r < s.rounds(); r++) {
                for (int t = 0; t < targets.size(); t++) {
                    if (!alone) {
                        start(live.get(t));
                    }
                    long[] before = totals(live.get(t));
                    long cpu0 = cpu.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    sleep(s.roundSeconds());
                    long[] after = totals(live.get(t));
                    long cpuNanos = cpu.getProcessCpuTime() - cpu0;
                    long nanos = System.nanoTime() - t0;
                    double secs = nanos / 1e9;
                    rounds.get(t).add(new double[] {(after[0] - before[0]) / secs, (after[1] - before[1]) / secs,
                            (after[2] - before[2]) / secs, 100.0 * cpuNanos / nanos});
                    if (!alone) {
                        stop(live.get(t));
                    }
                }
            }
            live.forEach(Bench::stop);
            List<Result> results = new ArrayList<>();
            for (int t = 0; t < targets.size(); t++) {
                // switches that never connected or were disconnected along the way, each counted once
                int errors = (int) switches.get(t).stream().filter(sw -> !sw.isConnected()).count();
                long lost = live.get(t).stream().mapToLong(d -> d.lost).sum();
                List<double[]> mine = new ArrayList<>(rounds.get(t));
                List<Double> perSecond = mine.stream().map(r -> r[0]).toList();
                mine.sort((a, b) -> Double.compare(a[0], b[0]));
                double[] medianRound = mine.get(mine.size() / 2);
                boolean first = t == 0;
                long rss = first && s.pid() > 0 ? rssKiB(s.pid()) : 0;
                long heap = first && s.pid() > 0 && s.javaHeap() ? heapUsedAfterGcKiB(s.pid()) : -1;
                results.add(new Result(s, targets.get(t), perSecond, medianRound[1], medianRound[2], lost, rss, heap,
                        errors, medianRound[3]));
            }
            return results;
        }
    }

    private static void start(List<SwitchDriver> set) {
        set.forEach(SwitchDriver::start);
    }

    /** Stops a set of switches and gives their last answers time to arrive, outside any round. */
    private static void stop(List<SwitchDriver> set) {
        set.forEach(SwitchDriver::stop);
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until every switch got its FEATURES_REQUEST and, where the controller sends one, its barrier. */
    private static void awaitHandshakes(List<EmulatedSwitch> switches) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            long pending = switches.stream().filter(sw -> !sw.closed().isDone()
                    && sw.received(OFType.FEATURES_REQUEST) == 0).count();
            if (pending == 0) {
                break;
            }
            Thread.sleep(20);
        }
        // DaoliNet ends its handshake with a barrier and only then takes PacketIns; others send none
        long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        while (System.nanoTime() < settle && switches.stream().anyMatch(sw -> !sw.ready().isDone())) {
            Thread.sleep(20);
        }
        Thread.sleep(200);
    }

    private static long[] totals(List<SwitchDriver> drivers) {
        long[] t = new long[3];
        for (SwitchDriver d : drivers) {
            t[0] += d.answered;
            t[1] += d.flowMods;
            t[2] += d.packetOuts;
        }
        return t;
    }

    private static final int FRAMES_PER_SWITCH = 512;

    /** The switch's PacketIns, encoded once in its negotiated version. */
    static byte[][] frames(Settings s, EmulatedSwitch sw, Random random) {
        int index = (int) (sw.dpid().getLong() - VpcLayout.FIRST_DPID);
        byte[][] out = new byte[FRAMES_PER_SWITCH][];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.scenario() == Scenario.VPC ? vpcPacketIn(s.layout(), sw, index, random)
                    : learningPacketIn(s.macsPerSwitch(), sw, index, random, i);
        }
        return out;
    }

    /**
     * Like cbench: hosts behind the switch's ports, each frame from a random one to another random one (never
     * behind the same port, which a learning switch answers with a drop instead of a PacketOut).
     */
    private static byte[] learningPacketIn(int macs, EmulatedSwitch sw, int index, Random random, int seq) {
        int ports = sw.profile().portCount();
        int a = random.nextInt(macs);
        int b = random.nextInt(macs);
        while (b % ports == a % ports) {
            b = random.nextInt(macs);
        }
        long base = 0x0200_0000_0000L | (long) index << 24;
        return EmulatedSwitch.encode(sw.packetIn(1 + a % ports, Frames.udp(base | a, base | b, seq)));
    }

    /** A TCP SYN from an endpoint on this host to another endpoint of its subnet, here or on a connected host. */
    private static byte[] vpcPacketIn(VpcLayout l, EmulatedSwitch sw, int host, Random random) {
        int onHost = l.endpointsOn(host);
        if (onHost == 0) {
            throw new IllegalArgumentException("host " + host + " has no endpoints: declare more endpoints");
        }
        int src = l.endpointOn(host, random.nextInt(onHost));
        int dst = -1;
        boolean cross = random.nextBoolean();
        for (int attempt = 0; attempt < 200 && dst < 0; attempt++) {
            int perSubnet = (l.endpoints() - l.subnetOf(src) + l.subnets() - 1) / l.subnets();
            int candidate = l.subnetOf(src) + random.nextInt(perSubnet) * l.subnets();
            int h = l.hostOf(candidate);
            if (candidate != src && h < l.connectedHosts() && (cross == (h != host) || attempt > 100)) {
                dst = candidate;
            }
        }
        if (dst < 0) {
            throw new IllegalArgumentException("endpoint " + src + " has no peer in its subnet on a connected host");
        }
        byte[] frame = Frames.tcpSyn(VpcLayout.mac(src), VpcLayout.mac(dst), l.ip(src), l.ip(dst),
                1024 + random.nextInt(60000), 80);
        return EmulatedSwitch.encode(sw.packetIn(l.portOf(src), frame));
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** A heap space's line of {@code GC.heap_info}: one for G1, young and old generation for the parallel GC. */
    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

    /** Heap used after a full GC, from {@code jcmd PID GC.run} and {@code GC.heap_info}. */
    static long heapUsedAfterGcKiB(long pid) {
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            run(jcmd, Long.toString(pid), "GC.run");
            return heapUsedKiB(run(jcmd, Long.toString(pid), "GC.heap_info"));
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The heap used that {@code jcmd GC.heap_info} reports, summed over its spaces; -1 if it names none. */
    static long heapUsedKiB(String heapInfo) {
        Matcher m = USED.matcher(heapInfo);
        long used = -1;
        while (m.find()) {
            used = Math.max(used, 0) + Long.parseLong(m.group(1));
        }
        return used;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    // ---- command line ----------------------------------------------------------------------------------------

    static final String USAGE = """
            usage: Bench [--controller HOST:PORT] [--switches N] [--mode throughput|latency] [--of 1.0|1.3]
                         [--scenario learning|vpc] [--rounds R] [--seconds S] [--warmup S] [--window W]
                         [--endpoints E] [--layout SPEC] [--macs M] [--pid PID] [--java] [--connect-rate N]
                         [--io-threads N] [--also HOST:PORT]...
              --also measures one more controller in the same run: each controller gets its own switches, and
              the controllers take turns, one round each, so that the machine's ups and downs reach them alike.
              --layout must match the controller's (BenchController prints it); --java asks the controller JVM
              for its heap after a full GC (jcmd) at the end. --io-threads: the tool's own event loops, 1 in
              throughput mode and 2 in latency mode unless given; side-by-side.sh gives the tool and every Java
              controller the same count (IO_THREADS, 1 by default).""";

    public static Settings parse(String[] args) {
        InetSocketAddress controller = new InetSocketAddress("127.0.0.1", 6653);
        int switches = 16;
        Mode mode = Mode.THROUGHPUT;
        OFVersion version = OFVersion.OF_10;
        Scenario scenario = Scenario.LEARNING;
        int rounds = 5;
        double seconds = 3;
        double warmup = 2;
        int window = 64;
        int endpoints = 5000;
        String layout = null;
        int macs = 1000;
        long pid = 0;
        boolean java = false;
        int rate = 200;
        int io = 0;
        List<InetSocketAddress> also = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--java" -> java = true;
                case "--controller" -> controller = address(args[++i]);
                case "--also" -> also.add(address(args[++i]));
                case "--switches" -> switches = Integer.parseInt(args[++i]);
                case "--mode" -> mode = Mode.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--of" -> version = args[++i].equals("1.0") ? OFVersion.OF_10 : OFVersion.OF_13;
                case "--scenario" -> scenario = Scenario.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--endpoints" -> endpoints = Integer.parseInt(args[++i]);
                case "--layout" -> layout = args[++i];
                case "--macs" -> macs = Integer.parseInt(args[++i]);
                case "--pid" -> pid = Long.parseLong(args[++i]);
                case "--connect-rate" -> rate = Integer.parseInt(args[++i]);
                case "--io-threads" -> io = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'\n" + USAGE);
            }
        }
        VpcLayout l = layout != null ? VpcLayout.parse(layout) : VpcLayout.of(switches, endpoints);
        if (scenario == Scenario.VPC && l.connectedHosts() != switches) {
            throw new IllegalArgumentException("--layout has " + l.connectedHosts() + " connected hosts but --switches "
                    + switches);
        }
        return new Settings(controller, switches, mode, version, scenario, rounds, seconds, warmup, window, l, macs,
                pid, java, rate, io > 0 ? io : mode == Mode.LATENCY ? 2 : 1, also);
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not HOST:PORT: '" + hostPort + "'");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Runs one benchmark and prints its result; exits 1 if nothing was answered or a switch failed. */
    public static void main(String[] args) throws Exception {
        Settings s;
        try {
            s = parse(args);
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        List<Result> results = runAll(s);
        boolean ok = true;
        for (Result r : results) {
            System.out.print(r.humanLines());
            System.out.println(r.machineLine());
            ok &= r.median() > 0 && r.errors() == 0;
        }
        System.exit(ok ? 0 : 1);
    }
}
