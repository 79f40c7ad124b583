package org.daolinet.api.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Shared state of the controller, shaped like a distributed key-value store (etcd, ZooKeeper) so that one
 * controller can run on an embedded store and several can later share a distributed one with the same code.
 * Keys are slash-separated paths. Every write gets a revision from one store-wide counter that only grows; the
 * revision of a key's last write is its version, which compare-and-set checks.
 */
public interface KeyValueStore {

    Optional<Versioned> get(String key);

    /** Every entry whose key starts with {@code prefix}, ordered by key. */
    List<Versioned> list(String prefix);

    /** Writes unconditionally; returns the new version. */
    long put(String key, byte[] value);

    /**
     * Writes only if the key's current version is {@code expectedVersion} (0: only if the key is absent).
     *
     * @return the new version, or empty if the condition failed
     */
    Optional<Long> compareAndSet(String key, long expectedVersion, byte[] value);

    /** Removes only if the key's version is {@code expectedVersion} (0: whatever it is); false if it did not. */
    boolean remove(String key, long expectedVersion);

    /**
     * Applies several writes and removals atomically, only if every key in {@code expectedVersions} still has the
     * given version (0: absent). Either all of it is applied and durable, or none.
     *
     * @return the revision of the transaction, or empty if a condition failed
     */
    Optional<Long> commit(Transaction transaction);

    /**
     * Calls {@code listener} with every change under {@code prefix}, after it is durable, in revision order.
     * Close the returned handle to stop.
     */
    AutoCloseable watch(String prefix, Consumer<StoreEvent> listener);
}
