package org.daolinet.api.config;

import java.util.Locale;

public enum FirewallAction {
    ALLOW, DENY;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
