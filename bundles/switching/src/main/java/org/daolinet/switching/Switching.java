package org.daolinet.switching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import org.daolinet.api.config.ConfigEvent;
import org.daolinet.api.config.ConfigKind;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.UnderlayMode;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.openflow.SwitchListener;
import org.daolinet.api.openflow.SwitchService;
import org.daolinet.api.pipeline.Crossing;
import org.daolinet.api.pipeline.Delivery;
import org.daolinet.api.pipeline.Delivery.Scope;
import org.daolinet.api.pipeline.Header;
import org.daolinet.api.pipeline.Location;
import org.daolinet.api.pipeline.NetworkFunction;
import org.daolinet.api.pipeline.PacketContext;
import org.daolinet.api.pipeline.Stage;
import org.daolinet.api.pipeline.Verdict;
import org.daolinet.api.topology.Attachment;
import org.daolinet.api.topology.TopologyService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TransportPort;

/**
 * Delivery. In {@code vpc} mode: to the endpoint that has the destination address in the sender's subnet (or the
 * one an earlier function such as routing chose), on the same host through its port, or across an L2 underlay
 * with both endpoints' aliases as MACs (see {@link EndpointDirectory}). Only unicast IPv4 is delivered: ARP is
 * answered by the controller and other broadcast never leaves its sender. In {@code learning} mode: a plain L2
 * learning switch per bridge that floods what it does not know.
 */
@Component(service = {NetworkFunction.class, SwitchListener.class}, immediate = true, configurationPid = Mode.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class Switching implements NetworkFunction, SwitchListener {

    static final int HOST_TRAFFIC_PRIORITY = 10;
    static final int NEIGHBOR_PRIORITY = 20;

    @Reference
    EndpointDirectory directory;

    @Reference
    TopologyService topology;

    @Reference
    SwitchService switches;

    @Reference
    UnderlayNeighbors neighbors;

    @Reference
    TranslationKeys keys;

    private Mode mode = Mode.VPC;
    /**
     * Per connection, not per datapath: a connection's PacketIns all come on its event loop, and a datapath that
     * reconnects (on another loop, maybe while the old connection finishes a read) must not share the table.
     */
    private final Map<OpenFlowSwitch, MacTable> learned = new ConcurrentHashMap<>();
    /** Learning mode's answer to an unknown destination, in each version's words; actions are immutable. */
    private static final Map<OFVersion, List<OFAction>> FLOOD = Arrays.stream(OFVersion.values())
            .collect(Collectors.toMap(v -> v, v -> List.of(OFFactories.getFactory(v).actions()
                    .output(OFPort.FLOOD, 0xffff)), (a, b) -> a, () -> new EnumMap<>(OFVersion.class)));

    @Activate
    public void activate(Map<String, Object> properties) {
        mode = Mode.of(properties);
    }

    @Override
    public String name() {
        return "switching";
    }

    @Override
    public Stage stage() {
        return Stage.SWITCHING;
    }

    @Override
    public Verdict process(PacketContext ctx) {
        return mode == Mode.LEARNING ? learn(ctx) : deliver(ctx);
    }

    // ---- vpc mode ------------------------------------------------------------------------------------------

    private Verdict deliver(PacketContext ctx) {
        if (ctx.delivery().isPresent() || ctx.source().isEmpty() || ctx.packet().isArp()) {
            return Verdict.CONTINUE;
        }
        Endpoint src = ctx.source().get();
        Header h = ctx.delivered();
        if (!h.isIpv4()) {
            return Verdict.deny("only IPv4 is delivered inside a VPC");
        }
        if (h.ethDst().isBroadcast() || h.ethDst().isMulticast()) {
            return Verdict.deny("broadcast and multicast stay with their sender");
        }
        Optional<Endpoint> chosen = ctx.destination().or(() -> directory.inSubnet(src.subnetId(), h.ipDst()));
        if (chosen.isEmpty()) {
            return Verdict.deny("no endpoint has " + h.ipDst() + " in subnet " + src.subnetId());
        }
        Endpoint dst = chosen.get();
        if (!dst.vpcId().equals(src.vpcId())) {
            return Verdict.deny("endpoint " + dst.id() + " is in another VPC");
        }
        if (!h.ethDst().equals(dst.mac())) {
            return Verdict.deny("MAC " + h.ethDst() + " is not " + dst.id() + "'s");
        }
        Optional<Attachment> dstAt = topology.attachment(dst.id());
        Location from = ctx.sourceLocation().orElseThrow();
        if (dstAt.isEmpty()) {
            return Verdict.deny("endpoint " + dst.id() + " is not attached");
        }
        Location to = new Location(dstAt.get().dpid(), dstAt.get().port());
        ctx.setDestination(dst);
        if (to.dpid().equals(from.dpid())) {
            ctx.setDelivery(Delivery.local(from, to, Scope.CONNECTION));
            return Verdict.CONTINUE;
        }
        Optional<Host> srcHost = directory.host(src.hostId());
        Optional<Host> dstHost = directory.host(dst.hostId());
        if (srcHost.isEmpty() || dstHost.isEmpty()) {
            return Verdict.deny("a host of the path is not declared");
        }
        Optional<OpenFlowSwitch> srcSw = switchOf(from.dpid(), ctx);
        Optional<OpenFlowSwitch> dstSw = switchOf(to.dpid(), ctx);
        Optional<OFPort> srcUplink = srcSw.flatMap(s -> EndpointDirectory.uplinkOf(s, srcHost.get()));
        Optional<OFPort> dstUplink = dstSw.flatMap(s -> EndpointDirectory.uplinkOf(s, dstHost.get()));
        if (srcUplink.isEmpty() || dstUplink.isEmpty()) {
            return Verdict.deny("a host's underlay port is missing");
        }
        if (srcHost.get().underlayMode() == UnderlayMode.L2 && dstHost.get().underlayMode() == UnderlayMode.L2) {
            MacAddress srcAlias = directory.aliasOf(src.id());
            MacAddress dstAlias = directory.aliasOf(dst.id());
            Crossing crossing = Crossing.bridged(srcUplink.get(), dstUplink.get(), h.withMacs(srcAlias, dstAlias),
                    h.reversed().withMacs(dstAlias, srcAlias));
            ctx.setDelivery(new Delivery(from, to, crossing, Scope.CONNECTION));
            return Verdict.CONTINUE;
        }
        return crossRouted(ctx, from, to, srcSw.get(), dstSw.get(), srcHost.get(), dstHost.get(), srcUplink.get(),
                dstUplink.get());
    }

    /**
     * Across a routed underlay, a TCP or UDP connection travels as {@code srcHost-IP:key -> dstHost-IP:port},
     * where the key is a translation port of its own (see {@link TranslationKeys}). Everything else (ICMP has no
     * ports to translate), and the first packets while a host's router is still being asked for, is relayed by
     * the controller packet by packet: it never needs an address on the underlay of its own.
     */
    private Verdict crossRouted(PacketContext ctx, Location from, Location to, OpenFlowSwitch srcSw,
            OpenFlowSwitch dstSw, Host srcHost, Host dstHost, OFPort srcUplink, OFPort dstUplink) {
        Header original = ctx.original();
        Header delivered = ctx.delivered();
        Optional<MacAddress> forwardHop = neighbors.nextHop(srcSw, srcHost, dstHost);
        Optional<MacAddress> reverseHop = neighbors.nextHop(dstSw, dstHost, srcHost);
        boolean translatable = delivered.hasPorts()
                && (IpProtocol.TCP.equals(delivered.ipProto()) || IpProtocol.UDP.equals(delivered.ipProto()));
        if (!translatable || forwardHop.isEmpty() || reverseHop.isEmpty() || ctx.arrivedOnUnderlay()) {
            ctx.setDelivery(new Delivery(from, to, null, Scope.PACKET));
            return Verdict.CONTINUE;
        }
        TransportPort port = delivered.l4Dst();
        Header forwardWire = delivered.withMacs(srcHost.underlayMac(), forwardHop.get())
                .withIps(srcHost.underlayIp(), dstHost.underlayIp());
        Header reverseWire = delivered.reversed().withMacs(dstHost.underlayMac(), reverseHop.get())
                .withIps(dstHost.underlayIp(), srcHost.underlayIp());
        IntFunction<Crossing> keyed = key -> Crossing.routed(srcUplink, dstUplink,
                forwardWire.withPorts(TransportPort.of(key), port), reverseWire.withPorts(port, TransportPort.of(key)));
        OptionalInt key = keys.allocate(srcHost.underlayIp(), delivered.ipProto(), k -> {
            Crossing c = keyed.apply(k);
            // the flows the pipeline compiles for this crossing, as their switches will name them when removed
            return List.of(
                    new TranslationKeys.FlowId(from.dpid(), from.port(), original),
                    new TranslationKeys.FlowId(to.dpid(), dstUplink, c.forwardArrival()),
                    new TranslationKeys.FlowId(to.dpid(), to.port(), delivered.reversed()),
                    new TranslationKeys.FlowId(from.dpid(), srcUplink, c.reverseArrival()));
        });
        if (key.isEmpty()) {
            return Verdict.deny("no translation key is free for host " + srcHost.id());
        }
        ctx.setDelivery(new Delivery(from, to, keyed.apply(key.getAsInt()), Scope.CONNECTION));
        return Verdict.CONTINUE;
    }

    private Optional<OpenFlowSwitch> switchOf(DatapathId dpid, PacketContext ctx) {
        return dpid.equals(ctx.sw().id()) ? Optional.of(ctx.sw()) : switches.getSwitch(dpid);
    }

    /**
     * The host's own traffic through its bridge's LOCAL port: out to the underlay as it is, and back for the
     * bridge's MAC and broadcast. Below every connection flow, so it never sees an endpoint's traffic.
     */
    @Override
    public List<OFFlowAdd> proactiveFlows(OpenFlowSwitch sw) {
        if (mode == Mode.LEARNING) {
            return List.of();
        }
        Optional<Host> host = directory.hostOf(sw.id());
        Optional<OFPort> uplink = host.flatMap(h -> EndpointDirectory.uplinkOf(sw, h));
        Optional<OFPortDesc> local = sw.port(OFPort.LOCAL);
        if (uplink.isEmpty() || local.isEmpty()) {
            return List.of();
        }
        OFFactory f = sw.factory();
        List<OFFlowAdd> flows = new ArrayList<>();
        flows.add(hostFlow(f, f.buildMatch().setExact(MatchField.IN_PORT, OFPort.LOCAL).build(), uplink.get()));
        for (MacAddress to : List.of(local.get().getHwAddr(), MacAddress.BROADCAST)) {
            flows.add(hostFlow(f, f.buildMatch().setExact(MatchField.IN_PORT, uplink.get())
                    .setExact(MatchField.ETH_DST, to).build(), OFPort.LOCAL));
        }
        if (host.get().underlayGateway() != null) {
            // the answers to the controller's questions on this segment: how it learns the segment's router
            flows.add(f.buildFlowAdd().setPriority(NEIGHBOR_PRIORITY)
                    .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, uplink.get())
                            .setExact(MatchField.ETH_TYPE, EthType.ARP)
                            .setExact(MatchField.ETH_DST, UnderlayNeighbors.proberMac(sw.id())).build())
                    .setActions(List.of(f.actions().output(OFPort.CONTROLLER, 0xffff)))
                    .build());
            neighbors.resolveRouter(sw, host.get());
        }
        return flows;
    }

    private static OFFlowAdd hostFlow(OFFactory f, org.projectfloodlight.openflow.protocol.match.Match match,
            OFPort out) {
        return f.buildFlowAdd().setPriority(HOST_TRAFFIC_PRIORITY).setMatch(match)
                .setActions(List.of(f.actions().output(out, 0xffff))).build();
    }

    // ---- learning mode ---------------------------------------------------------------------------------------

    private Verdict learn(PacketContext ctx) {
        Header h = ctx.packet().header();
        MacTable table = learned.get(ctx.sw());
        if (table == null) {
            // computeIfAbsent locks the bin unless the key heads it: only the first packet of a switch pays that
            table = learned.computeIfAbsent(ctx.sw(), k -> new MacTable());
        }
        long src = h.ethSrc().getLong();
        if (!h.ethSrc().isMulticast() && !ctx.inPort().equals(table.get(src))) {
            table.put(src, ctx.inPort()); // a write only when a station appears or moves: most are known
        }
        OFPort out = h.ethDst().isMulticast() ? null : table.get(h.ethDst().getLong());
        if (out == null) {
            ctx.packetOut(FLOOD.get(ctx.sw().version()));
            return Verdict.HANDLED;
        }
        if (out.equals(ctx.inPort())) {
            return Verdict.deny("destination is behind the port the packet came from");
        }
        Location here = new Location(ctx.sw().id(), ctx.inPort());
        ctx.setDelivery(Delivery.local(here, new Location(ctx.sw().id(), out), Scope.MAC_PAIR));
        return Verdict.CONTINUE;
    }

    @Override
    public void switchRemoved(OpenFlowSwitch sw) {
        learned.remove(sw);
        neighbors.forget(sw.id());
    }

    @Override
    public boolean changesProactiveFlows(ConfigEvent event) {
        return event.kind() == ConfigKind.HOST;
    }

    @Override
    public boolean invalidatedBy(ConfigEvent event) {
        directory.apply(event);
        if (mode == Mode.LEARNING || event.type() == ConfigEvent.Type.ADDED) {
            return false;
        }
        ConfigKind k = event.kind();
        return k == ConfigKind.ENDPOINT || k == ConfigKind.SUBNET || k == ConfigKind.VPC || k == ConfigKind.HOST;
    }
}
