package org.daolinet.netconfig;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.daolinet.api.config.ConfigConflictException;
import org.daolinet.api.config.ConfigEvent;
import org.daolinet.api.config.ConfigKind;
import org.daolinet.api.config.ConfigNotFoundException;
import org.daolinet.api.config.ConfigObject;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.InvalidConfigException;
import org.daolinet.api.config.NetworkConfigListener;
import org.daolinet.api.config.NetworkConfigService;
import org.daolinet.api.store.KeyValueStore;
import org.daolinet.api.store.StoreEvent;
import org.daolinet.api.store.Transaction;
import org.daolinet.api.store.Versioned;
import org.daolinet.json.ConfigJson;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the declared network in the {@link KeyValueStore} (one JSON document per object under
 * {@code config/<kind>/<id>}) and a read cache of it that the store's watch keeps current, so that changes made
 * by another controller on a shared store will arrive the same way as local ones. Writes are validated against
 * the cache and stored with compare-and-set.
 */
@Component(service = NetworkConfigService.class)
public class NetworkConfigManager implements NetworkConfigService {

    private static final Logger log = LoggerFactory.getLogger(NetworkConfigManager.class);
    private static final String ROOT = "config/";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final ConfigJson json = new ConfigJson();
    /** Ordered by id, for list(). */
    private final Map<ConfigKind, Map<String, ConfigObject>> cache = new EnumMap<>(ConfigKind.class);
    /** The same objects by id in a hash map: get() is on the PacketIn path, a skip list costs ~17 string compares. */
    private final Map<ConfigKind, Map<String, ConfigObject>> byId = new EnumMap<>(ConfigKind.class);
    private final List<NetworkConfigListener> listeners = new CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private final EndpointClashIndex endpoints = new EndpointClashIndex();
    private final ConfigValidator validator;
    private ExecutorService events;
    private AutoCloseable watch;

    @Reference
    KeyValueStore store;

    public NetworkConfigManager() {
        for (ConfigKind kind : ConfigKind.values()) {
            cache.put(kind, new ConcurrentSkipListMap<>());
            byId.put(kind, new java.util.concurrent.ConcurrentHashMap<>());
        }
        // reads go to the cache, which every write below keeps current before validating the next one
        validator = new ConfigValidator(this, endpoints);
    }

    /** For use outside OSGi (tests, tools). */
    public NetworkConfigManager(KeyValueStore store) {
        this();
        this.store = store;
        activate();
    }

    @Activate
    final void activate() {
        events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "daolinet-config-events");
            t.setDaemon(true);
            return t;
        });
        int loaded = 0;
        for (ConfigKind kind : ConfigKind.values()) {
            for (Versioned v : store.list(ROOT + kind.plural() + "/")) {
                if (load(kind, v.key(), v.value())) {
                    loaded++;
                }
            }
        }
        watch = store.watch(ROOT, this::stored);
        log.info("Network configuration loaded: {} objects", loaded);
    }

    @Deactivate
    public void deactivate() {
        try {
            if (watch != null) {
                watch.close();
            }
        } catch (Exception e) {
            log.debug("closing the store watch", e);
        }
        if (events != null) {
            events.shutdown();
            try {
                events.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean load(ConfigKind kind, String key, byte[] value) {
        try {
            ConfigObject o = json.read(value, kind.type());
            ConfigObject previous = cache.get(kind).put(o.id(), o);
            byId.get(kind).put(o.id(), o);
            if (previous instanceof Endpoint before) {
                endpoints.remove(before);
            }
            if (o instanceof Endpoint after) {
                endpoints.add(after);
            }
            return true;
        } catch (InvalidConfigException e) {
            // never let one bad document take the whole configuration down; say loudly which one
            log.error("Skipping unreadable stored configuration {}: {} {}", key, e.field(), e.getMessage());
            return false;
        }
    }

    /** Every stored change, local or not, updates the cache and is announced, in store order. */
    private void stored(StoreEvent event) {
        String rest = event.key().substring(ROOT.length());
        int slash = rest.indexOf('/');
        Optional<ConfigKind> kind = slash < 0 ? Optional.empty() : ConfigKind.byName(rest.substring(0, slash));
        if (kind.isEmpty()) {
            return;
        }
        String id = rest.substring(slash + 1);
        Map<String, ConfigObject> objects = cache.get(kind.get());
        ConfigObject previous = objects.get(id);
        ConfigEvent change;
        if (event.removed()) {
            objects.remove(id);
            byId.get(kind.get()).remove(id);
            if (previous instanceof Endpoint before) {
                endpoints.remove(before);
            }
            change = new ConfigEvent(ConfigEvent.Type.REMOVED, null, previous);
        } else {
            if (!load(kind.get(), event.key(), event.value())) {
                return;
            }
            change = new ConfigEvent(previous == null ? ConfigEvent.Type.ADDED : ConfigEvent.Type.UPDATED,
                    objects.get(id), previous);
        }
        if (change.subject() != null) {
            events.execute(() -> announce(change));
        }
    }

    private void announce(ConfigEvent change) {
        for (NetworkConfigListener l : listeners) {
            try {
                l.configChanged(change);
            } catch (RuntimeException e) {
                log.warn("Configuration listener {} failed on {}", l, change, e);
            }
        }
    }

    // ---- NetworkConfigService ------------------------------------------------------------------------------

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T extends ConfigObject> T create(T object) {
        if (object == null) {
            throw new InvalidConfigException(null, "nothing to create");
        }
        ConfigKind kind = ConfigKind.of(object);
        T toStore = object;
        if (object.id() == null || object.id().isBlank()) {
            toStore = (T) object.withId(newId(kind));
        } else {
            checkId(object.id());
            if (cache.get(kind).containsKey(object.id())) {
                throw new ConfigConflictException("id", kind.singular() + " " + object.id()
                        + " already exists");
            }
        }
        validator.validate(toStore);
        if (store.compareAndSet(key(kind, toStore.id()), 0, json.toBytes(toStore)).isEmpty()) {
            throw new ConfigConflictException("id", kind.singular() + " " + toStore.id()
                    + " was created meanwhile by someone else");
        }
        return toStore;
    }

    /**
     * All or nothing, in one store transaction: one commit (and one sync) for the whole list instead of one per
     * object, which is what makes declaring tens of thousands of endpoints take seconds, not hours.
     */
    @Override
    public synchronized List<ConfigObject> createAll(List<? extends ConfigObject> objects) {
        Staged staged = new Staged();
        ConfigValidator batchValidator = new ConfigValidator(staged, staged.endpoints);
        Transaction.Builder tx = Transaction.builder();
        List<ConfigObject> out = new ArrayList<>(objects.size());
        for (ConfigObject object : objects) {
            if (object == null) {
                throw new InvalidConfigException(null, "nothing to create at position " + out.size());
            }
            ConfigKind kind = ConfigKind.of(object);
            ConfigObject toStore = object;
            if (object.id() == null || object.id().isBlank()) {
                String id;
                do {
                    id = newId(kind);
                } while (staged.has(kind, id));
                toStore = object.withId(id);
            } else {
                checkId(object.id());
                if (staged.get(kind.type(), object.id()).isPresent()) {
                    throw new ConfigConflictException("id", kind.singular() + " " + object.id() + " already exists");
                }
            }
            batchValidator.validate(toStore);
            staged.add(kind, toStore);
            String key = key(kind, toStore.id());
            tx.expect(key, 0).put(key, json.toBytes(toStore));
            out.add(toStore);
        }
        if (!out.isEmpty() && store.commit(tx.build()).isEmpty()) {
            throw new ConfigConflictException("id", "some of the objects were created meanwhile by someone else");
        }
        return out;
    }

    /** The stored configuration plus the objects of a batch not stored yet, for validating the batch. */
    private final class Staged implements NetworkConfigService {
        final Map<ConfigKind, Map<String, ConfigObject>> added = new EnumMap<>(ConfigKind.class);
        final EndpointClashIndex endpoints = NetworkConfigManager.this.endpoints.over();

        void add(ConfigKind kind, ConfigObject o) {
            added.computeIfAbsent(kind, k -> new HashMap<>()).put(o.id(), o);
            if (o instanceof Endpoint e) {
                endpoints.add(e);
            }
        }

        boolean has(ConfigKind kind, String id) {
            return cache.get(kind).containsKey(id) || added.getOrDefault(kind, Map.of()).containsKey(id);
        }

        @Override
        public <T extends ConfigObject> Optional<T> get(Class<T> type, String id) {
            if (id == null) {
                return Optional.empty();
            }
            ConfigObject o = added.getOrDefault(ConfigKind.of(type), Map.of()).get(id);
            return o != null ? Optional.of(type.cast(o)) : NetworkConfigManager.this.get(type, id);
        }

        @Override
        public <T extends ConfigObject> List<T> list(Class<T> type) {
            List<T> out = NetworkConfigManager.this.list(type);
            for (ConfigObject o : added.getOrDefault(ConfigKind.of(type), Map.of()).values()) {
                out.add(type.cast(o));
            }
            return out;
        }

        @Override
        public <T extends ConfigObject> T create(T object) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends ConfigObject> T update(T object) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends ConfigObject> T delete(Class<T> type, String id) {
            throw new UnsupportedOperationException();
        }
    }

    @Override
    public synchronized <T extends ConfigObject> T update(T object) {
        if (object == null || object.id() == null || object.id().isBlank()) {
            throw new InvalidConfigException("id", "id is required to update");
        }
        ConfigKind kind = ConfigKind.of(object);
        String key = key(kind, object.id());
        Versioned current = store.get(key).orElseThrow(() -> new ConfigNotFoundException("id",
                kind.singular() + " " + object.id() + " does not exist"));
        validator.validate(object);
        if (store.compareAndSet(key, current.version(), json.toBytes(object)).isEmpty()) {
            throw new ConfigConflictException("id", kind.singular() + " " + object.id()
                    + " was changed meanwhile by someone else; read it again and retry");
        }
        return object;
    }

    @Override
    public <T extends ConfigObject> Optional<T> get(Class<T> type, String id) {
        if (id == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(type.cast(byId.get(ConfigKind.of(type)).get(id)));
    }

    @Override
    public <T extends ConfigObject> List<T> list(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (ConfigObject o : cache.get(ConfigKind.of(type)).values()) {
            out.add(type.cast(o));
        }
        return out;
    }

    @Override
    public synchronized <T extends ConfigObject> T delete(Class<T> type, String id) {
        ConfigKind kind = ConfigKind.of(type);
        T existing = get(type, id).orElseThrow(() -> new ConfigNotFoundException("id",
                kind.singular() + " " + id + " does not exist"));
        validator.checkDeletable(existing);
        long version = store.get(key(kind, id)).map(Versioned::version).orElse(0L);
        if (version == 0 || !store.remove(key(kind, id), version)) {
            throw new ConfigConflictException("id", kind.singular() + " " + id
                    + " was changed meanwhile by someone else; retry");
        }
        return existing;
    }

    private String newId(ConfigKind kind) {
        String id;
        do {
            byte[] bytes = new byte[6];
            random.nextBytes(bytes);
            id = kind.idPrefix() + "-" + HexFormat.of().formatHex(bytes);
        } while (cache.get(kind).containsKey(id));
        return id;
    }

    private static void checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new InvalidConfigException("id", "'" + id + "' is not a valid id: 1 to 64 letters, digits, '.', "
                    + "'_' or '-', starting with a letter or digit");
        }
    }

    private static String key(ConfigKind kind, String id) {
        return ROOT + kind.plural() + "/" + id;
    }

    // ---- listeners: bound by the ConfigListenerWhiteboard component in Karaf, called directly by tests --------

    public void addListener(NetworkConfigListener listener) {
        listeners.add(listener);
    }

    public void removeListener(NetworkConfigListener listener) {
        listeners.remove(listener);
    }
}
