package org.daolinet.switching;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.daolinet.api.config.ConfigEvent;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.NetworkConfigListener;
import org.daolinet.api.config.NetworkConfigService;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.pipeline.EndpointIndex;
import org.daolinet.api.store.KeyValueStore;
import org.daolinet.api.store.Versioned;
import org.daolinet.api.util.KeyHash;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints and hosts as the PacketIn path needs them: found by subnet and address in constant time, and each with its
 * underlay alias. An alias is a locally administered MAC ({@code da:xx:xx:xx:xx:xx}) unique across the whole
 * network, allocated once per endpoint in the shared store. Frames crossing an L2 underlay carry the two
 * endpoints' aliases instead of their own MACs: tenants' MACs and addresses may overlap, the aliases never do, so
 * every cross-host connection stays unique on the wire whatever its protocol, and the underlay sees an ordinary
 * L2 network of unique stations.
 */
@Component(service = {EndpointDirectory.class, EndpointIndex.class, NetworkConfigListener.class}, immediate = true)
public class EndpointDirectory implements EndpointIndex, NetworkConfigListener {

    private static final Logger log = LoggerFactory.getLogger(EndpointDirectory.class);
    private static final String ALIASES = "switching/aliases/";
    private static final String NEXT_ALIAS = "switching/alias-next";
    private static final long ALIAS_BASE = 0xDAL << 40;
    /** Aliases allocated per store transaction: big enough to declare 100,000 endpoints in seconds. */
    static final int ALIAS_BATCH = 1024;
    /**
     * How long the allocator lets declarations gather before it writes: a batch of endpoints arrives as a stream
     * of events, and writing at the first of them would make a transaction per handful.
     */
    private static final long ALIAS_LINGER_MILLIS = 10;

    record SubnetAddress(String subnetId, IPv4Address ip) {
        @Override
        public int hashCode() {
            return KeyHash.of(subnetId.hashCode(), ip.getInt()); // not the record's own: see KeyHash
        }
    }

    @Reference
    NetworkConfigService config;

    @Reference
    KeyValueStore store;

    private final Map<SubnetAddress, Endpoint> bySubnetAddress = new ConcurrentHashMap<>();
    private final Map<DatapathId, Host> hostByDpid = new ConcurrentHashMap<>();
    /** The hosts by id, as the configuration has them: asked twice per cross-host decision. */
    private final Map<String, Host> hostById = new ConcurrentHashMap<>();
    private final Map<String, MacAddress> aliasOf = new ConcurrentHashMap<>();
    private final Map<MacAddress, String> endpointOfAlias = new ConcurrentHashMap<>();
    private final Map<String, Subnet> subnets = new ConcurrentHashMap<>();
    /** Each VPC's subnets; replaced whole on a change, so readers never see one half-updated. */
    private final Map<String, List<Subnet>> subnetsOfVpc = new ConcurrentHashMap<>();
    /** Endpoints declared but without an alias yet, in declaration order; guarded by {@code this}. */
    private final Set<String> awaitingAlias = new LinkedHashSet<>();
    private ScheduledExecutorService aliasAllocator;

    @Activate
    public void activate() {
        aliasAllocator = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "daolinet-alias-allocator");
            t.setDaemon(true);
            return t;
        });
        for (Versioned v : store.list(ALIASES)) {
            remember(v.key().substring(ALIASES.length()), alias(Long.parseLong(text(v))));
        }
        for (Endpoint e : config.list(Endpoint.class)) {
            add(e);
        }
        for (Host h : config.list(Host.class)) {
            indexHost(h);
        }
        for (Subnet s : config.list(Subnet.class)) {
            subnets.put(s.id(), s);
            indexSubnetsOf(s.vpcId());
        }
        allocateAwaiting();
        log.info("Endpoint directory ready: {} endpoints, {} underlay aliases", bySubnetAddress.size(),
                aliasOf.size());
    }

    /**
     * Lets a batch being written finish (an interrupt inside the store's file I/O would close its file for every
     * other user); aliases still awaited are allocated on first use after the next start.
     */
    @Deactivate
    public void deactivate() {
        aliasAllocator.shutdown();
        try {
            if (!aliasAllocator.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Underlay alias allocation still running after 10 s; leaving it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void configChanged(ConfigEvent event) {
        apply(event);
    }

    /** Applies an endpoint change; applying the same event twice does no harm. */
    void apply(ConfigEvent event) {
        if (event.previous() instanceof Endpoint before) {
            bySubnetAddress.remove(new SubnetAddress(before.subnetId(), before.ip()), before);
            if (event.type() == ConfigEvent.Type.REMOVED) {
                release(before.id());
            }
        }
        if (event.current() instanceof Endpoint after) {
            add(after);
        }
        if (event.previous() instanceof Host before) {
            unindexHost(before);
        }
        if (event.current() instanceof Host after) {
            indexHost(after);
        }
        if (event.previous() instanceof Subnet before) {
            subnets.remove(before.id(), before);
            indexSubnetsOf(before.vpcId());
        }
        if (event.current() instanceof Subnet after) {
            subnets.put(after.id(), after);
            indexSubnetsOf(after.vpcId());
        }
    }

    /** A host is found by its bridge's datapath id and by its id: both maps change together. */
    private void indexHost(Host h) {
        hostByDpid.put(h.dpid(), h);
        hostById.put(h.id(), h);
    }

    private void unindexHost(Host h) {
        hostByDpid.remove(h.dpid(), h);
        hostById.remove(h.id(), h);
    }

    private synchronized void indexSubnetsOf(String vpcId) {
        List<Subnet> of = subnets.values().stream().filter(s -> s.vpcId().equals(vpcId)).toList();
        if (of.isEmpty()) {
            subnetsOfVpc.remove(vpcId);
        } else {
            subnetsOfVpc.put(vpcId, of);
        }
    }

    @Override
    public Optional<Subnet> subnetOf(String vpcId, IPv4Address ip) {
        for (Subnet s : subnetsOfVpc.getOrDefault(vpcId, List.of())) {
            if (s.cidr().contains(ip)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Subnet> subnet(String subnetId) {
        return Optional.ofNullable(subnets.get(subnetId));
    }

    /** The host whose bridge has this datapath id. */
    public Optional<Host> hostOf(DatapathId dpid) {
        return Optional.ofNullable(hostByDpid.get(dpid));
    }

    /** The port of a host's switch that leads to the underlay, if the switch has it. */
    public static Optional<OFPort> uplinkOf(OpenFlowSwitch sw, Host host) {
        return sw.port(host.underlayPort()).map(OFPortDesc::getPortNo);
    }

    public Optional<Host> host(String id) {
        return Optional.ofNullable(hostById.get(id));
    }

    private void add(Endpoint e) {
        bySubnetAddress.put(new SubnetAddress(e.subnetId(), e.ip()), e);
        if (!aliasOf.containsKey(e.id())) {
            boolean first;
            synchronized (this) {
                first = awaitingAlias.isEmpty();
                awaitingAlias.add(e.id());
            }
            if (first && aliasAllocator != null) {
                try {
                    aliasAllocator.schedule(this::allocateAwaiting, ALIAS_LINGER_MILLIS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    // deactivated: the alias is allocated on first use after the next start
                }
            }
        }
    }

    /** Whether the endpoint's alias is known (without allocating it). */
    boolean hasAlias(String endpointId) {
        return aliasOf.containsKey(endpointId);
    }

    /** Endpoints declared whose alias is still being allocated. */
    public synchronized int aliasesAwaited() {
        return awaitingAlias.size();
    }

    public Optional<Endpoint> endpoint(String id) {
        return config.get(Endpoint.class, id);
    }

    @Override
    public Optional<Endpoint> inSubnet(String subnetId, IPv4Address ip) {
        return Optional.ofNullable(bySubnetAddress.get(new SubnetAddress(subnetId, ip)));
    }

    /** The endpoint's alias on an L2 underlay, allocated now if it has none yet. */
    public MacAddress aliasOf(String endpointId) {
        MacAddress known = aliasOf.get(endpointId);
        return known != null ? known : allocate(endpointId);
    }

    public Optional<String> endpointWithAlias(MacAddress alias) {
        return Optional.ofNullable(endpointOfAlias.get(alias));
    }

    public static boolean isAlias(MacAddress mac) {
        return (mac.getLong() & (0xFFL << 40)) == ALIAS_BASE;
    }

    /**
     * The alias of an endpoint the PacketIn path met before its batch was allocated (declared a moment ago):
     * allocated now, alone.
     */
    private synchronized MacAddress allocate(String endpointId) {
        MacAddress known = aliasOf.get(endpointId);
        if (known == null) {
            allocateInStore(List.of(endpointId));
            awaitingAlias.remove(endpointId);
            known = aliasOf.get(endpointId);
        }
        return known;
    }

    /**
     * Allocates every awaited alias, {@value #ALIAS_BATCH} per store transaction: the counter moves once per
     * batch and the batch's aliases are written with it. Runs on the allocator thread, off the PacketIn path.
     */
    private void allocateAwaiting() {
        while (true) {
            synchronized (this) {
                List<String> batch = new ArrayList<>(Math.min(ALIAS_BATCH, awaitingAlias.size()));
                for (Iterator<String> it = awaitingAlias.iterator(); it.hasNext() && batch.size() < ALIAS_BATCH; ) {
                    batch.add(it.next());
                    it.remove();
                }
                if (batch.isEmpty()) {
                    return;
                }
                try {
                    allocateInStore(batch);
                } catch (RuntimeException e) {
                    log.error("Cannot allocate underlay aliases for {} endpoint(s); they get theirs on first use",
                            batch.size(), e);
                    return;
                }
            }
        }
    }

    /**
     * One transaction: expects the counter and each alias key as read, so that another controller's allocation
     * in between makes it retry; an alias another controller stored meanwhile is adopted, not replaced.
     */
    private void allocateInStore(List<String> endpointIds) {
        List<String> todo = new ArrayList<>(endpointIds);
        while (true) {
            todo.removeIf(id -> aliasOf.containsKey(id) || adoptStored(id));
            if (todo.isEmpty()) {
                return;
            }
            Optional<Versioned> next = store.get(NEXT_ALIAS);
            long first = next.map(v -> Long.parseLong(text(v))).orElse(1L);
            org.daolinet.api.store.Transaction.Builder tx = org.daolinet.api.store.Transaction.builder()
                    .expect(NEXT_ALIAS, next.map(Versioned::version).orElse(0L))
                    .put(NEXT_ALIAS, bytes(first + todo.size()));
            for (int i = 0; i < todo.size(); i++) {
                tx.expect(ALIASES + todo.get(i), 0).put(ALIASES + todo.get(i), bytes(first + i));
            }
            if (store.commit(tx.build()).isPresent()) {
                for (int i = 0; i < todo.size(); i++) {
                    remember(todo.get(i), alias(first + i));
                }
                return;
            }
        }
    }

    private boolean adoptStored(String endpointId) {
        Optional<Versioned> stored = store.get(ALIASES + endpointId);
        stored.ifPresent(v -> remember(endpointId, alias(Long.parseLong(text(v)))));
        return stored.isPresent();
    }

    private void release(String endpointId) {
        synchronized (this) {
            awaitingAlias.remove(endpointId);
        }
        MacAddress a = aliasOf.remove(endpointId);
        if (a != null) {
            endpointOfAlias.remove(a, endpointId);
        }
        store.remove(ALIASES + endpointId, 0);
    }

    private void remember(String endpointId, MacAddress alias) {
        aliasOf.put(endpointId, alias);
        endpointOfAlias.put(alias, endpointId);
    }

    private static MacAddress alias(long index) {
        if (index <= 0 || index >= (1L << 40)) {
            throw new IllegalStateException("underlay alias index out of range: " + index);
        }
        return MacAddress.of(ALIAS_BASE | index);
    }

    private static byte[] bytes(long v) {
        return Long.toString(v).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Versioned v) {
        return new String(v.value(), StandardCharsets.UTF_8).trim();
    }
}
