package org.daolinet.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.pipeline.Crossing;
import org.daolinet.api.pipeline.Delivery;
import org.daolinet.api.pipeline.Delivery.Scope;
import org.daolinet.api.pipeline.Header;
import org.daolinet.api.pipeline.Location;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * Turns a decided connection into flows. With H the header its source sent, H' the header its destination gets,
 * and W / Wr the wire headers of a crossing (forward / reverse):
 * <pre>
 *   same host      S: H  at the source port  -> rewrite to H',      out the destination port
 *                  S: rev(H') at the dest port -> rewrite to rev(H), out the source port
 *   across hosts   S: H  at the source port  -> rewrite to W,       out S's uplink
 *                  D: W  at D's uplink       -> rewrite to H',      out the destination port
 *                  D: rev(H') at the dest port -> rewrite to Wr,    out D's uplink
 *                  S: Wr at S's uplink       -> rewrite to rev(H),  out the source port
 *   relayed        no flows; D gets the packet itself, rewritten to H', out the destination port
 * </pre>
 * (At an uplink the match is W or Wr as it arrives: across routers, without the source MAC.)
 * A router hop's TTL decrement is applied once per direction, where the packet leaves its sender's switch.
 * Flows go to the far switch first and the packet itself last, so it rarely overtakes its own flows.
 */
final class FlowCompiler {

    static final int CONNECTION_PRIORITY = 1000;
    /** Every connection flow reports its end: translation keys are released on it. */
    private static final Set<OFFlowModFlags> REPORT_REMOVAL = Set.of(OFFlowModFlags.SEND_FLOW_REM);

    /** One flow to install: where the packet is matched, what it looks like there, and what it must become. */
    record Hop(Location at, Header match, Header target, boolean decrementTtl, OFPort out) {
    }

    private final Function<DatapathId, Optional<OpenFlowSwitch>> switches;

    FlowCompiler(Function<DatapathId, Optional<OpenFlowSwitch>> switches) {
        this.switches = switches;
    }

    static List<Hop> hops(Delivery d, Header original, Header delivered, boolean decrementTtl) {
        List<Hop> hops = new ArrayList<>(4);
        Location s = d.source();
        Location t = d.destination();
        if (d.scope() == Scope.MAC_PAIR) {
            hops.add(new Hop(s, original, delivered, decrementTtl, t.port()));
            return hops;
        }
        Crossing c = d.crossing();
        if (c == null) {
            hops.add(new Hop(s, original, delivered, decrementTtl, t.port()));
            hops.add(new Hop(t, delivered.reversed(), original.reversed(), decrementTtl, s.port()));
            return hops;
        }
        Location sUp = new Location(s.dpid(), c.sourceUplink());
        Location tUp = new Location(t.dpid(), c.destinationUplink());
        hops.add(new Hop(t, delivered.reversed(), c.reverseWire(), decrementTtl, tUp.port()));
        hops.add(new Hop(tUp, c.forwardArrival(), delivered, false, t.port()));
        hops.add(new Hop(sUp, c.reverseArrival(), original.reversed(), false, s.port()));
        hops.add(new Hop(s, original, c.forwardWire(), decrementTtl, sUp.port()));
        return hops;
    }

    /**
     * The messages for every switch on the connection's path, in the order to send them: other switches first,
     * the switch holding the packet last, ending with the packet itself.
     *
     * @return messages per switch (the connections looked up here, so the sender need not look them up again), or
     *         empty if a switch of the path is not connected
     */
    Optional<Map<OpenFlowSwitch, List<OFMessage>>> compile(PipelineContext ctx, Delivery d, U64 cookie,
            int idleTimeoutSeconds) {
        if (d.scope() == Scope.PACKET) {
            return relay(ctx, d);
        }
        List<Hop> hops = hops(d, ctx.original(), ctx.delivered(), ctx.decrementsTtl());
        DatapathId packetSwitch = ctx.sw().id();
        List<OFMessage> here = new ArrayList<>(hops.size() + 1);
        // most decisions stay on the packet's switch: the map of far switches exists only for those that do not
        Map<OpenFlowSwitch, List<OFMessage>> out = null;
        Hop packetHop = null;
        for (Hop hop : hops) {
            DatapathId at = hop.at().dpid();
            if (at.equals(packetSwitch)) {
                here.add(flow(ctx.sw(), hop, d.scope(), cookie, idleTimeoutSeconds));
                if (hop.at().port().equals(ctx.inPort())
                        && (packetHop == null || hop.match().equals(ctx.packet().header()))) {
                    packetHop = hop;
                }
                continue;
            }
            Optional<OpenFlowSwitch> sw = switches.apply(at);
            if (sw.isEmpty()) {
                return Optional.empty();
            }
            if (out == null) {
                out = new LinkedHashMap<>();
            }
            out.computeIfAbsent(sw.get(), k -> new ArrayList<>(2)).add(flow(sw.get(), hop, d.scope(), cookie,
                    idleTimeoutSeconds));
        }
        if (packetHop != null) {
            // the packet as it really is (its wire form, when caught on an underlay) to what the hop makes of it
            here.add(ctx.packetOutRewritten(packetHop.target(), packetHop.decrementTtl(), packetHop.out()));
        }
        if (out == null) {
            return Optional.of(Map.of(ctx.sw(), here));
        }
        out.put(ctx.sw(), here);
        return Optional.of(out);
    }

    /** The packet itself, as its source sent it, handed to the destination's switch and rewritten there. */
    private Optional<Map<OpenFlowSwitch, List<OFMessage>>> relay(PipelineContext ctx, Delivery d) {
        DatapathId at = d.destination().dpid();
        Optional<OpenFlowSwitch> sw = at.equals(ctx.sw().id()) ? Optional.of(ctx.sw()) : switches.apply(at);
        if (sw.isEmpty()) {
            return Optional.empty();
        }
        OFFactory f = sw.get().factory();
        List<OFAction> actions = FlowMessages.rewriteAndOutput(f, ctx.packet().header(), ctx.delivered(),
                ctx.decrementsTtl(), OFPort.CONTROLLER, d.destination().port());
        OFMessage out = f.buildPacketOut()
                .setBufferId(OFBufferId.NO_BUFFER)
                .setInPort(OFPort.CONTROLLER)
                .setActions(actions)
                .setData(ctx.frame())
                .build();
        return Optional.of(Map.of(sw.get(), List.of(out)));
    }

    static OFMessage flow(OpenFlowSwitch sw, Hop hop, Scope scope, U64 cookie, int idleTimeoutSeconds) {
        if (FlowWire.canWrite(hop, scope, sw.version())) {
            return new DirectMessage.ConnectionFlow(sw.factory(), hop, scope, cookie, idleTimeoutSeconds);
        }
        return loxiFlow(sw.factory(), hop, scope, cookie, idleTimeoutSeconds);
    }

    /** The flow of {@link #flow} as Loxi builds it: the reference for what {@link FlowWire} writes. */
    static OFFlowAdd loxiFlow(OFFactory f, Hop hop, Scope scope, U64 cookie, int idleTimeoutSeconds) {
        List<OFAction> actions = FlowMessages.rewriteAndOutput(f, hop.match(), hop.target(),
                hop.decrementTtl(), hop.at().port(), hop.out());
        OFFlowAdd.Builder b = f.buildFlowAdd()
                .setCookie(cookie)
                .setPriority(CONNECTION_PRIORITY)
                .setIdleTimeout(idleTimeoutSeconds)
                .setMatch(FlowMessages.match(f, hop.at().port(), hop.match(), scope))
                .setActions(actions);
        b.setFlags(REPORT_REMOVAL);
        return b.build();
    }

    /** A flow that drops the packet's connection for a while, on the switch the packet came from. */
    static OFFlowAdd dropFlow(PipelineContext ctx, U64 cookie, int hardTimeoutSeconds) {
        OpenFlowSwitch sw = ctx.sw();
        return sw.factory().buildFlowAdd()
                .setCookie(cookie)
                .setPriority(CONNECTION_PRIORITY)
                .setHardTimeout(hardTimeoutSeconds)
                .setMatch(FlowMessages.match(sw.factory(), ctx.inPort(), ctx.packet().header(), Scope.CONNECTION))
                .setActions(List.of())
                .build();
    }
}
