package org.daolinet.netconfig;

import org.daolinet.api.config.NetworkConfigListener;
import org.daolinet.api.config.NetworkConfigService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Hands the configuration listeners registered as OSGi services (the whiteboard) to the configuration store.
 *
 * <p>A component of its own, not a reference of {@link NetworkConfigManager}: listeners such as the endpoint
 * directory need the {@link NetworkConfigService}, and a store that also needed them would make a cycle that
 * Declarative Services can only break by failing a service lookup half-way (Felix logs "ServiceFactory.getService()
 * resulted in a cycle" and binds the listener later). Here the store needs only its persistence, the listeners
 * need the store, and this component needs both.
 */
@Component(immediate = true)
public final class ConfigListenerWhiteboard {

    private final NetworkConfigManager config;

    /** The store comes in the constructor so that it is there before the first listener is bound. */
    @Activate
    public ConfigListenerWhiteboard(@Reference(service = NetworkConfigService.class,
            target = "(component.name=org.daolinet.netconfig.NetworkConfigManager)") NetworkConfigService config) {
        this.config = (NetworkConfigManager) config;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addListener(NetworkConfigListener listener) {
        config.addListener(listener);
    }

    public void removeListener(NetworkConfigListener listener) {
        config.removeListener(listener);
    }
}
