package org.daolinet.ovslab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

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

    private final Path dir;
    private final String tag;
    private final Map<String, String> env = new HashMap<>();
    private final Deque<List<String>> cleanup = new ArrayDeque<>();

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
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin");
        pb.directory(dir.toFile());
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": no answer within " + COMMAND_TIMEOUT_SECONDS + " s");
        }
        String stderr = Files.readString(err);
        Files.deleteIfExists(err);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + stderr.trim());
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    public Path directory() {
        return dir;
    }

    /** Removes everything this lab made, newest first; keeps going past failures and logs them. */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        while (!cleanup.isEmpty()) {
            List<String> cmd = cleanup.pop();
            try {
                run(cmd.toArray(String[]::new));
            } catch (IOException e) {
                failures.add(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(String.join(" ", cmd) + ": interrupted");
            }
        }
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
