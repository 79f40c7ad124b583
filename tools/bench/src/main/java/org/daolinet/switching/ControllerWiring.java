package org.daolinet.switching;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.daolinet.api.config.NetworkConfigService;
import org.daolinet.netconfig.NetworkConfigManager;
import org.daolinet.openflow.OpenFlowServer;
import org.daolinet.pipeline.PacketPipeline;
import org.daolinet.store.MvKeyValueStore;
import org.daolinet.topology.TopologyManager;

/**
 * The controller the benchmark measures: the real southbound, store, configuration, topology, pipeline and
 * switching functions, wired by hand exactly as Declarative Services wires them in Karaf (and as the switching
 * tests' DatapathFixture does). THE one place to adapt when components are added or their wiring changes (it sits
 * in the switching package because the functions' references are package-private fields, as DS injects them).
 */
public final class ControllerWiring implements AutoCloseable {

    private final OpenFlowServer server = new OpenFlowServer();
    private final MvKeyValueStore store;
    private final NetworkConfigManager config;
    private final TopologyManager topology;
    private final PacketPipeline pipeline;
    private final EndpointDirectory directory = new EndpointDirectory();
    private final Classifier classify = new Classifier();
    private final ArpResponder arp = new ArpResponder();
    private final Switching switching = new Switching();
    private final UnderlayNeighbors neighbors = new UnderlayNeighbors();
    private final TranslationKeys keys = new TranslationKeys();
    private final AtomicLong configEventsApplied = new AtomicLong();

    /**
     * @param mode {@code vpc} or {@code learning}, as {@code mode} in {@code etc/org.daolinet.switching.cfg}
     */
    public ControllerWiring(Path storeFile, String address, int openflowPort, String mode) {
        store = new MvKeyValueStore(storeFile);
        config = new NetworkConfigManager(store);
        Map<String, Object> props = new HashMap<>();
        props.put("address", address);
        props.put("port", String.valueOf(openflowPort));
        server.activate(props);
        topology = new TopologyManager(config, server);
        topology.activate(Map.of());
        server.addSwitchListener(topology);
        server.addPacketInListener(topology);
        config.addListener(topology);

        directory.config = config;
        directory.store = store;
        directory.activate();
        config.addListener(directory);
        Map<String, Object> modeProps = Map.of("mode", mode);
        keys.store = store;
        keys.switches = server;
        keys.activate(modeProps);
        server.addFlowRemovedListener(keys);
        server.addSwitchListener(keys);
        classify.directory = directory;
        classify.topology = topology;
        classify.neighbors = neighbors;
        classify.activate(modeProps);
        arp.directory = directory;
        arp.activate(modeProps);
        switching.directory = directory;
        switching.topology = topology;
        switching.switches = server;
        switching.neighbors = neighbors;
        switching.keys = keys;
        switching.activate(modeProps);
        server.addSwitchListener(switching);

        pipeline = new PacketPipeline(server, store);
        pipeline.addFunction(classify);
        pipeline.addFunction(arp);
        pipeline.addFunction(switching);
        pipeline.activate(Map.of());
        server.addSwitchListener(pipeline);
        server.addPacketInListener(pipeline);
        config.addListener(pipeline);
        // last: it sees an event once every component above has applied it
        config.addListener(event -> configEventsApplied.incrementAndGet());
    }

    public NetworkConfigService config() {
        return config;
    }

    public int port() {
        return server.listenAddress().orElseThrow().getPort();
    }

    /** Configuration events every component has applied (they are applied asynchronously, in order). */
    public long configEventsApplied() {
        return configEventsApplied.get();
    }

    /** Endpoints whose underlay alias is still being allocated (in batches, after their events were applied). */
    public int aliasesAwaited() {
        return directory.aliasesAwaited();
    }

    @Override
    public void close() {
        keys.deactivate();
        directory.deactivate();
        pipeline.deactivate();
        topology.deactivate();
        server.deactivate();
        config.deactivate();
        store.close();
    }
}
