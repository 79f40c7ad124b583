package org.daolinet.switching;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.daolinet.api.openflow.FlowRemovedListener;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.openflow.SwitchListener;
import org.daolinet.api.pipeline.Header;
import org.daolinet.api.store.KeyValueStore;
import org.daolinet.api.store.Versioned;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.OFPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translation keys: the source port a connection carries across a routed underlay ({@code hostA-IP:key ->
 * hostB-IP:port}), unique per source host address and protocol while the connection has flows anywhere, so that
 * no two connections ever look alike on the wire and the destination switch can map each one back.
 *
 * <p>Keys come from a configured port range, kept clear of the hosts' own ephemeral ports. The store holds them
 * in blocks of {@value #BLOCK}: a controller leases a block with one compare-and-set (so several controllers never
 * share one, and a restarted controller finds what was leased), then hands out its keys from memory, which keeps
 * the store off the path of every new connection. A key is held until every flow of its connection is gone, as
 * the switches report (FlowRemoved, sent for every connection flow), and a periodic audit against the switches'
 * flow tables frees the keys of flows whose removal was never reported. Blocks left by an earlier run are kept
 * out of use for a quarantine period (their flows are swept when their switches reconnect, or idle out), then
 * given back.
 */
@Component(service = {TranslationKeys.class, FlowRemovedListener.class, SwitchListener.class}, immediate = true,
        configurationPid = Mode.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class TranslationKeys implements FlowRemovedListener, SwitchListener {

    private static final Logger log = LoggerFactory.getLogger(TranslationKeys.class);
    static final String PREFIX = "translation/";
    static final int BLOCK = 64;

    /** The pool of keys of one source host address and protocol. */
    record PoolId(IPv4Address host, IpProtocol proto) {
        String storePrefix() {
            return PREFIX + host + "/" + proto.getIpProtocolNumber() + "/";
        }
    }

    /** One flow, as the switch names it in a FlowRemoved or a flow dump: where it is and what it matches. */
    record FlowId(DatapathId dpid, OFPort inPort, Header match) {
    }

    /** A key handed to one connection, and the flows that still carry it. */
    private final class Lease {
        final PoolId pool;
        final int key;
        final Set<FlowId> flows = ConcurrentHashMap.newKeySet();
        final Instant since;
        private final java.util.concurrent.atomic.AtomicBoolean released =
                new java.util.concurrent.atomic.AtomicBoolean();

        Lease(PoolId pool, int key, List<FlowId> flows, Instant since) {
            this.pool = pool;
            this.key = key;
            this.flows.addAll(flows);
            this.since = since;
        }

        void gone(FlowId flow) {
            if (flows.remove(flow) && flows.isEmpty() && released.compareAndSet(false, true)) {
                pools.get(pool).give(key);
            }
        }
    }

    @Reference
    KeyValueStore store;

    /**
     * The connected switches, as the southbound announces them to this listener; housekeeping audits their flow
     * tables. Not a reference to SwitchService: the southbound binds this component as one of its listeners, and a
     * reference back closes a cycle that Declarative Services reports as an error at every start.
     */
    private final Map<DatapathId, OpenFlowSwitch> connected = new ConcurrentHashMap<>();

    private final Clock clock;
    private final String run = UUID.randomUUID().toString();
    private final Map<PoolId, Pool> pools = new ConcurrentHashMap<>();
    private final Map<FlowId, Lease> leaseOfFlow = new ConcurrentHashMap<>();
    /** Blocks an earlier run leased, by store key, and when they may be given back. */
    private final Map<String, Instant> quarantined = new ConcurrentHashMap<>();
    private volatile int first = 20000;
    private volatile int last = 29999;
    private Duration audit = Duration.ofSeconds(30);
    private ScheduledExecutorService timer;

    public TranslationKeys() {
        this(Clock.systemUTC());
    }

    TranslationKeys(Clock clock) {
        this.clock = clock;
    }

    @Activate
    public void activate(Map<String, Object> properties) {
        String ports = String.valueOf(properties.getOrDefault("translation.ports", "20000-29999")).trim();
        String[] ends = ports.split("-");
        try {
            first = Integer.parseInt(ends[0].trim());
            last = ends.length > 1 ? Integer.parseInt(ends[1].trim()) : first;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("translation.ports: '" + ports + "' is not a range like 20000-29999");
        }
        if (ends.length > 2 || first < 1024 || last > 65535 || last - first + 1 < BLOCK) {
            throw new IllegalArgumentException("translation.ports: '" + ports + "' must lie in 1024-65535 and hold at"
                    + " least " + BLOCK + " ports");
        }
        audit = Duration.ofSeconds(seconds(properties, "translation.audit.seconds", 30));
        Duration quarantine = Duration.ofSeconds(seconds(properties, "translation.quarantine.seconds", 60));
        Instant free = clock.instant().plus(quarantine);
        for (Versioned v : store.list(PREFIX)) {
            quarantined.put(v.key(), free);
        }
        if (!quarantined.isEmpty()) {
            log.info("{} translation key block(s) of an earlier run are kept out of use for {} s", quarantined.size(),
                    quarantine.toSeconds());
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "daolinet-translation-keys");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::housekeeping, audit.toMillis(), audit.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Translation keys from ports {}-{}, in blocks of {}", first, last, BLOCK);
    }

    @Deactivate
    public void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private static long seconds(Map<String, Object> properties, String key, long fallback) {
        Object v = properties.get(key);
        try {
            long s = v == null ? fallback : Long.parseLong(v.toString().trim());
            if (s < 1) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a whole number of seconds >= 1");
        }
    }

    /**
     * A key for a new connection from host address {@code host}, held until every one of its flows (named by
     * {@code flowsWithKey} once the key is chosen) is gone.
     *
     * @return the key, or empty if every key of the range is in use
     */
    public OptionalInt allocate(IPv4Address host, IpProtocol proto, IntFunction<List<FlowId>> flowsWithKey) {
        PoolId id = new PoolId(host, proto);
        Pool pool = pools.get(id);
        if (pool == null) {
            pool = pools.computeIfAbsent(id, Pool::new); // locks the map's bin: only a host's first connection
        }
        OptionalInt key = pool.take();
        if (key.isEmpty()) {
            return key;
        }
        List<FlowId> flows = flowsWithKey.apply(key.getAsInt());
        Lease lease = new Lease(id, key.getAsInt(), flows, clock.instant());
        for (FlowId f : flows) {
            Lease before = leaseOfFlow.put(f, lease);
            if (before != null && before != lease) {
                before.gone(f); // the same flow installed again for a new decision replaces the old one
            }
        }
        return key;
    }

    /** Keys handed out and not yet released, over every host and protocol. */
    public int inUse() {
        return pools.values().stream().mapToInt(Pool::inUse).sum();
    }

    /** Blocks this controller leases in the store. */
    public int leasedBlocks() {
        return pools.values().stream().mapToInt(Pool::blocks).sum();
    }

    @Override
    public void flowRemoved(OpenFlowSwitch sw, OFFlowRemoved removed) {
        FlowId id = flowId(sw.id(), removed.getMatch());
        Lease lease = id == null ? null : leaseOfFlow.remove(id);
        if (lease != null) {
            lease.gone(id);
        }
    }

    /** A switch that comes back may have lost flows (or timed them out) without telling us: check at once. */
    @Override
    public void switchAdded(OpenFlowSwitch sw) {
        connected.put(sw.id(), sw);
        auditFlowsOf(sw, clock.instant());
    }

    @Override
    public void switchRemoved(OpenFlowSwitch sw) {
        connected.remove(sw.id(), sw);
    }

    private void housekeeping() {
        try {
            Instant now = clock.instant();
            quarantined.entrySet().removeIf(e -> {
                if (e.getValue().isAfter(now)) {
                    return false;
                }
                store.remove(e.getKey(), 0);
                return true;
            });
            Instant settled = now.minus(audit);
            Set<DatapathId> toAudit = new HashSet<>();
            leaseOfFlow.forEach((flow, lease) -> {
                if (lease.since.isBefore(settled)) {
                    toAudit.add(flow.dpid());
                }
            });
            for (DatapathId dpid : toAudit) {
                OpenFlowSwitch sw = connected.get(dpid);
                if (sw != null) {
                    auditFlowsOf(sw, settled);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Translation key housekeeping failed; retrying later", e);
        }
    }

    /** Releases the keys whose flows on {@code sw}, leased before {@code before}, are not in its flow table. */
    private void auditFlowsOf(OpenFlowSwitch sw, Instant before) {
        sw.allFlows().thenAccept(flows -> {
            Set<FlowId> present = new HashSet<>();
            for (OFFlowStatsEntry e : flows) {
                FlowId id = flowId(sw.id(), e.getMatch());
                if (id != null) {
                    present.add(id);
                }
            }
            int released = 0;
            for (Map.Entry<FlowId, Lease> e : new ArrayList<>(leaseOfFlow.entrySet())) {
                FlowId flow = e.getKey();
                Lease lease = e.getValue();
                if (flow.dpid().equals(sw.id()) && lease.since.isBefore(before) && !present.contains(flow)
                        && leaseOfFlow.remove(flow, lease)) {
                    lease.gone(flow);
                    released++;
                }
            }
            if (released > 0) {
                log.debug("{} flow(s) of translated connections were gone from {} unreported", released, sw.id());
            }
        });
    }

    /** The flow's identity from its match: in-port and the header fields it matches (null where it does not). */
    static FlowId flowId(DatapathId dpid, Match m) {
        OFPort in = exact(m, MatchField.IN_PORT);
        if (in == null) {
            return null;
        }
        IpProtocol proto = exact(m, MatchField.IP_PROTO);
        boolean tcp = IpProtocol.TCP.equals(proto);
        boolean udp = IpProtocol.UDP.equals(proto);
        Header h = new Header(exact(m, MatchField.ETH_SRC), exact(m, MatchField.ETH_DST),
                exact(m, MatchField.ETH_TYPE), exact(m, MatchField.IPV4_SRC), exact(m, MatchField.IPV4_DST), proto,
                tcp ? exact(m, MatchField.TCP_SRC) : udp ? exact(m, MatchField.UDP_SRC) : null,
                tcp ? exact(m, MatchField.TCP_DST) : udp ? exact(m, MatchField.UDP_DST) : null);
        return new FlowId(dpid, in, h);
    }

    private static <F extends org.projectfloodlight.openflow.types.OFValueType<F>> F exact(Match m,
            MatchField<F> field) {
        try {
            return m.supports(field) && m.isExact(field) ? m.get(field) : null;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The keys of one source host address and protocol, in leased blocks. */
    private final class Pool {
        private final PoolId id;
        /** Leased blocks by first port: one bit per key, set while in use. */
        private final TreeMap<Integer, long[]> blocks = new TreeMap<>();
        private int inUse;

        Pool(PoolId id) {
            this.id = id;
        }

        synchronized OptionalInt take() {
            for (Map.Entry<Integer, long[]> b : blocks.entrySet()) {
                long used = b.getValue()[0];
                int size = blockSize(b.getKey());
                if (Long.bitCount(used) < size) {
                    int bit = Long.numberOfTrailingZeros(~used);
                    b.getValue()[0] = used | (1L << bit);
                    inUse++;
                    return OptionalInt.of(b.getKey() + bit);
                }
            }
            for (int start = first; start <= last; start += BLOCK) {
                if (!blocks.containsKey(start) && lease(start)) {
                    blocks.put(start, new long[] {1L});
                    inUse++;
                    return OptionalInt.of(start);
                }
            }
            return OptionalInt.empty();
        }

        synchronized void give(int key) {
            Map.Entry<Integer, long[]> b = blocks.floorEntry(key);
            if (b == null || (b.getValue()[0] & (1L << (key - b.getKey()))) == 0) {
                return;
            }
            b.getValue()[0] &= ~(1L << (key - b.getKey()));
            inUse--;
            // keep one block for the next connections; give back other empty ones
            if (b.getValue()[0] == 0 && blocks.size() > 1) {
                blocks.remove(b.getKey());
                store.remove(id.storePrefix() + b.getKey(), 0);
            }
        }

        synchronized int inUse() {
            return inUse;
        }

        synchronized int blocks() {
            return blocks.size();
        }

        private int blockSize(int start) {
            return Math.min(BLOCK, last - start + 1);
        }

        private boolean lease(int start) {
            String key = id.storePrefix() + start;
            if (quarantined.containsKey(key)) {
                return false;
            }
            byte[] owner = (run + " " + clock.instant()).getBytes(StandardCharsets.UTF_8);
            return store.compareAndSet(key, 0, owner).isPresent();
        }
    }
}
