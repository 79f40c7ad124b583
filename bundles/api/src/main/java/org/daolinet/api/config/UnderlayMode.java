package org.daolinet.api.config;

import java.util.Locale;

/** How traffic between hosts crosses the underlay; never by encapsulation. */
public enum UnderlayMode {
    /** Hosts share an L2 segment: frames cross with the hosts' MAC addresses. */
    L2,
    /** Hosts are in routed subnets: connections cross as host IP plus a translated port. */
    L3;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
