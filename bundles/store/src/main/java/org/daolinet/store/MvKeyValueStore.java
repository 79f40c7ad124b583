package org.daolinet.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.daolinet.api.store.KeyValueStore;
import org.daolinet.api.store.StoreEvent;
import org.daolinet.api.store.Transaction;
import org.daolinet.api.store.Versioned;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of a controller that runs alone: H2's MVStore, an append-only file of copy-on-write B-trees. A
 * commit writes a new chunk and is only visible once complete, so a crash (kill -9, power loss after the sync)
 * leaves the state of the last commit, never a partial one. Writes are serialized here; reads are lock-free.
 */
@Component(service = KeyValueStore.class, configurationPid = "org.daolinet.store",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class MvKeyValueStore implements KeyValueStore {

    private static final Logger log = LoggerFactory.getLogger(MvKeyValueStore.class);
    private static final String REVISION = "revision";

    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private MVStore store;
    private MVMap<String, byte[]> data;
    private MVMap<String, Long> meta;
    private long revision;

    /** For OSGi; {@link #activate(Map)} opens the file. */
    public MvKeyValueStore() {
    }

    /** Opens (or creates) the store file at {@code path}; for use outside OSGi. */
    public MvKeyValueStore(Path path) {
        open(path);
    }

    @Activate
    void activate(Map<String, Object> properties) {
        Object configured = properties.get("path");
        Path path = configured != null && !configured.toString().isBlank() ? Path.of(configured.toString().trim())
                : Path.of(System.getProperty("karaf.data", "data"), "daolinet", "store.mv.db");
        open(path);
    }

    private void open(Path path) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the folder of store " + path + ": " + e.getMessage(), e);
        }
        store = new MVStore.Builder().fileName(path.toString()).autoCommitDisabled().open();
        data = store.openMap("data");
        meta = store.openMap("meta");
        revision = meta.getOrDefault(REVISION, 0L);
        log.info("Store {} open: {} keys, revision {}", path, data.size(), revision);
    }

    @Deactivate
    public synchronized void close() {
        if (store != null && !store.isClosed()) {
            store.close();
        }
    }

    @Override
    public Optional<Versioned> get(String key) {
        byte[] raw = data.get(key);
        return raw == null ? Optional.empty() : Optional.of(decode(key, raw));
    }

    @Override
    public List<Versioned> list(String prefix) {
        List<Versioned> out = new ArrayList<>();
        Iterator<String> keys = data.keyIterator(prefix);
        while (keys.hasNext()) {
            String key = keys.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            byte[] raw = data.get(key);
            if (raw != null) {
                out.add(decode(key, raw));
            }
        }
        return out;
    }

    @Override
    public long put(String key, byte[] value) {
        return commit(Transaction.builder().put(key, value).build()).orElseThrow();
    }

    @Override
    public Optional<Long> compareAndSet(String key, long expectedVersion, byte[] value) {
        return commit(Transaction.builder().expect(key, expectedVersion).put(key, value).build());
    }

    @Override
    public boolean remove(String key, long expectedVersion) {
        Transaction.Builder tx = Transaction.builder().remove(key);
        if (expectedVersion != 0) {
            tx.expect(key, expectedVersion);
        } else if (!data.containsKey(key)) {
            return false;
        }
        return commit(tx.build()).isPresent();
    }

    @Override
    public synchronized Optional<Long> commit(Transaction tx) {
        for (Map.Entry<String, Long> e : tx.expectedVersions().entrySet()) {
            long actual = get(e.getKey()).map(Versioned::version).orElse(0L);
            if (actual != e.getValue()) {
                return Optional.empty();
            }
        }
        long next = revision + 1;
        List<StoreEvent> events = new ArrayList<>();
        try {
            for (String key : tx.removes()) {
                if (data.remove(key) != null) {
                    events.add(new StoreEvent(key, null, next));
                }
            }
            for (Map.Entry<String, byte[]> e : tx.puts().entrySet()) {
                data.put(e.getKey(), encode(next, e.getValue()));
                events.add(new StoreEvent(e.getKey(), e.getValue().clone(), next));
            }
            meta.put(REVISION, next);
            store.commit();
            // the commit is in the OS's hands now (safe from a killed process); sync makes it safe from power loss
            store.sync();
        } catch (RuntimeException e) {
            store.rollback();
            throw e;
        }
        revision = next;
        for (StoreEvent event : events) {
            for (Watch w : watches) {
                if (event.key().startsWith(w.prefix)) {
                    try {
                        w.listener.accept(event);
                    } catch (RuntimeException e) {
                        log.warn("Store watch on {} failed for {}", w.prefix, event.key(), e);
                    }
                }
            }
        }
        return Optional.of(next);
    }

    @Override
    public AutoCloseable watch(String prefix, Consumer<StoreEvent> listener) {
        Watch w = new Watch(prefix, listener);
        watches.add(w);
        return () -> watches.remove(w);
    }

    public synchronized long revision() {
        return revision;
    }

    private static byte[] encode(long version, byte[] value) {
        return ByteBuffer.allocate(8 + value.length).putLong(version).put(value).array();
    }

    private static Versioned decode(String key, byte[] raw) {
        ByteBuffer buf = ByteBuffer.wrap(raw);
        long version = buf.getLong();
        byte[] value = new byte[raw.length - 8];
        buf.get(value);
        return new Versioned(key, value, version);
    }

    private record Watch(String prefix, Consumer<StoreEvent> listener) {
    }
}
