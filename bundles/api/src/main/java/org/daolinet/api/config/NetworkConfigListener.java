package org.daolinet.api.config;

/**
 * Whiteboard listener for stored configuration changes; register an implementation as an OSGi service. Events
 * arrive in the order the changes were stored, on a thread of the configuration service: do not block it.
 */
@FunctionalInterface
public interface NetworkConfigListener {

    void configChanged(ConfigEvent event);
}
