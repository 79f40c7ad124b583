package org.daolinet.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.daolinet.api.config.ConfigEvent;
import org.daolinet.api.config.NetworkConfigListener;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.openflow.PacketInListener;
import org.daolinet.api.openflow.SwitchListener;
import org.daolinet.api.openflow.SwitchService;
import org.daolinet.api.pipeline.Delivery;
import org.daolinet.api.pipeline.FlowEntry;
import org.daolinet.api.pipeline.FlowService;
import org.daolinet.api.pipeline.NetworkFunction;
import org.daolinet.api.pipeline.Packet;
import org.daolinet.api.pipeline.Verdict;
import org.daolinet.api.store.KeyValueStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PacketIn path. Every new connection's first packet is decoded and handed to the network functions present
 * right now, in stage order; their joint decision becomes exact-match flows on the switches of the path (see
 * {@link FlowCompiler}), then the packet is sent on. A denied connection gets a short drop flow. Every flow carries
 * its owners' cookie bits and this run's epoch ({@link Cookies}): a function that leaves, or whose configuration
 * changes, takes its flows with it, and a switch that (re)connects loses whatever is stale.
 */
@Component(service = {FlowService.class, PacketInListener.class, SwitchListener.class,
        NetworkConfigListener.class}, immediate = true, configurationPid = "org.daolinet.pipeline",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class PacketPipeline implements FlowService, PacketInListener, SwitchListener, NetworkConfigListener {

    private static final Logger log = LoggerFactory.getLogger(PacketPipeline.class);

    /** A function taking part, with its cookie bit. */
    record Member(NetworkFunction function, int bit) {
    }

    private static final Comparator<Member> ORDER = Comparator
            .comparing((Member m) -> m.function().stage())
            .thenComparing(m -> m.function().name());

    @Reference
    SwitchService switches;

    @Reference
    KeyValueStore store;

    private final List<NetworkFunction> bound = new ArrayList<>();
    private volatile Member[] members = new Member[0];
    /** When each bit's flows were last invalidated; a reconnecting switch drops flows older than that. */
    private final Map<Integer, Instant> invalidatedAt = new ConcurrentHashMap<>();
    private FunctionBits bits;
    private FlowCompiler compiler;
    private volatile int epoch;
    private volatile int idleTimeout = 10;
    private volatile int dropTimeout = 5;
    private boolean active;

    public PacketPipeline() {
    }

    /** For use without OSGi (tests, tools): the services DS would inject. */
    public PacketPipeline(SwitchService switches, KeyValueStore store) {
        this.switches = switches;
        this.store = store;
    }

    @Activate
    public void activate(Map<String, Object> properties) {
        configure(properties);
        bits = new FunctionBits(store);
        epoch = bits.nextEpoch();
        compiler = new FlowCompiler(switches::getSwitch);
        log.info("Pipeline started, epoch {}; flows idle out after {} s, drop flows last {} s", epoch, idleTimeout,
                dropTimeout);
        synchronized (this) {
            active = true;
            rebuildMembers();
        }
        for (OpenFlowSwitch sw : switches.switches()) {
            reconcile(sw);
        }
    }

    @Modified
    public void modified(Map<String, Object> properties) {
        configure(properties);
    }

    @Deactivate
    public synchronized void deactivate() {
        active = false;
        members = new Member[0];
    }

    private void configure(Map<String, Object> properties) {
        idleTimeout = seconds(properties, "flow.idle.timeout.seconds", idleTimeout);
        dropTimeout = seconds(properties, "drop.hard.timeout.seconds", dropTimeout);
    }

    private static int seconds(Map<String, Object> properties, String key, int fallback) {
        Object v = properties.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int s = Integer.parseInt(v.toString().trim());
            if (s < 1 || s > 65535) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException e) {
            log.error("{}: '{}' is not a number of seconds between 1 and 65535; keeping {}", key, v, fallback);
            return fallback;
        }
    }

    // ---- the functions come and go ---------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addFunction(NetworkFunction function) {
        List<OpenFlowSwitch> connected;
        synchronized (this) {
            bound.add(function);
            if (!active) {
                return;
            }
            rebuildMembers();
            connected = List.copyOf(switches.switches());
        }
        Optional<Member> m = member(function);
        if (m.isPresent()) {
            log.info("Network function '{}' joined the pipeline at stage {} (cookie bit {})", function.name(),
                    function.stage(), m.get().bit());
            connected.forEach(sw -> {
                removeDropFlows(sw);
                installProactive(sw, m.get());
            });
        }
    }

    public void removeFunction(NetworkFunction function) {
        Optional<Member> gone;
        List<OpenFlowSwitch> connected;
        synchronized (this) {
            gone = member(function);
            bound.remove(function);
            if (!active) {
                return;
            }
            rebuildMembers();
            connected = List.copyOf(switches.switches());
        }
        gone.ifPresent(m -> {
            log.info("Network function '{}' left the pipeline; removing its flows", function.name());
            invalidatedAt.put(m.bit(), Instant.now());
            connected.forEach(sw -> removeFlowsOf(sw, m.bit()));
        });
    }

    private Optional<Member> member(NetworkFunction f) {
        return Arrays.stream(members).filter(m -> m.function() == f).findFirst();
    }

    private void rebuildMembers() {
        List<Member> next = new ArrayList<>();
        for (NetworkFunction f : bound) {
            if (next.stream().anyMatch(m -> m.function().name().equals(f.name()))) {
                log.error("Two network functions are named '{}'; only the first takes part", f.name());
                continue;
            }
            try {
                next.add(new Member(f, bits.bitOf(f.name())));
            } catch (RuntimeException e) {
                log.error("Network function '{}' cannot take part: {}", f.name(), e.getMessage());
            }
        }
        next.sort(ORDER);
        members = next.toArray(Member[]::new);
    }

    @Override
    public Map<String, Integer> functions() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Member m : members) {
            out.put(m.function().name(), m.bit());
        }
        return out;
    }

    // ---- the PacketIn path -----------------------------------------------------------------------------------

    @Override
    public void packetIn(OpenFlowSwitch sw, OFPacketIn packetIn) {
        Member[] pipeline = members;
        if (pipeline.length == 0) {
            return;
        }
        Packet packet = PacketParser.parse(packetIn.getData());
        OFPort inPort = PacketInListener.inPort(packetIn);
        if (packet == null || packet.isLldp() || inPort == null) {
            return; // too short to decide on; LLDP belongs to topology
        }
        PipelineContext ctx = new PipelineContext(sw, packetIn, inPort, packet);
        for (Member m : pipeline) {
            ctx.runningFunction(m.bit());
            Verdict verdict;
            try {
                verdict = m.function().process(ctx);
            } catch (RuntimeException e) {
                // fail closed: a broken firewall must not let traffic through
                log.warn("Network function '{}' failed on {} from {}/{}; denying", m.function().name(),
                        packet.header(), sw.id(), inPort, e);
                verdict = Verdict.deny(m.function().name() + " failed");
            }
            switch (verdict.kind()) {
                case DENY -> {
                    log.debug("{} denied {} at {}/{}: {}", m.function().name(), packet.header(), sw.id(), inPort,
                            verdict.reason());
                    U64 cookie = Cookies.cookie(epoch, Cookies.Kind.DROP, ctx.shapers | (1L << m.bit()));
                    sw.send(FlowCompiler.dropFlow(ctx, cookie, dropTimeout));
                    return;
                }
                case HANDLED -> {
                    return;
                }
                default -> {
                }
            }
        }
        ctx.delivery().ifPresent(d -> deliver(ctx, d));
    }

    /**
     * Sends the decision: the flows on the other switches of the path first, then the flows on the packet's own
     * switch and the packet. When the crossing cannot afford a packet that outruns its flows to the far host (they
     * travel on another connection), the near switch waits until each far switch has confirmed its flows with a
     * barrier: across a routed underlay an early packet would land on the host's own stack. Elsewhere an early
     * packet only comes back as a PacketIn from the far switch, and waiting would cost every connection a round
     * trip to it.
     */
    private void deliver(PipelineContext ctx, Delivery d) {
        U64 cookie = Cookies.cookie(epoch, Cookies.Kind.REACTIVE, ctx.shapers);
        Optional<Map<OpenFlowSwitch, List<OFMessage>>> messages = compiler.compile(ctx, d, cookie, idleTimeout);
        if (messages.isEmpty()) {
            log.debug("Not delivering {}: a switch of its path is not connected", ctx.packet().header());
            return;
        }
        List<OFMessage> last = messages.get().get(ctx.sw());
        boolean confirmFirst = last != null && d.crossing() != null && d.crossing().needsFlowsFirst();
        List<CompletableFuture<Void>> farFlowsInPlace = null;
        for (Map.Entry<OpenFlowSwitch, List<OFMessage>> e : messages.get().entrySet()) {
            OpenFlowSwitch far = e.getKey();
            if (far == ctx.sw()) {
                continue;
            }
            if (confirmFirst) {
                if (farFlowsInPlace == null) {
                    farFlowsInPlace = new ArrayList<>(1);
                }
                farFlowsInPlace.add(far.sendConfirmed(e.getValue()));
            } else {
                far.send(e.getValue());
            }
        }
        if (last == null) {
            return; // a relayed packet: it went to the far switch alone
        }
        if (farFlowsInPlace == null) {
            ctx.sw().send(last);
        } else {
            CompletableFuture.allOf(farFlowsInPlace.toArray(CompletableFuture[]::new))
                    .whenComplete((done, failure) -> ctx.sw().send(last));
        }
    }

    // ---- configuration changes -------------------------------------------------------------------------------

    @Override
    public void configChanged(ConfigEvent event) {
        for (Member m : members) {
            boolean invalid;
            try {
                invalid = m.function().invalidatedBy(event);
            } catch (RuntimeException e) {
                log.warn("Network function '{}' failed on {}; removing its flows to be safe", m.function().name(),
                        event, e);
                invalid = true;
            }
            if (!invalid && m.function().changesProactiveFlows(event)) {
                switches.switches().forEach(sw -> installProactive(sw, m));
            }
            if (invalid) {
                log.debug("{} of {} invalidates the flows of '{}'", event.type(), event.subject().id(),
                        m.function().name());
                invalidatedAt.put(m.bit(), Instant.now());
                for (OpenFlowSwitch sw : switches.switches()) {
                    removeFlowsOf(sw, m.bit());
                    installProactive(sw, m);
                }
            }
        }
    }

    // ---- switches come and go: reconcile ---------------------------------------------------------------------

    @Override
    public void switchAdded(OpenFlowSwitch sw) {
        if (active) {
            reconcile(sw);
        }
    }

    /** A new uplink or a renamed port may change what the functions install on the switch. */
    @Override
    public void portChanged(OpenFlowSwitch sw, org.projectfloodlight.openflow.protocol.OFPortStatus status) {
        if (active) {
            for (Member m : members) {
                installProactive(sw, m);
            }
        }
    }

    /** Removes the switch's stale flows (earlier runs, gone functions, invalidated since), then the proactive ones. */
    private void reconcile(OpenFlowSwitch sw) {
        Instant now = Instant.now();
        sw.allFlows().whenComplete((flows, failure) -> {
            if (failure != null) {
                log.warn("Cannot read the flows of {} to reconcile them: {}", sw.id(), failure.toString());
            } else {
                List<OFFlowStatsEntry> stale = new ArrayList<>();
                flows.forEach(e -> {
                    if (isStale(e, now)) {
                        stale.add(e);
                    }
                });
                if (!stale.isEmpty()) {
                    log.info("Removing {} stale flow(s) from {}", stale.size(), sw.id());
                    sw.send(FlowTables.deleteEach(sw, stale));
                }
            }
            for (Member m : members) {
                installProactive(sw, m);
            }
        });
    }

    private boolean isStale(OFFlowStatsEntry e, Instant now) {
        U64 cookie = e.getCookie();
        if (!Cookies.isOurs(cookie) || Cookies.epoch(cookie) == 0) {
            return false; // not the pipeline's: another application's, or the southbound's table-miss flow
        }
        if (Cookies.epoch(cookie) != epoch) {
            return true;
        }
        Instant installed = now.minusSeconds(e.getDurationSec());
        for (int bit : Cookies.bits(Cookies.ownerBits(cookie))) {
            if (Arrays.stream(members).noneMatch(m -> m.bit() == bit)) {
                return true;
            }
            Instant invalidated = invalidatedAt.get(bit);
            if (invalidated != null && !installed.isAfter(invalidated)) {
                return true;
            }
        }
        return false;
    }

    private void installProactive(OpenFlowSwitch sw, Member m) {
        List<OFFlowAdd> flows;
        try {
            flows = m.function().proactiveFlows(sw);
        } catch (RuntimeException e) {
            log.warn("Network function '{}' failed to give its flows for {}", m.function().name(), sw.id(), e);
            return;
        }
        if (!flows.isEmpty()) {
            U64 cookie = Cookies.cookie(epoch, Cookies.Kind.PROACTIVE, 1L << m.bit());
            List<OFMessage> out = new ArrayList<>(flows.size());
            flows.forEach(f -> out.add(f.createBuilder().setCookie(cookie).build()));
            sw.send(out);
        }
    }

    private void removeFlowsOf(OpenFlowSwitch sw, int bit) {
        removeFlows(sw, Cookies.MARKER | (1L << bit), Cookies.MARKER_MASK | (1L << bit));
    }

    /**
     * Removes the drop flows of denied connections: a function that joins may allow what was denied before
     * (routing, once installed, makes an unreachable subnet reachable), and should not wait out their timeout.
     */
    private void removeDropFlows(OpenFlowSwitch sw) {
        removeFlows(sw, Cookies.MARKER | Cookies.kindBits(Cookies.Kind.DROP), Cookies.MARKER_MASK | Cookies.KIND_MASK);
    }

    /** Removes the pipeline's flows whose cookie has the given bits (never the southbound's, of epoch 0). */
    private void removeFlows(OpenFlowSwitch sw, long cookie, long mask) {
        if (sw.version() != OFVersion.OF_10) {
            sw.send(FlowTables.deleteByCookie(sw, cookie, mask));
            return;
        }
        // OpenFlow 1.0 deletes cannot filter by cookie: find the flows, delete each exactly
        sw.allFlows().thenAccept(flows -> {
            List<OFFlowStatsEntry> owned = new ArrayList<>();
            flows.forEach(e -> {
                if ((e.getCookie().getValue() & mask) == cookie && Cookies.epoch(e.getCookie()) != 0) {
                    owned.add(e);
                }
            });
            sw.send(FlowTables.deleteEach(sw, owned));
        });
    }

    // ---- FlowService -----------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<List<FlowEntry>> flows(DatapathId dpid) {
        Optional<OpenFlowSwitch> sw = switches.getSwitch(dpid);
        if (sw.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("switch " + dpid + " is not connected"));
        }
        return sw.get().allFlows().thenApply(flows -> {
            List<FlowEntry> out = new ArrayList<>();
            flows.forEach(e -> out.add(explain(e)));
            return out;
        });
    }

    private FlowEntry explain(OFFlowStatsEntry e) {
        U64 cookie = e.getCookie();
        List<String> owners = new ArrayList<>();
        String kind = "foreign";
        boolean current = false;
        if (Cookies.isOurs(cookie)) {
            kind = Cookies.kind(cookie);
            if (Cookies.epoch(cookie) == 0) {
                owners.add("openflow");
                current = true;
            } else {
                for (int bit : Cookies.bits(Cookies.ownerBits(cookie))) {
                    owners.add(bits.nameOf(bit).orElse("bit" + bit));
                }
                current = Cookies.epoch(cookie) == epoch;
            }
        }
        return new FlowEntry(cookie, kind, owners, current, e.getPriority(), FlowTables.describe(e.getMatch()),
                FlowTables.describeActions(e), e.getIdleTimeout(), e.getHardTimeout(), e.getDurationSec(),
                e.getPacketCount().getValue(), e.getByteCount().getValue());
    }
}
