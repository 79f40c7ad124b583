package org.daolinet.api.config;

/**
 * Something an admin or orchestrator declares: every object has a stable id, unique within its kind, chosen by
 * the caller or generated on create.
 */
public sealed interface ConfigObject permits Tenant, Vpc, Subnet, Host, Endpoint, SecurityGroup, FirewallRule,
        SnatRule, FloatingIp, PortForward, LoadBalancer {

    String id();

    /** A copy of this object with another id; used when the id is generated on create. */
    ConfigObject withId(String id);
}
