package org.daolinet.api.pipeline;

import java.util.List;

import org.projectfloodlight.openflow.types.U64;

/**
 * A flow on a switch as the controller explains it, from its cookie: its kind ({@code reactive}, {@code proactive},
 * {@code drop}, {@code infrastructure}, or {@code foreign} when another application installed it), the functions that
 * own it, and whether it belongs to this controller run or was left over by an earlier one.
 */
public record FlowEntry(U64 cookie, String kind, List<String> owners, boolean current, int priority, String match,
        String actions, int idleTimeout, int hardTimeout, long durationSeconds, long packets, long bytes) {

    public FlowEntry {
        owners = List.copyOf(owners);
    }
}
