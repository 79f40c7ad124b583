package org.daolinet.switching;

import java.util.List;
import java.util.Map;

import org.daolinet.api.config.NetworkConfigService;
import org.daolinet.api.openflow.SwitchService;
import org.daolinet.api.pipeline.NetworkFunction;
import org.daolinet.api.store.KeyValueStore;
import org.daolinet.api.topology.TopologyService;

/**
 * The switching bundle's components given their services and activated by hand, as Declarative Services does in
 * the container: the directory and the translation keys first, then the functions that use them. Registering them
 * as listeners and pipeline members is the caller's, which knows what it runs them against.
 */
public final class SwitchingComponents {

    public final EndpointDirectory directory = new EndpointDirectory();
    public final TranslationKeys keys = new TranslationKeys();
    final UnderlayNeighbors neighbors = new UnderlayNeighbors();
    final Classifier classify = new Classifier();
    final ArpResponder arp = new ArpResponder();
    final Switching switching = new Switching();

    /** {@code properties}: what {@code etc/org.daolinet.switching.cfg} would hold. */
    public SwitchingComponents(NetworkConfigService config, KeyValueStore store, TopologyService topology,
            SwitchService switches, Map<String, Object> properties) {
        directory.config = config;
        directory.store = store;
        directory.activate();
        keys.store = store;
        keys.activate(properties);
        classify.directory = directory;
        classify.topology = topology;
        classify.neighbors = neighbors;
        classify.activate(properties);
        arp.directory = directory;
        arp.activate(properties);
        switching.directory = directory;
        switching.topology = topology;
        switching.switches = switches;
        switching.neighbors = neighbors;
        switching.keys = keys;
        switching.activate(properties);
    }

    /** The network functions, in the order they join a pipeline. */
    public List<NetworkFunction> functions() {
        return List.of(classify, arp, switching);
    }

    public void deactivate() {
        keys.deactivate();
        directory.deactivate();
    }
}
