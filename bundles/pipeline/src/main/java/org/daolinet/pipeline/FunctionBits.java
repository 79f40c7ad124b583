package org.daolinet.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.daolinet.api.store.KeyValueStore;
import org.daolinet.api.store.Versioned;

/**
 * Which cookie bit each network function owns, and the controller run's epoch, both kept in the shared store: a
 * function keeps its bit across restarts and every controller sharing the store reads flows the same way.
 */
final class FunctionBits {

    private static final String PREFIX = "pipeline/functions/";
    private static final String EPOCH_KEY = "pipeline/epoch";

    private final KeyValueStore store;
    private final Map<String, Integer> byName = new ConcurrentHashMap<>();
    private final Map<Integer, String> byBit = new ConcurrentHashMap<>();

    FunctionBits(KeyValueStore store) {
        this.store = store;
        for (Versioned v : store.list(PREFIX)) {
            remember(v.key().substring(PREFIX.length()), Integer.parseInt(text(v)));
        }
    }

    /** The function's bit, allocating the lowest free one the first time a name is seen. */
    synchronized int bitOf(String name) {
        Integer known = byName.get(name);
        if (known != null) {
            return known;
        }
        while (true) {
            Set<Integer> taken = new HashSet<>();
            for (Versioned v : store.list(PREFIX)) {
                taken.add(Integer.parseInt(text(v)));
            }
            Optional<Versioned> stored = store.get(PREFIX + name);
            if (stored.isPresent()) {
                int bit = Integer.parseInt(text(stored.get()));
                remember(name, bit);
                return bit;
            }
            int free = 0;
            while (taken.contains(free)) {
                free++;
            }
            if (free >= Cookies.MAX_FUNCTIONS) {
                throw new IllegalStateException("all " + Cookies.MAX_FUNCTIONS + " function cookie bits are taken ("
                        + taken.size() + " functions have been registered); remove old ones under " + PREFIX);
            }
            if (store.compareAndSet(PREFIX + name, 0, Integer.toString(free).getBytes(StandardCharsets.UTF_8))
                    .isPresent()) {
                remember(name, free);
                return free;
            }
            // another controller took a bit at the same moment: look again
        }
    }

    Optional<String> nameOf(int bit) {
        return Optional.ofNullable(byBit.get(bit));
    }

    /** Starts a new controller run: the epoch after the stored one, stored. */
    int nextEpoch() {
        while (true) {
            Optional<Versioned> current = store.get(EPOCH_KEY);
            int next = Cookies.nextEpoch(current.map(v -> Integer.parseInt(text(v))).orElse(0));
            if (store.compareAndSet(EPOCH_KEY, current.map(Versioned::version).orElse(0L),
                    Integer.toString(next).getBytes(StandardCharsets.UTF_8)).isPresent()) {
                return next;
            }
        }
    }

    private void remember(String name, int bit) {
        byName.put(name, bit);
        byBit.put(bit, name);
    }

    private static String text(Versioned v) {
        return new String(v.value(), StandardCharsets.UTF_8).trim();
    }
}
