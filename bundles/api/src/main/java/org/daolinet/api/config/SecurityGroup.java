package org.daolinet.api.config;

import java.util.List;

/** A named set of allow rules that endpoints of the tenant can be put in. */
public record SecurityGroup(String id, String tenantId, String name, List<SecurityGroupRule> rules)
        implements ConfigObject {

    public SecurityGroup {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    @Override
    public SecurityGroup withId(String newId) {
        return new SecurityGroup(newId, tenantId, name, rules);
    }
}
