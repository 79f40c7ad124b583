package org.daolinet.switching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
