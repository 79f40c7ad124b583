package org.daolinet.switching;

import java.util.Arrays;

import org.projectfloodlight.openflow.types.OFPort;

/**
 * Where each MAC address was last seen on one switch: the learning switch's table. Open addressing over two
 * arrays, the MAC as a primitive and its port: a lookup reads one or two cache lines where a map of
 * {@code MacAddress} objects reads four or five (table, node, key object, value), and a learning switch looks up
 * twice per PacketIn. Not thread-safe: each connection's table is used by the event loop that delivers that
 * connection's PacketIns, and dropped with the connection.
 */
final class MacTable {

    /** No MAC address has all 64 bits set: they have 48. */
    private static final long EMPTY = -1L;

    private long[] macs;
    private OFPort[] ports;
    private int size;

    MacTable() {
        this(64);
    }

    /** @param slots a power of two */
    MacTable(int slots) {
        macs = new long[slots];
        Arrays.fill(macs, EMPTY);
        ports = new OFPort[slots];
    }

    /** The port {@code mac} was last seen on, or null (an empty slot's port: entries are never removed). */
    OFPort get(long mac) {
        return ports[find(mac)];
    }

    void put(long mac, OFPort port) {
        int i = find(mac);
        if (macs[i] == EMPTY) {
            if (2 * (size + 1) > macs.length) {
                grow();
                i = find(mac);
            }
            macs[i] = mac;
            size++;
        }
        ports[i] = port;
    }

    int size() {
        return size;
    }

    /** At most half full, so that a miss ends at an empty slot after a short run. */
    private void grow() {
        long[] oldMacs = macs;
        OFPort[] oldPorts = ports;
        macs = new long[oldMacs.length * 2];
        Arrays.fill(macs, EMPTY);
        ports = new OFPort[oldMacs.length * 2];
        size = 0;
        for (int i = 0; i < oldMacs.length; i++) {
            if (oldMacs[i] != EMPTY) {
                put(oldMacs[i], oldPorts[i]);
            }
        }
    }

    /** The slot holding {@code mac}, or the empty slot that ends its run, where it would go. */
    private int find(long mac) {
        long[] keys = macs;
        int mask = keys.length - 1;
        int i = slot(mac, mask);
        while (keys[i] != EMPTY && keys[i] != mac) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Hosts' MACs differ in their low bits (one vendor prefix, consecutive serials): fold the high bits in. */
    private static int slot(long mac, int mask) {
        int h = Long.hashCode(mac);
        return (h ^ (h >>> 16)) & mask;
    }
}
