package org.daolinet.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.daolinet.emulator.SwitchEmulator;
import org.daolinet.netconfig.NetworkConfigManager;
import org.daolinet.openflow.OpenFlowServer;
import org.daolinet.store.MvKeyValueStore;

/** The real southbound, store, configuration and topology, wired by hand as OSGi would wire them. */
final class TopologyFixture implements AutoCloseable {

    final OpenFlowServer server = new OpenFlowServer();
    final MvKeyValueStore store;
    final NetworkConfigManager config;
    final TopologyManager topology = new TopologyManager();
    final SwitchEmulator emulator = new SwitchEmulator(1, null);

    TopologyFixture(Path dir, int openflowPort) {
        store = new MvKeyValueStore(dir.resolve("store.mv.db"));
        config = new NetworkConfigManager(store);
        Map<String, Object> props = new HashMap<>();
        props.put("address", "127.0.0.1");
        props.put("port", String.valueOf(openflowPort));
        server.activate(props);
        topology.config = config;
        topology.switches = server;
        topology.activate(Map.of("lldp.interval.seconds", "1"));
        server.addSwitchListener(topology);
        server.addPacketInListener(topology);
        config.addListener(topology);
    }

    /**
     * Checks {@code condition} at once and then every 20 ms, from this thread, until it holds; fails naming
     * {@code what} after {@code timeout}.
     */
    static void await(BooleanSupplier condition, Duration timeout, String what) {
        Awaitility.await(what).atMost(timeout).pollInSameThread().dontCatchUncaughtExceptions()
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    @Override
    public void close() {
        emulator.close();
        topology.deactivate();
        server.deactivate();
        config.deactivate();
        store.close();
    }
}
