package org.daolinet.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.daolinet.api.store.Versioned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL in the middle of a write burst loses no acknowledged write and no half of one. */
class CrashSafetyTest {

    @TempDir
    Path dir;

    @Test
    void killDashNineDuringAWriteBurstLosesNothingAcknowledged() throws Exception {
        Path file = dir.resolve("store.mv.db");
        int[] killAfter = {150, 400, 900};
        for (int round = 0; round < killAfter.length; round++) {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, StoreWriter.class.getName(), file.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            int acked = -1;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("ack ")) {
                        acked = Integer.parseInt(line.substring(4));
                        if (acked >= killAfter[round]) {
                            writer.destroyForcibly(); // SIGKILL: no shutdown hook, no close
                            break;
                        }
                    }
                }
            }
            assertTrue(writer.waitFor(10, TimeUnit.SECONDS));
            assertTrue(acked >= 0, "the writer acknowledged writes before it was killed");

            MvKeyValueStore store = new MvKeyValueStore(file);
            try {
                List<Versioned> a = store.list("a/");
                List<Versioned> b = store.list("b/");
                assertEquals(a.size(), b.size(), "every pair landed whole or not at all");
                // the writer restarts at 0 each round and overwrites; what counts is every acknowledged index
                assertTrue(a.size() >= acked + 1, "acknowledged " + (acked + 1) + " writes, found " + a.size());
                for (int i = 0; i <= acked; i++) {
                    String key = String.format("a/%07d", i);
                    assertArrayEquals(StoreWriter.value(i), store.get(key).orElseThrow().value(), key);
                    assertArrayEquals(StoreWriter.value(i), store.get(String.format("b/%07d", i)).orElseThrow().value());
                }
            } finally {
                store.close();
            }
        }
    }
}
