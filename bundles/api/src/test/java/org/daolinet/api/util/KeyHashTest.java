package org.daolinet.api.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class KeyHashTest {

    /** 64 datapaths of 256 ports each, or 64 VPCs of 256 addresses: the keys an orchestrator declares in a row. */
    @Test
    void neighbouringKeysSpreadOverTheTable() {
        int bins = 1 << 14; // a map's table of 16,384 bins
        int[] load = new int[bins];
        Set<Integer> distinct = new HashSet<>();
        for (long first = 1; first <= 64; first++) {
            for (long second = 1; second <= 256; second++) {
                int h = KeyHash.of(first, second);
                distinct.add(h);
                load[(h ^ (h >>> 16)) & (bins - 1)]++; // the map's own spreading and indexing
            }
        }
        int fullest = 0;
        for (int n : load) {
            fullest = Math.max(fullest, n);
        }
        assertEquals(64 * 256, distinct.size(), "codes collide: " + (64 * 256 - distinct.size()));
        // a record's 31 * a + b puts these 16,384 keys on 2,209 codes, 9 in the fullest bin; random codes would
        // fill the fullest of 16,384 bins with ~7
        assertTrue(fullest <= 7, "fullest bin holds " + fullest);
    }
}
