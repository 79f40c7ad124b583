package org.daolinet.api.store;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Conditions plus writes, applied together by {@link KeyValueStore#commit(Transaction)}. */
public record Transaction(Map<String, Long> expectedVersions, Map<String, byte[]> puts, Set<String> removes) {

    public Transaction {
        expectedVersions = Map.copyOf(expectedVersions);
        puts = Map.copyOf(puts);
        removes = Set.copyOf(removes);
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
