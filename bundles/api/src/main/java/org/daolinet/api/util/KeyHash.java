package org.daolinet.api.util;

/**
 * Hash codes for the two-part keys of the controller's indexes (a VPC and an address, a datapath and a port).
 * A record's own hash, {@code 31 * a + b}, makes ("v1", ip) and ("v0", ip + 31) collide, and (dpid, port) and
 * (dpid + 1, port - 31): ids that differ in their last character, consecutive datapath ids, consecutive addresses
 * and port numbers, exactly what an orchestrator declares. Their keys then crowd a few bins of a map that is
 * read on every PacketIn. Both parts are mixed through 64-bit multiplications here (the constants of SplitMix64),
 * so neighbouring keys spread over the whole table.
 */
public final class KeyHash {

    private KeyHash() {
    }

    public static int of(long first, long second) {
        long h = (first * 0x9E37_79B9_7F4A_7C15L) ^ second;
        h *= 0xBF58_476D_1CE4_E5B9L;
        return (int) (h ^ (h >>> 31));
    }
}
