package org.daolinet.switching;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.daolinet.api.pipeline.NetworkFunction;
import org.daolinet.netconfig.NetworkConfigManager;
import org.daolinet.openflow.OpenFlowServer;
import org.daolinet.pipeline.PacketPipeline;
import org.daolinet.store.MvKeyValueStore;
import org.daolinet.topology.TopologyManager;

/**
 * A whole controller minus Karaf: the real southbound, store, configuration, topology, pipeline and the switching
 * functions, wired by hand as Declarative Services would wire them. {@link #close()} stops it like a controller
 * shutdown; a new fixture on the same directory is the same controller restarted. Other bundles' tests add their
 * functions with {@link #addFunction}.
 */
public final class DatapathFixture implements AutoCloseable {

    public final OpenFlowServer server = new OpenFlowServer();
    public final MvKeyValueStore store;
    public final NetworkConfigManager config;
    public final TopologyManager topology;
    public final PacketPipeline pipeline;
    public final EndpointDirectory directory;
    public final TranslationKeys keys;
    final SwitchingComponents switching;
    private final AtomicLong configEventsApplied = new AtomicLong();

    public DatapathFixture(Path dir, int openflowPort, int idleTimeoutSeconds, String mode) {
        this(dir, openflowPort, idleTimeoutSeconds, Map.of("mode", mode));
    }

    /** {@code switchingProperties}: what {@code etc/org.daolinet.switching.cfg} would hold. */
    public DatapathFixture(Path dir, int openflowPort, int idleTimeoutSeconds, Map<String, Object> switchingProperties) {
        this(dir.resolve("store.mv.db"), Map.of("address", "127.0.0.1", "port", String.valueOf(openflowPort)),
                Map.of("lldp.interval.seconds", "1"),
                Map.of("flow.idle.timeout.seconds", String.valueOf(idleTimeoutSeconds), "drop.hard.timeout.seconds", "2"),
                switchingProperties);
    }

    /**
     * The general form, also what the benchmark's controller runs: each map is what the component's
     * {@code etc/*.cfg} would hold (empty: its defaults).
     */
    public DatapathFixture(Path storeFile, Map<String, Object> openflowProperties, Map<String, Object> topologyProperties,
            Map<String, Object> pipelineProperties, Map<String, Object> switchingProperties) {
        store = new MvKeyValueStore(storeFile);
        config = new NetworkConfigManager(store);
        server.activate(new HashMap<>(openflowProperties));
        topology = new TopologyManager(config, server);
        topology.activate(topologyProperties);
        server.addSwitchListener(topology);
        server.addPacketInListener(topology);
        config.addListener(topology);

        switching = new SwitchingComponents(config, store, topology, server, switchingProperties);
        directory = switching.directory;
        keys = switching.keys;
        config.addListener(directory);
        server.addFlowRemovedListener(keys);
        server.addSwitchListener(keys);
        server.addSwitchListener(switching.switching);

        pipeline = new PacketPipeline(server, store);
        switching.functions().forEach(pipeline::addFunction);
        pipeline.activate(pipelineProperties);
        server.addSwitchListener(pipeline);
        server.addPacketInListener(pipeline);
        config.addListener(pipeline);
        // last: it sees an event once every component above has applied it
        config.addListener(event -> configEventsApplied.incrementAndGet());
    }

    /** Configuration events every component has applied (they are applied asynchronously, in order). */
    public long configEventsApplied() {
        return configEventsApplied.get();
    }

    /** A network function joins the pipeline, as when its bundle starts. */
    public void addFunction(NetworkFunction function) {
        pipeline.addFunction(function);
    }

    /** A network function leaves, as when its feature is uninstalled. */
    public void removeFunction(NetworkFunction function) {
        pipeline.removeFunction(function);
    }

    /** Takes the switching functions out of the pipeline, as uninstalling their feature does. */
    void uninstallSwitching() {
        List<NetworkFunction> functions = switching.functions();
        for (int i = functions.size() - 1; i >= 0; i--) {
            pipeline.removeFunction(functions.get(i));
        }
    }

    void installSwitching() {
        for (NetworkFunction f : switching.functions()) {
            pipeline.addFunction(f);
        }
    }

    /**
     * Checks {@code condition} at once and then every 20 ms, from this thread, until it holds; fails naming
     * {@code what} after {@code timeout}.
     */
    public static void await(BooleanSupplier condition, Duration timeout, String what) {
        Awaitility.await(what).atMost(timeout).pollInSameThread().dontCatchUncaughtExceptions()
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    @Override
    public void close() {
        switching.deactivate();
        pipeline.deactivate();
        topology.deactivate();
        server.deactivate();
        config.deactivate();
        store.close();
    }
}
