package org.daolinet.routing;

import java.util.Optional;

import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.pipeline.Arp;
import org.daolinet.api.pipeline.EndpointIndex;
import org.daolinet.api.pipeline.Header;
import org.daolinet.api.pipeline.NetworkFunction;
import org.daolinet.api.pipeline.PacketContext;
import org.daolinet.api.pipeline.Stage;
import org.daolinet.api.pipeline.Verdict;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.projectfloodlight.openflow.types.IpProtocol;

/**
 * The gateway address of every subnet, present on every host: it answers ARP with {@link Subnet#GATEWAY_MAC}, and
 * ping, for the endpoints of its VPC. Nothing crosses the underlay for it: the controller answers on the
 * endpoint's own switch.
 */
@Component(service = NetworkFunction.class, immediate = true)
public class Gateway implements NetworkFunction {

    private static final int ECHO_REQUEST = 8;

    @Reference
    EndpointIndex index;

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public Stage stage() {
        return Stage.ARP;
    }

    @Override
    public Verdict process(PacketContext ctx) {
        if (ctx.source().isEmpty() || ctx.arrivedOnUnderlay()) {
            return Verdict.CONTINUE;
        }
        Endpoint asker = ctx.source().get();
        if (ctx.packet().isArp()) {
            Arp arp = ctx.packet().arp();
            Optional<Subnet> own = index.subnet(asker.subnetId());
            if (arp.isRequest() && own.isPresent() && arp.targetIp().equals(own.get().gateway())) {
                ctx.answerArp(Subnet.GATEWAY_MAC);
                return Verdict.HANDLED;
            }
            return Verdict.CONTINUE;
        }
        Header h = ctx.packet().header();
        if (!h.isIpv4() || !IpProtocol.ICMP.equals(h.ipProto()) || ctx.packet().icmpType() != ECHO_REQUEST
                || !Subnet.GATEWAY_MAC.equals(h.ethDst())) {
            return Verdict.CONTINUE;
        }
        // any gateway of the VPC answers, as a router answers on all of its interfaces
        Optional<Subnet> target = index.subnetOf(asker.vpcId(), h.ipDst());
        if (target.isEmpty() || !h.ipDst().equals(target.get().gateway())) {
            return Verdict.CONTINUE;
        }
        IcmpFrames.echoReply(ctx.frame(), Subnet.GATEWAY_MAC, h.ipDst()).ifPresent(ctx::reply);
        return Verdict.HANDLED;
    }
}
