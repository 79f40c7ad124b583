package org.daolinet.ovslab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Open vSwitch for one test: its own ovsdb-server and ovs-vswitchd (userspace datapath, so no kernel
 * module is needed) with all state under a temporary folder, plus the bridges, veth cables and network
 * namespaces the test asks for. {@link #close()} removes every one of them, even after a failed test.
 *
 * <p>Names of links and namespaces are global to the machine, so each lab prefixes them with a random tag.
 */
public final class OvsLab implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OvsLab.class);
    private static final long COMMAND_TIMEOUT_SECONDS = 30;
    private static final File NO_INPUT = new File("/dev/null");

    private final Path dir;
    private final String tag;
    private final Map<String, String> env = new HashMap<>();
    private final Deque<List<String>> cleanup = new ArrayDeque<>();
    private final Deque<Process> processes = new ArrayDeque<>();
    private int started;
    private boolean closed;

    private OvsLab(Path dir) {
        this.dir = dir;
        this.tag = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        env.put("OVS_RUNDIR", dir.resolve("run").toString());
        env.put("OVS_LOGDIR", dir.resolve("log").toString());
        env.put("OVS_DBDIR", dir.resolve("db").toString());
        env.put("OVS_SYSCONFDIR", dir.resolve("etc").toString());
    }

    /**
     * Why end-to-end tests cannot run here, or empty if they can: they need root (namespaces, veths) and the
     * Open vSwitch and iproute2 commands.
     */
    public static Optional<String> unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return Optional.of("end-to-end tests need Linux");
        }
        try {
            String uid = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8).trim();
            if (!uid.equals("0")) {
                return Optional.of("end-to-end tests need root (network namespaces, veth pairs); uid is " + uid);
            }
        } catch (IOException e) {
            return Optional.of("cannot tell the user id: " + e.getMessage());
        }
        for (String tool : List.of("ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl", "ovsdb-tool", "ip")) {
            if (which(tool).isEmpty()) {
                return Optional.of("'" + tool + "' is not installed (apt-get install openvswitch-switch iproute2)");
            }
        }
        return Optional.empty();
    }

    /**
     * For tests: why to skip (logged loudly), or empty to run. Under CI ({@code -Ddaolinet.ci=true}, set from
     * {@code CI=true}) missing prerequisites are an error instead, so that a CI run cannot pass by skipping.
     */
    public static Optional<String> skipReason() {
        Optional<String> missing = unavailableReason();
        if (missing.isPresent()) {
            if (Boolean.parseBoolean(System.getProperty("daolinet.ci"))) {
                throw new IllegalStateException("CI must run the Open vSwitch end-to-end tests, but " + missing.get());
            }
            log.warn("**** SKIPPING Open vSwitch end-to-end tests: {} ****", missing.get());
            return Optional.of("SKIPPED end-to-end test: " + missing.get());
        }
        return Optional.empty();
    }

    private static Optional<Path> which(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            for (String dirName : List.of(d, "/usr/sbin", "/sbin")) {
                Path p = Path.of(dirName, tool);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Starts ovsdb-server and ovs-vswitchd with their state in a new temporary folder. */
    public static OvsLab start() throws IOException, InterruptedException {
        OvsLab lab = new OvsLab(Files.createTempDirectory("daolinet-ovs-"));
        try {
            lab.startDaemons();
        } catch (IOException | InterruptedException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void startDaemons() throws IOException, InterruptedException {
        for (String sub : List.of("run", "log", "db", "etc")) {
            Files.createDirectories(dir.resolve(sub));
        }
        String db = dir.resolve("db/conf.db").toString();
        run("ovsdb-tool", "create", db, "/usr/share/openvswitch/vswitch.ovsschema");
        run("ovsdb-server", db, "--remote=punix:" + dir.resolve("run/db.sock"), "--pidfile", "--detach",
                "--log-file");
        cleanup.push(List.of("ovs-appctl", "-t", "ovsdb-server", "exit"));
        run("ovs-vsctl", "--no-wait", "init");
        run("ovs-vswitchd", "--pidfile", "--detach", "--log-file");
        cleanup.push(List.of("ovs-appctl", "-t", "ovs-vswitchd", "exit", "--cleanup"));
    }

    /** A machine-unique name for a link or namespace: at most 15 characters, as Linux requires. */
    public String name(String base) {
        String n = "d" + tag + base;
        if (n.length() > 15) {
            throw new IllegalArgumentException("name too long for a Linux interface: " + n);
        }
        return n;
    }

    /**
     * Adds a bridge on the userspace datapath that forwards nothing without its controller.
     *
     * @param protocols e.g. {@code OpenFlow13} or {@code OpenFlow10,OpenFlow13}
     * @param controller e.g. {@code tcp:127.0.0.1:6653}
     */
    public String addBridge(String base, long dpid, String protocols, String controller)
            throws IOException, InterruptedException {
        String br = name(base);
        run("ovs-vsctl", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev", "fail_mode=secure",
                "protocols=" + protocols, String.format("other-config:datapath-id=%016x", dpid),
                "--", "set-controller", br, controller);
        cleanup.push(List.of("ovs-vsctl", "--if-exists", "del-br", br));
        // 1 s reconnect attempts once a connection has been up, so restarts are noticed quickly
        run("ovs-vsctl", "set", "controller", br, "max_backoff=1000", "inactivity_probe=5000");
        return br;
    }

    /**
     * Adds a veth pair; one end becomes port {@code ofport} of the bridge, the other end stays in the root
     * namespace (down) unless moved elsewhere. Returns the bridge-side name.
     */
    public String addVethPort(String bridge, String base, int ofport) throws IOException, InterruptedException {
        String bridgeSide = name(base);
        String peer = name(base + "p");
        run("ip", "link", "add", bridgeSide, "type", "veth", "peer", "name", peer);
        cleanup.push(List.of("ip", "link", "del", bridgeSide));
        run("ip", "link", "set", bridgeSide, "up");
        run("ip", "link", "set", peer, "up");
        run("ovs-vsctl", "add-port", bridge, bridgeSide, "--", "set", "interface", bridgeSide,
                "ofport_request=" + ofport);
        return bridgeSide;
    }

    /** Joins two bridges with a veth cable: port {@code portA} of {@code bridgeA} to {@code portB} of {@code bridgeB}. */
    public void addCable(String bridgeA, String baseA, int portA, String bridgeB, String baseB, int portB)
            throws IOException, InterruptedException {
        String a = name(baseA);
        String b = name(baseB);
        run("ip", "link", "add", a, "type", "veth", "peer", "name", b);
        cleanup.push(List.of("ip", "link", "del", a));
        run("ip", "link", "set", a, "up");
        run("ip", "link", "set", b, "up");
        run("ovs-vsctl", "add-port", bridgeA, a, "--", "set", "interface", a, "ofport_request=" + portA);
        run("ovs-vsctl", "add-port", bridgeB, b, "--", "set", "interface", b, "ofport_request=" + portB);
    }

    /**
     * Adds a Linux bridge standing for an L2 underlay segment between hosts. It is told to forward LLDP, which a
     * Linux bridge drops by default, so that the controller sees links across the segment.
     */
    public String addLinuxBridge(String base) throws IOException, InterruptedException {
        String br = name(base);
        int mark = cleanup.size();
        try {
            run("ip", "link", "add", br, "type", "bridge");
            cleanup.push(List.of("ip", "link", "del", br));
            Files.writeString(Path.of("/sys/class/net", br, "bridge", "group_fwd_mask"), "16384");
            quiet(br);
            run("ip", "link", "set", br, "up");
        } catch (IOException | InterruptedException | RuntimeException e) {
            undo(mark);
            throw e;
        }
        return br;
    }

    /**
     * Plugs a bridge into an underlay segment: a veth pair, one end port {@code ofport} of the OVS bridge, the other
     * end a port of the Linux bridge. Returns the OVS-side name (a host's underlay port).
     */
    public String addUplink(String ovsBridge, String linuxBridge, String base, int ofport)
            throws IOException, InterruptedException {
        String ovsSide = name(base);
        String segmentSide = name(base + "p");
        int mark = cleanup.size();
        try {
            run("ip", "link", "add", ovsSide, "type", "veth", "peer", "name", segmentSide);
            cleanup.push(List.of("ip", "link", "del", ovsSide));
            run("ovs-vsctl", "add-port", ovsBridge, ovsSide, "--", "set", "interface", ovsSide,
                    "ofport_request=" + ofport);
            cleanup.push(List.of("ovs-vsctl", "--if-exists", "del-port", ovsBridge, ovsSide));
            run("ip", "link", "set", segmentSide, "master", linuxBridge);
            quiet(ovsSide);
            run("ip", "link", "set", ovsSide, "up");
            run("ip", "link", "set", segmentSide, "up");
        } catch (IOException | InterruptedException | RuntimeException e) {
            undo(mark);
            throw e;
        }
        return ovsSide;
    }

    /**
     * Keeps the root namespace's own stack from answering ARP on a lab interface for addresses it does not hold:
     * the hosts' underlay addresses all live in the root namespace, and by default Linux answers for any of them
     * on any interface that hears the question (a Linux bridge, the OVS side of an uplink, which the userspace
     * datapath leaves to the kernel as well).
     */
    private void quiet(String ifname) throws IOException, InterruptedException {
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf", ifname, "arp_ignore"), "1");
    }

    /** The MAC address of an interface in the root namespace, e.g. an uplink's, to declare as a host's underlay MAC. */
    public String mac(String ifname) throws IOException {
        return Files.readString(Path.of("/sys/class/net", ifname, "address")).trim();
    }

    /** The MAC address of an interface inside a namespace ({@code ip netns exec} mounts the namespace's own /sys). */
    public String mac(String ns, String ifname) throws IOException, InterruptedException {
        return exec(ns, "cat", "/sys/class/net/" + ifname + "/address").trim();
    }

    /**
     * Adds a container: a network namespace whose {@code eth0} (with this MAC and address, e.g. {@code 10.0.0.10/24})
     * is cabled to port {@code ofport} of the bridge; the bridge side is named {@code name(portBase)}. Returns the
     * namespace's name. Nothing of it is left behind if a step fails.
     */
    public String addNamespace(String base, String ovsBridge, String portBase, int ofport, String mac, String cidr)
            throws IOException, InterruptedException {
        String ns = name(base);
        String port = name(portBase);
        int mark = cleanup.size();
        try {
            run("ip", "netns", "add", ns);
            cleanup.push(List.of("ip", "netns", "del", ns));
            // the inner end is born inside the namespace: no temporary name in the root namespace to clash with
            run("ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
            cleanup.push(List.of("ip", "link", "del", port));
            run("ovs-vsctl", "add-port", ovsBridge, port, "--", "set", "interface", port, "ofport_request=" + ofport);
            cleanup.push(List.of("ovs-vsctl", "--if-exists", "del-port", ovsBridge, port));
            quiet(port);
            run("ip", "link", "set", port, "up");
            run("ip", "-n", ns, "link", "set", "eth0", "address", mac);
            run("ip", "-n", ns, "addr", "add", cidr, "dev", "eth0");
            run("ip", "-n", ns, "link", "set", "eth0", "up");
            run("ip", "-n", ns, "link", "set", "lo", "up");
            // with checksum offload on, every TCP segment and UDP datagram is dropped by the userspace datapath
            exec(ns, "ethtool", "-K", "eth0", "tx", "off");
        } catch (IOException | InterruptedException | RuntimeException e) {
            undo(mark);
            throw e;
        }
        return ns;
    }

    /** Sets (or replaces) the namespace's default route, for traffic leaving its subnet. */
    public void setDefaultRoute(String ns, String gatewayIp) throws IOException, InterruptedException {
        run("ip", "-n", ns, "route", "replace", "default", "via", gatewayIp);
    }

    /** Runs a command inside a namespace; returns stdout, or throws with stderr on failure. */
    public String exec(String ns, String... command) throws IOException, InterruptedException {
        return run(inNamespace(ns, command));
    }

    /**
     * Whether at least one of {@code count} pings from the namespace is answered, each waited for at most
     * {@code timeoutSeconds}. Failure is an answer here, not an error: tests check blocked paths too.
     */
    public boolean ping(String ns, String ip, int count, double timeoutSeconds) throws InterruptedException {
        try {
            exec(ns, "ping", "-n", "-q", "-c", String.valueOf(count), "-i", "0.2", "-W",
                    String.format(Locale.ROOT, "%.3f", timeoutSeconds), ip);
            return true;
        } catch (IOException e) {
            log.debug("ping {} -> {} failed: {}", ns, ip, e.getMessage());
            return false;
        }
    }

    /**
     * ICMP echo requests the namespace's kernel has received so far ({@code InEchos} of /proc/net/snmp): who got a
     * ping, when several containers have the same address.
     */
    public long echoRequestsReceived(String ns) throws IOException, InterruptedException {
        List<String> lines = exec(ns, "cat", "/proc/net/snmp").lines().filter(l -> l.startsWith("Icmp:")).toList();
        String[] names = lines.get(0).split("\\s+");
        String[] values = lines.get(1).split("\\s+");
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals("InEchos")) {
                return Long.parseLong(values[i]);
            }
        }
        throw new IOException("no InEchos in /proc/net/snmp of " + ns);
    }

    /**
     * Whether a ping from {@code fromNs} to {@code ip} reaches the kernel of {@code toNs}: counted at the target,
     * not by the echo, because several containers (of different tenants) may hold the address.
     */
    public boolean pingReaches(String fromNs, String toNs, String ip) throws IOException, InterruptedException {
        long before = echoRequestsReceived(toNs);
        ping(fromNs, ip, 2, 1);
        return echoRequestsReceived(toNs) > before;
    }

    /** A check from one container to another: true when it passed. */
    @FunctionalInterface
    public interface PairCheck<T> {
        boolean test(T from, T to) throws Exception;
    }

    /**
     * Runs {@code check} from every container to every other one and lists the ordered pairs whose outcome is not
     * the {@code expected} one, as {@code "from->to passed"} or {@code "from->to failed"} in the words given: empty
     * when every pair behaved as expected.
     */
    public static <T> List<String> unexpectedPairs(List<T> containers, Function<T, String> name,
            BiPredicate<T, T> expected, PairCheck<T> check, String passed, String failed) throws Exception {
        List<String> unexpected = new ArrayList<>();
        for (T from : containers) {
            for (T to : containers) {
                if (from == to) {
                    continue;
                }
                boolean ok = check.test(from, to);
                if (ok != expected.test(from, to)) {
                    unexpected.add(name.apply(from) + "->" + name.apply(to) + " " + (ok ? passed : failed));
                }
            }
        }
        return unexpected;
    }

    /**
     * Starts a command in a namespace in the background, e.g. a server; its output goes to a file in the lab's
     * folder. {@link #close()} ends it first: a namespace with a process in it outlives {@code ip netns del}.
     */
    public Process startInNamespace(String ns, String... command) throws IOException {
        Path output = dir.resolve(ns + "-" + (++started) + ".out");
        return start(output, output, inNamespace(ns, command));
    }

    /**
     * Whether data crosses a TCP connection from {@code clientNs} to {@code serverIp:port}: a one-shot listener in
     * {@code serverNs} (on all its addresses, so {@code serverIp} may be a translated one) must receive exactly a
     * random token. Never throws for a failed transfer, and always ends the listener.
     */
    public boolean tcpTransfer(String serverNs, String clientNs, String serverIp, int port, int timeoutSeconds)
            throws IOException, InterruptedException {
        return transfer(false, serverNs, clientNs, serverIp, port, timeoutSeconds);
    }

    /**
     * As {@link #tcpTransfer}, over UDP. The token is sent again every 200 ms until it arrives or time is up, as a
     * datagram may be lost while a controller sets up the path.
     */
    public boolean udpTransfer(String serverNs, String clientNs, String serverIp, int port, int timeoutSeconds)
            throws IOException, InterruptedException {
        return transfer(true, serverNs, clientNs, serverIp, port, timeoutSeconds);
    }

    /**
     * Whether {@code bytes} random bytes cross a TCP connection from {@code clientNs} to {@code serverIp:port}
     * exactly, byte for byte, as {@link #tcpTransfer} checks a token.
     */
    public boolean tcpBulkTransfer(String serverNs, String clientNs, String serverIp, int port, int bytes,
            int timeoutSeconds) throws IOException, InterruptedException {
        byte[] payload = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(payload);
        return transfer(false, serverNs, clientNs, serverIp, port, timeoutSeconds, payload);
    }

    private boolean transfer(boolean udp, String serverNs, String clientNs, String serverIp, int port,
            int timeoutSeconds) throws IOException, InterruptedException {
        String token = String.format("daolinet-%016x", ThreadLocalRandom.current().nextLong());
        return transfer(udp, serverNs, clientNs, serverIp, port, timeoutSeconds,
                token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private boolean transfer(boolean udp, String serverNs, String clientNs, String serverIp, int port,
            int timeoutSeconds, byte[] payload) throws IOException, InterruptedException {
        String what = (udp ? "UDP " : "TCP ") + clientNs + " -> " + serverIp + ":" + port + " (" + serverNs + ")";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Path sent = Files.write(Files.createTempFile(dir, "sent", ".bin"), payload);
        Path received = Files.createTempFile(dir, "received", ".txt");
        Path serverErrors = Files.createTempFile(dir, "server-stderr", ".txt");
        String p = String.valueOf(port);
        // the TCP listener ends when the client closes; UDP has no end of stream, so -W 1 ends it after one datagram
        Process server = start(received, serverErrors, inNamespace(serverNs, udp
                ? new String[] {"nc", "-n", "-u", "-l", "-W", "1", p}
                : new String[] {"nc", "-n", "-l", p}));
        try {
            if (!awaitListener(server, serverNs, udp, port, deadline)) {
                log.debug("{}: no listener ({})", what, readLenient(serverErrors).trim());
                return false;
            }
            if (udp) {
                while (server.isAlive() && System.nanoTime() < deadline) {
                    send(sent, clientNs, "nc", "-n", "-u", "-w", "1", "-q", "0", serverIp, p);
                    server.waitFor(200, TimeUnit.MILLISECONDS);
                }
            } else if (send(sent, clientNs, "nc", "-n", "-N", "-w", String.valueOf(Math.max(1, timeoutSeconds)),
                    serverIp, p)) {
                // what the listener received is complete only once it has exited
                server.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            stop(server);
            byte[] got = Files.readAllBytes(received);
            boolean same = java.util.Arrays.equals(got, payload);
            if (!same) {
                log.debug("{}: sent {} bytes, received {} bytes{}", what, payload.length, got.length,
                        got.length == payload.length ? " that differ" : "");
            }
            return same;
        } finally {
            stop(server);
            processes.remove(server);
            for (Path f : List.of(sent, received, serverErrors)) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** nc gives no sign that it listens; {@code ss} in its namespace does. */
    private boolean awaitListener(Process server, String ns, boolean udp, int port, long deadline)
            throws InterruptedException {
        while (server.isAlive() && System.nanoTime() < deadline) {
            try {
                if (!exec(ns, "ss", "-H", udp ? "-uln" : "-tln", "sport = :" + port).isBlank()) {
                    return true;
                }
            } catch (IOException e) {
                log.debug("ss in {}: {}", ns, e.getMessage());
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Runs a client in a namespace with stdin from a file; false (logged) if it fails. */
    private boolean send(Path input, String ns, String... command) throws InterruptedException {
        try {
            runWithInput(input.toFile(), inNamespace(ns, command));
            return true;
        } catch (IOException e) {
            log.debug("{}", e.getMessage());
            return false;
        }
    }

    private static String[] inNamespace(String ns, String... command) {
        String[] all = new String[command.length + 4];
        all[0] = "ip";
        all[1] = "netns";
        all[2] = "exec";
        all[3] = ns;
        System.arraycopy(command, 0, all, 4, command.length);
        return all;
    }

    private Process start(Path stdout, Path stderr, String... command) throws IOException {
        ProcessBuilder pb = processBuilder(command).redirectInput(NO_INPUT).redirectOutput(stdout.toFile());
        if (stdout.equals(stderr)) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(stderr.toFile());
        }
        Process process = pb.start();
        processes.push(process);
        log.debug("started {} (pid {}), output in {}", String.join(" ", command), process.pid(), stdout);
        return process;
    }

    /** Ends a background process: politely, then forcibly after 2 s. */
    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Adds a router between underlay segments: a namespace with IP forwarding and one leg in each Linux bridge,
     * with the given address ({@code 198.18.1.254/24}). Returns the namespace's name; its legs are
     * {@code eth0, eth1, ...} in order.
     */
    public String addRouter(String base, List<String> linuxBridges, List<String> cidrs)
            throws IOException, InterruptedException {
        String ns = name(base);
        int mark = cleanup.size();
        try {
            run("ip", "netns", "add", ns);
            cleanup.push(List.of("ip", "netns", "del", ns));
            for (int i = 0; i < linuxBridges.size(); i++) {
                String outer = name(base + "l" + i);
                String leg = "eth" + i;
                run("ip", "link", "add", outer, "type", "veth", "peer", "name", leg, "netns", ns);
                cleanup.push(List.of("ip", "link", "del", outer));
                run("ip", "link", "set", outer, "master", linuxBridges.get(i));
                quiet(outer);
                run("ip", "link", "set", outer, "up");
                run("ip", "-n", ns, "addr", "add", cidrs.get(i), "dev", leg);
                run("ip", "-n", ns, "link", "set", leg, "up");
            }
            run("ip", "-n", ns, "link", "set", "lo", "up");
            exec(ns, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
        } catch (IOException | InterruptedException | RuntimeException e) {
            undo(mark);
            throw e;
        }
        return ns;
    }

    /**
     * Gives a bridge's LOCAL interface (the host's own stack) an underlay address, answering ARP only for it: all
     * the lab's hosts share the root namespace, where the kernel would otherwise answer for every host's address
     * on every host's segment.
     */
    public void setHostAddress(String bridge, String cidr) throws IOException, InterruptedException {
        quiet(bridge);
        run("ip", "addr", "add", cidr, "dev", bridge);
        run("ip", "link", "set", bridge, "up");
    }

    /**
     * Starts capturing every frame on an interface (in namespace {@code ns}, or the root namespace if null) into a
     * file of the lab's folder; {@link #readCapture} stops it and returns the frames as tcpdump prints them.
     */
    public Capture capture(String ns, String ifname) throws IOException, InterruptedException {
        Path file = dir.resolve("capture-" + (++started) + ".pcap");
        Path output = dir.resolve("capture-" + started + ".log");
        String[] tcpdump = {"tcpdump", "-i", ifname, "-n", "-U", "-w", file.toString()};
        Process p = start(output, output, ns == null ? tcpdump : inNamespace(ns, tcpdump));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (p.isAlive() && !readLenient(output).contains("listening on") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!p.isAlive()) {
            throw new IOException("tcpdump on " + ifname + " did not start: " + readLenient(output));
        }
        return new Capture(p, file);
    }

    /** A running capture. */
    public record Capture(Process process, Path file) {
    }

    /** Stops a capture and returns its frames, one line each with MACs ({@code tcpdump -e -n -r}). */
    public List<String> readCapture(Capture capture) throws IOException, InterruptedException {
        Thread.sleep(200); // -U writes each packet at once; give the last ones a moment
        stop(capture.process());
        processes.remove(capture.process());
        String out = run("tcpdump", "-e", "-n", "-r", capture.file().toString());
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    public void deletePort(String bridge, String port) throws IOException, InterruptedException {
        run("ovs-vsctl", "del-port", bridge, port);
    }

    public String vsctl(String... args) throws IOException, InterruptedException {
        return run(prepend("ovs-vsctl", args));
    }

    public String ofctl(String... args) throws IOException, InterruptedException {
        return run(prepend("ovs-ofctl", args));
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** Runs a command with this lab's OVS environment; returns stdout, or throws with stderr on failure. */
    public String run(String... command) throws IOException, InterruptedException {
        return runWithInput(NO_INPUT, command);
    }

    /** As {@link #run}, with stdin from a file. Output goes to files: reading a pipe would block past the timeout. */
    private String runWithInput(File input, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        try {
            Process p = processBuilder(command).redirectInput(input).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            try {
                if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException(String.join(" ", command) + ": no answer within " + COMMAND_TIMEOUT_SECONDS
                            + " s");
                }
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + readLenient(err).trim());
            }
            return readLenient(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private ProcessBuilder processBuilder(String... command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin");
        pb.directory(dir.toFile());
        return pb;
    }

    private static String readLenient(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    public Path directory() {
        return dir;
    }

    /** Removes everything this lab made, newest first; keeps going past failures and logs them. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!processes.isEmpty()) {
            stop(processes.pop());
        }
        List<String> failures = unwind(0);
        killDaemon("ovs-vswitchd");
        killDaemon("ovsdb-server");
        if (!failures.isEmpty()) {
            log.debug("OVS lab cleanup notes: {}", failures);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", dir, e.getMessage());
        }
    }

    /** Takes back what a method made before it failed, so that a caller going on has no half-made thing about. */
    private void undo(int mark) {
        List<String> failures = unwind(mark);
        if (!failures.isEmpty()) {
            log.debug("OVS lab undo notes: {}", failures);
        }
    }

    /**
     * Runs the cleanup commands newest first until {@code mark} are left, past failures. An interrupt is held back
     * until the end, or every remaining command would fail at once and leave its thing behind.
     */
    private List<String> unwind(int mark) {
        List<String> failures = new ArrayList<>();
        boolean interrupted = Thread.interrupted();
        while (cleanup.size() > mark) {
            List<String> cmd = cleanup.pop();
            try {
                run(cmd.toArray(String[]::new));
            } catch (IOException e) {
                failures.add(e.getMessage());
            } catch (InterruptedException e) {
                interrupted = true;
                failures.add(String.join(" ", cmd) + ": interrupted");
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return failures;
    }

    /** In case {@code ovs-appctl exit} did not work: the pidfile tells which process to end. */
    private void killDaemon(String name) {
        Path pidFile = dir.resolve("run").resolve(name + ".pid");
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid).ifPresent(ph -> {
                    ph.destroy();
                    try {
                        ph.onExit().get(3, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        ph.destroyForcibly();
                    }
                });
            }
        } catch (IOException | NumberFormatException e) {
            log.warn("cannot stop {}: {}", name, e.getMessage());
        }
    }
}
