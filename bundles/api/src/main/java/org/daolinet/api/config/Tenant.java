package org.daolinet.api.config;

/** A customer of the cloud; owns VPCs and security groups. */
public record Tenant(String id, String name) implements ConfigObject {

    @Override
    public Tenant withId(String newId) {
        return new Tenant(newId, name);
    }
}
