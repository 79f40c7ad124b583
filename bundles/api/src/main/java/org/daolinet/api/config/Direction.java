package org.daolinet.api.config;

import java.util.Locale;

/** Which way a rule applies, seen from what it guards (an endpoint, or a VPC's perimeter). */
public enum Direction {
    INGRESS, EGRESS;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
