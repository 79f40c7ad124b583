package org.daolinet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.daolinet.api.config.ConfigObject;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.NetworkConfigService;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.daolinet.api.config.UnderlayMode;
import org.daolinet.api.config.Vpc;
import org.daolinet.switching.DatapathFixture;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The controller under test, as a process of its own (so that its heap and RSS are its own): DaoliNet's real
 * components wired by {@link DatapathFixture} (the switching tests' controller, with the components' default
 * settings), in {@code learning} mode or in {@code vpc} mode with the {@link VpcLayout}'s tenants, VPCs,
 * subnets, hosts and endpoints declared through the configuration service (validated and stored like any other
 * declaration, in one batch). Prints {@code READY ...} once it listens and the switching functions know every
 * endpoint.
 *
 * <pre>java -cp daolinet-bench.jar org.daolinet.bench.BenchController [--port P] [--mode learning|vpc]
 *      [--layout SPEC] [--store DIR] [--io-threads N]</pre>
 */
public final class BenchController {

    private BenchController() {
    }

    /** How many objects {@link #declare} declares. */
    static long objects(VpcLayout l) {
        return l.tenants() + l.vpcs() + l.subnets() + l.hosts() + (long) l.endpoints();
    }

    /** Declares the layout's network; returns how long it took, in milliseconds. */
    static long declare(NetworkConfigService config, VpcLayout l) {
        long t0 = System.nanoTime();
        List<ConfigObject> objects = new ArrayList<>();
        for (int t = 0; t < l.tenants(); t++) {
            objects.add(new Tenant(VpcLayout.tenantId(t), "tenant " + t));
        }
        for (int v = 0; v < l.vpcs(); v++) {
            objects.add(new Vpc(VpcLayout.vpcId(v), VpcLayout.tenantId(l.tenantOfVpc(v)), "vpc " + v));
        }
        for (int s = 0; s < l.subnets(); s++) {
            int base = l.subnetBase(s);
            objects.add(new Subnet(VpcLayout.subnetId(s), VpcLayout.vpcId(l.vpcOfSubnet(s)), "subnet " + s,
                    IPv4AddressWithMask.of(IPv4Address.of(base), IPv4Address.ofCidrMaskLength(16)),
                    IPv4Address.of(base + 1)));
        }
        for (int h = 0; h < l.hosts(); h++) {
            objects.add(new Host(VpcLayout.hostId(h), "host " + h, VpcLayout.dpid(h), VpcLayout.portName(h, 1),
                    MacAddress.of(VpcLayout.hostMac(h)), IPv4Address.of(VpcLayout.hostIp(h)), UnderlayMode.L2, null));
        }
        config.createAll(objects);
        objects.clear();
        for (int i = 0; i < l.endpoints(); i++) {
            int s = l.subnetOf(i);
            int h = l.hostOf(i);
            objects.add(new Endpoint(VpcLayout.endpointId(i), null, VpcLayout.vpcId(l.vpcOfSubnet(s)),
                    VpcLayout.subnetId(s), MacAddress.of(VpcLayout.mac(i)), IPv4Address.of(l.ip(i)),
                    VpcLayout.hostId(h), VpcLayout.portName(h, l.portOf(i)), List.of()));
        }
        config.createAll(objects);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * The controller under test: the real southbound, store, configuration, topology, pipeline and switching
     * functions, wired as Declarative Services wires them in Karaf, each with its default settings.
     *
     * @param mode {@code vpc} or {@code learning}, as {@code mode} in {@code etc/org.daolinet.switching.cfg}
     */
    static DatapathFixture start(Path storeFile, int port, String mode) {
        return start(storeFile, port, mode, 0);
    }

    /** @param ioThreads the southbound's event loops, {@code io.threads} in {@code etc/org.daolinet.openflow.cfg} */
    static DatapathFixture start(Path storeFile, int port, String mode, int ioThreads) {
        return new DatapathFixture(storeFile, Map.of("address", "127.0.0.1", "port", String.valueOf(port),
                "io.threads", String.valueOf(ioThreads)), Map.of(), Map.of(), Map.of("mode", mode));
    }

    static int port(DatapathFixture controller) {
        return controller.server.listenAddress().orElseThrow().getPort();
    }

    /** Waits until every component has applied the declaration (configuration events are asynchronous). */
    static long awaitApplied(DatapathFixture c, long events, long timeoutMillis) throws InterruptedException {
        long t0 = System.nanoTime();
        while (c.configEventsApplied() < events || c.directory.aliasesAwaited() > 0) {
            if ((System.nanoTime() - t0) / 1_000_000 > timeoutMillis) {
                throw new IllegalStateException("the controller applied " + c.configEventsApplied() + " of " + events
                        + " configuration events within " + timeoutMillis + " ms");
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    public static void main(String[] args) throws Exception {
        int port = 6653;
        String mode = "learning";
        VpcLayout layout = VpcLayout.of(16, 5000);
        Path store = null;
        int ioThreads = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--mode" -> mode = args[++i].toLowerCase(Locale.ROOT);
                case "--layout" -> layout = VpcLayout.parse(args[++i]);
                case "--store" -> store = Path.of(args[++i]);
                case "--io-threads" -> ioThreads = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: BenchController [--port P] [--mode learning|vpc] [--layout SPEC] "
                            + "[--store DIR] [--io-threads N]");
                    System.exit(2);
                }
            }
        }
        Path dir = store != null ? store : Files.createTempDirectory("daolinet-bench-store");
        Files.createDirectories(dir);
        Path file = dir.resolve("store.mv.db");
        Files.deleteIfExists(file);
        DatapathFixture controller = start(file, port, mode, ioThreads);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            controller.close();
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temp file left behind
            }
        }));
        String extra = "";
        if (mode.equals("vpc")) {
            long declared = declare(controller.config, layout);
            long applied = awaitApplied(controller, objects(layout), 600_000);
            extra = String.format(Locale.ROOT, " layout %s: %d hosts, %d endpoints declared in %d ms, applied %d ms later",
                    layout.spec(), layout.hosts(), layout.endpoints(), declared, applied);
        }
        System.out.println("READY port " + port(controller) + " pid " + ProcessHandle.current().pid() + " mode "
                + mode + extra);
        System.out.flush();
        Thread.currentThread().join();
    }
}
