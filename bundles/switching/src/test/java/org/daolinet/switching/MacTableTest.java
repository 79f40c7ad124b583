package org.daolinet.switching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.OFPort;

class MacTableTest {

    @Test
    void answersAsAMapWouldThroughGrowthAndMoves() {
        Random random = new Random(7);
        MacTable table = new MacTable(4);
        Map<Long, OFPort> reference = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // a mix of random MACs and one vendor's consecutive ones, which differ only in their low bits
            long mac = random.nextBoolean() ? random.nextLong() & 0xffff_ffff_ffffL
                    : 0x0200_0000_0000L + random.nextInt(5_000);
            if (random.nextInt(3) == 0) {
                OFPort port = OFPort.of(1 + random.nextInt(48));
                table.put(mac, port);
                reference.put(mac, port);
            } else {
                assertEquals(reference.get(mac), table.get(mac), () -> Long.toHexString(mac));
            }
        }
        assertEquals(reference.size(), table.size());
        reference.forEach((mac, port) -> assertEquals(port, table.get(mac)));
    }

    @Test
    void theHighestAndLowestMacsAreOrdinaryKeys() {
        MacTable table = new MacTable();
        assertNull(table.get(0));
        table.put(0, OFPort.of(1));
        table.put(0xffff_ffff_ffffL, OFPort.of(2));
        assertEquals(OFPort.of(1), table.get(0));
        assertEquals(OFPort.of(2), table.get(0xffff_ffff_ffffL));
        table.put(0, OFPort.of(3));
        assertEquals(OFPort.of(3), table.get(0), "a station that moved");
        assertEquals(2, table.size());
    }

    @Test
    void tellsUpToItsLimitOfPortsApart() {
        MacTable table = new MacTable();
        assertTrue(table.put(0x0200_0000_0001L, OFPort.LOCAL));
        for (int p = 1; p < MacTable.MAX_PORTS; p++) {
            assertTrue(table.put(p, OFPort.of(p)));
        }
        long late = 0x0200_0000_0002L;
        assertFalse(table.put(late, OFPort.of(MacTable.MAX_PORTS + 1)), "one port too many");
        assertNull(table.get(late));
        assertTrue(table.put(late, OFPort.of(7)), "behind a port it knows");
        assertEquals(OFPort.of(7), table.get(late));
        assertEquals(OFPort.LOCAL, table.get(0x0200_0000_0001L));
        assertEquals(OFPort.of(MacTable.MAX_PORTS - 1), table.get(MacTable.MAX_PORTS - 1));
    }
}
