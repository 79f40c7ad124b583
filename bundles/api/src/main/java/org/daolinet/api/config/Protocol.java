package org.daolinet.api.config;

import java.util.Locale;

/** The IP protocols rules can name; {@code ANY} matches every one. */
public enum Protocol {
    ANY, TCP, UDP, ICMP;

    /** Whether rules for this protocol may name ports. */
    public boolean hasPorts() {
        return this == TCP || this == UDP;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
