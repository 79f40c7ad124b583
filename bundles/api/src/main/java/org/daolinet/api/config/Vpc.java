package org.daolinet.api.config;

/** A tenant's private network; nothing crosses its boundary unless a rule says so. */
public record Vpc(String id, String tenantId, String name) implements ConfigObject {

    @Override
    public Vpc withId(String newId) {
        return new Vpc(newId, tenantId, name);
    }
}
