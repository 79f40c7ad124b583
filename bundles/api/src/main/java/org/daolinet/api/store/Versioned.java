package org.daolinet.api.store;

/** A stored value with the revision of its last write. */
public record Versioned(String key, byte[] value, long version) {
}
