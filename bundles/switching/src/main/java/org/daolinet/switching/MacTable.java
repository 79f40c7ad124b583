package org.daolinet.switching;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.projectfloodlight.openflow.types.OFPort;

/**
 * Where each MAC address was last seen on one switch: the learning switch's table. Open addressing over one array
 * of longs, each slot a MAC (48 bits) and the index (16 bits) of its port in the switch's short list of ports: a
 * lookup reads one slot, 8 bytes, where a map of {@code MacAddress} objects reads four or five objects. A learning
 * switch looks up twice per PacketIn, and once the tables of all its switches outgrow the core's cache (64
 * switches of 1,000 stations each are 1 MiB at 8 bytes a slot, half full; 1.5 MiB with a port reference beside each
 * MAC) every lookup is a miss, so bytes per station are what a lookup costs. Not thread-safe: each connection's
 * table is used by the event loop that delivers that connection's PacketIns, and dropped with the connection.
 */
final class MacTable {

    /** A slot of 0 is empty: no port has index 0. */
    private static final long EMPTY = 0;
    /** Ports are indexed 1 to this; a station behind yet another port of the same switch is not learned. */
    static final int MAX_PORTS = 0xffff;

    private long[] slots;
    private int size;
    /** The switch's ports seen so far, by index from 1 (index 0 is no port). */
    private OFPort[] ports = new OFPort[16];
    private final Map<OFPort, Integer> portIndex = new HashMap<>();

    MacTable() {
        this(64);
    }

    /** @param slots a power of two */
    MacTable(int slots) {
        this.slots = new long[slots];
    }

    /** The port {@code mac} was last seen on, or null. */
    OFPort get(long mac) {
        long s = slots[find(mac)];
        return s == EMPTY ? null : ports[(int) s & 0xffff];
    }

    /** Learns that {@code mac} is behind {@code port}; false when the switch has more ports than can be told apart. */
    boolean put(long mac, OFPort port) {
        Integer index = portIndex.get(port);
        if (index == null) {
            index = portIndex.size() + 1;
            if (index > MAX_PORTS) {
                return false;
            }
            if (index == ports.length) {
                ports = Arrays.copyOf(ports, ports.length * 2);
            }
            ports[index] = port;
            portIndex.put(port, index);
        }
        int i = find(mac);
        if (slots[i] == EMPTY) {
            if (2 * (size + 1) > slots.length) {
                grow();
                i = find(mac);
            }
            size++;
        }
        slots[i] = mac << 16 | index;
        return true;
    }

    int size() {
        return size;
    }

    /** At most half full, so that a miss ends at an empty slot after a short run. */
    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        for (long s : old) {
            if (s != EMPTY) {
                slots[find(s >>> 16)] = s;
            }
        }
    }

    /** The slot holding {@code mac}, or the empty slot that ends its run, where it would go. */
    private int find(long mac) {
        long[] s = slots;
        int mask = s.length - 1;
        int i = slot(mac, mask);
        while (s[i] != EMPTY && s[i] >>> 16 != mac) {
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
