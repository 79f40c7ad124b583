package org.daolinet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The controller's heap figure is read from {@code jcmd GC.heap_info}, whose words depend on the collector. */
class HeapInfoTest {

    @Test
    void g1ReportsOneHeap() {
        String g1 = """
                12345:
                 garbage-first heap   total 262144K, used 20512K [0x00000000e0000000, 0x0000000100000000)
                  region size 1024K, 3 young (3072K), 0 survivors (0K)
                 Metaspace       used 5581K, committed 5760K, reserved 1114112K
                  class space    used 641K, committed 704K, reserved 1048576K
                """;
        assertEquals(20512, Bench.heapUsedKiB(g1));
    }

    @Test
    void parallelCollectorReportsYoungAndOldGenerations() {
        String parallel = """
                15012:
                 PSYoungGen      total 113152K, used 23951K [0x0000000782700000, 0x000000078a500000)
                  eden space 97280K, 24% used [0x0000000782700000,0x0000000783e63e50,0x0000000788600000)
                  from space 15872K, 0% used [0x0000000789580000,0x0000000789580000,0x000000078a500000)
                 ParOldGen       total 258048K, used 1000K [0x0000000687400000, 0x0000000697000000)
                  object space 258048K, 0% used [0x0000000687400000,0x0000000687400000,0x0000000697000000)
                 Metaspace       used 5576K, committed 5696K, reserved 1114112K
                """;
        assertEquals(24951, Bench.heapUsedKiB(parallel));
    }

    @Test
    void unknownOutputIsUnknown() {
        assertEquals(-1, Bench.heapUsedKiB("12345:\nCommand not supported\n"));
    }
}
