package org.daolinet.switching;

import java.util.Locale;
import java.util.Map;

/**
 * How the switching functions behave, from {@code mode} in {@code etc/org.daolinet.switching.cfg}: {@code vpc}
 * (the declared network: endpoints, subnets, VPC isolation) or {@code learning} (a plain L2 learning switch per
 * bridge, for networks with no model and for the classic OpenFlow benchmarks).
 */
enum Mode {
    VPC, LEARNING;

    static final String PID = "org.daolinet.switching";

    static Mode of(Map<String, Object> properties) {
        Object v = properties.get("mode");
        if (v == null || v.toString().isBlank()) {
            return VPC;
        }
        try {
            return valueOf(v.toString().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode: '" + v + "' is neither 'vpc' nor 'learning'");
        }
    }
}
