package org.daolinet.routing;

import java.util.Optional;

import org.daolinet.api.config.ConfigEvent;
import org.daolinet.api.config.ConfigKind;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.pipeline.EndpointIndex;
import org.daolinet.api.pipeline.Header;
import org.daolinet.api.pipeline.NetworkFunction;
import org.daolinet.api.pipeline.PacketContext;
import org.daolinet.api.pipeline.Stage;
import org.daolinet.api.pipeline.Verdict;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The distributed router of every VPC. A packet its source addressed to the gateway's MAC, for an address in
 * another subnet of the same VPC, is routed where it enters the network, as a router would route it: the
 * destination endpoint is chosen by address, the MACs become the gateway's and the endpoint's, the TTL is
 * decremented, and a packet whose TTL runs out is answered with "time exceeded" instead. Delivery (on the same
 * host or across the underlay) is left to switching. Subnets of different VPCs are never routed to each other.
 */
@Component(service = NetworkFunction.class, immediate = true)
public class Router implements NetworkFunction {

    @Reference
    EndpointIndex index;

    @Override
    public String name() {
        return "routing";
    }

    @Override
    public Stage stage() {
        return Stage.ROUTING;
    }

    @Override
    public Verdict process(PacketContext ctx) {
        Header h = ctx.delivered();
        if (ctx.source().isEmpty() || ctx.destination().isPresent() || ctx.packet().isArp() || !h.isIpv4()
                || !Subnet.GATEWAY_MAC.equals(h.ethDst())) {
            return Verdict.CONTINUE;
        }
        Endpoint src = ctx.source().get();
        Optional<Subnet> target = index.subnetOf(src.vpcId(), h.ipDst());
        if (target.isEmpty()) {
            return Verdict.deny("no subnet of VPC " + src.vpcId() + " holds " + h.ipDst());
        }
        // at the destination host (caught on the underlay) the source's switch has decremented it already
        if (!ctx.arrivedOnUnderlay() && ctx.packet().ttl() <= 1) {
            index.subnet(src.subnetId()).ifPresent(own -> IcmpFrames
                    .timeExceeded(ctx.frame(), Subnet.GATEWAY_MAC, own.gateway()).ifPresent(ctx::reply));
            return Verdict.HANDLED;
        }
        Optional<Endpoint> dst = index.inSubnet(target.get().id(), h.ipDst());
        if (dst.isEmpty()) {
            return Verdict.deny("no endpoint has " + h.ipDst() + " in subnet " + target.get().id());
        }
        ctx.setDestination(dst.get());
        ctx.deliverAs(h.withMacs(Subnet.GATEWAY_MAC, dst.get().mac()));
        ctx.decrementTtl();
        return Verdict.CONTINUE;
    }

    /** Routed flows were decided on subnets and endpoints; when one changes or goes, decide them again. */
    @Override
    public boolean invalidatedBy(ConfigEvent event) {
        ConfigKind k = event.kind();
        return event.type() != ConfigEvent.Type.ADDED
                && (k == ConfigKind.ENDPOINT || k == ConfigKind.SUBNET || k == ConfigKind.VPC);
    }
}
