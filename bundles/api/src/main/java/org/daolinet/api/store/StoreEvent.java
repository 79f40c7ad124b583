package org.daolinet.api.store;

/** A change seen by a watch: {@code value} is null when the key was removed. */
public record StoreEvent(String key, byte[] value, long revision) {

    public boolean removed() {
        return value == null;
    }
}
