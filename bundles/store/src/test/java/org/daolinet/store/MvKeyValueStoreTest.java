package org.daolinet.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.daolinet.api.store.StoreEvent;
import org.daolinet.api.store.Transaction;
import org.daolinet.api.store.Versioned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvKeyValueStoreTest {

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void versionsGrowAndCompareAndSetChecksThem() {
        MvKeyValueStore store = new MvKeyValueStore(dir.resolve("s.mv.db"));
        long v1 = store.put("k", b("one"));
        assertEquals(Optional.empty(), store.compareAndSet("k", 0, b("create only")), "0 means absent");
        assertEquals(Optional.empty(), store.compareAndSet("k", v1 + 7, b("stale")));
        long v2 = store.compareAndSet("k", v1, b("two")).orElseThrow();
        assertTrue(v2 > v1);
        assertArrayEquals(b("two"), store.get("k").orElseThrow().value());
        assertFalse(store.remove("k", v1));
        assertTrue(store.remove("k", v2));
        assertTrue(store.get("k").isEmpty());
        assertFalse(store.remove("k", 0));
        store.close();
    }

    @Test
    void aTransactionIsAllOrNothing() {
        MvKeyValueStore store = new MvKeyValueStore(dir.resolve("s.mv.db"));
        long va = store.put("x/a", b("a"));
        store.put("x/b", b("b"));
        assertTrue(store.commit(Transaction.builder().expect("x/a", va + 1).put("x/c", b("c")).remove("x/b").build())
                .isEmpty());
        assertEquals(List.of("x/a", "x/b"), store.list("x/").stream().map(Versioned::key).toList());
        assertTrue(store.commit(Transaction.builder().expect("x/a", va).put("x/c", b("c")).remove("x/b").build())
                .isPresent());
        assertEquals(List.of("x/a", "x/c"), store.list("x/").stream().map(Versioned::key).toList());
        store.close();
    }

    @Test
    void listIsByPrefixInKeyOrderAndWatchesSeeChangesInOrder() throws Exception {
        MvKeyValueStore store = new MvKeyValueStore(dir.resolve("s.mv.db"));
        List<StoreEvent> seen = new ArrayList<>();
        AutoCloseable watch = store.watch("p/", seen::add);
        store.put("p/2", b("2"));
        store.put("q/1", b("other prefix"));
        store.put("p/1", b("1"));
        store.remove("p/2", 0);
        assertEquals(List.of("p/1"), store.list("p/").stream().map(Versioned::key).toList());
        assertEquals(List.of("p/2", "p/1", "p/2"), seen.stream().map(StoreEvent::key).toList());
        assertTrue(seen.get(2).removed());
        assertTrue(seen.get(0).revision() < seen.get(1).revision());
        watch.close();
        store.put("p/3", b("3"));
        assertEquals(3, seen.size());
        store.close();
    }

    @Test
    void watchesSeeATransactionsChangesInTheOrderWritten() throws Exception {
        MvKeyValueStore store = new MvKeyValueStore(dir.resolve("s.mv.db"));
        List<String> seen = new ArrayList<>();
        store.watch("p/", e -> seen.add(e.key()));
        Transaction.Builder tx = Transaction.builder();
        List<String> written = new ArrayList<>();
        for (int i = 999; i >= 0; i--) { // neither key order nor, for 1,000 keys, hash order
            written.add("p/" + i);
            tx.put("p/" + i, b("v" + i));
        }
        assertTrue(store.commit(tx.build()).isPresent());
        assertEquals(written, seen);
        store.close();
    }

    @Test
    void everythingSurvivesAReopenAndRevisionsKeepGrowing() {
        Path file = dir.resolve("s.mv.db");
        MvKeyValueStore store = new MvKeyValueStore(file);
        long last = 0;
        for (int i = 0; i < 100; i++) {
            last = store.put("k/" + i, b("v" + i));
        }
        store.close();
        MvKeyValueStore reopened = new MvKeyValueStore(file);
        assertEquals(100, reopened.list("k/").size());
        assertArrayEquals(b("v42"), reopened.get("k/42").orElseThrow().value());
        assertTrue(reopened.put("k/new", b("n")) > last, "revisions continue after a restart");
        reopened.close();
    }
}
