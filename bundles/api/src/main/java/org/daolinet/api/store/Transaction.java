package org.daolinet.api.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Conditions plus writes, applied together by {@link KeyValueStore#commit(Transaction)}. */
public record Transaction(Map<String, Long> expectedVersions, Map<String, byte[]> puts, Set<String> removes) {

    public Transaction {
        expectedVersions = Map.copyOf(expectedVersions);
        // in the order written: the store announces a transaction's changes in this order, and a batch of a VPC,
        // its subnets and their endpoints should reach listeners as the writer listed it, not in hash order
        puts = Collections.unmodifiableMap(new LinkedHashMap<>(puts));
        removes = Collections.unmodifiableSet(new LinkedHashSet<>(removes));
        puts.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new NullPointerException("a transaction puts no null key or value");
            }
        });
        if (removes.contains(null)) {
            throw new NullPointerException("a transaction removes no null key");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, Long> expected = new LinkedHashMap<>();
        private final Map<String, byte[]> puts = new LinkedHashMap<>();
        private final Set<String> removes = new LinkedHashSet<>();

        public Builder expect(String key, long version) {
            expected.put(key, version);
            return this;
        }

        public Builder put(String key, byte[] value) {
            puts.put(key, value);
            return this;
        }

        public Builder remove(String key) {
            removes.add(key);
            return this;
        }

        public Transaction build() {
            return new Transaction(expected, puts, removes);
        }
    }
}
