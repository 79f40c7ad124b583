package org.daolinet.shell.openflow;

import org.projectfloodlight.openflow.types.DatapathId;

/** Reads datapath ids the ways admins type them: {@code 00:00:00:00:00:00:00:01}, {@code 0x1}, or {@code 1}. */
final class DatapathIds {

    private DatapathIds() {
    }

    static DatapathId parse(String text) {
        String t = text.trim();
        try {
            if (t.contains(":")) {
                return DatapathId.of(t);
            }
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return DatapathId.of(Long.parseUnsignedLong(t.substring(2), 16));
            }
            return DatapathId.of(Long.parseUnsignedLong(t, t.length() == 16 ? 16 : 10));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a datapath id (expected e.g. "
                    + "00:00:00:00:00:00:00:01, 0x1 or 1)");
        }
    }
}
