package org.daolinet.switching;

import java.util.Map;
import java.util.Optional;

import org.daolinet.api.config.ConfigEvent;
import org.daolinet.api.config.ConfigKind;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.pipeline.Arp;
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
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Who sent a packet. At an endpoint's port: that endpoint, which may send only with its own MAC and IP
 * (anti-spoofing). At a host's uplink: a connection caught in its wire form (its flows on this host are missing,
 * say after a reconnect), restored to what its source endpoint sent so it is decided afresh, or an ARP answer for
 * the host, which tells the underlay's router MAC. Anything else —
 * ports with no endpoint, the bridge's own port — is denied.
 */
@Component(service = NetworkFunction.class, immediate = true, configurationPid = Mode.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class Classifier implements NetworkFunction {

    @Reference
    EndpointDirectory directory;

    @Reference
    TopologyService topology;

    @Reference
    UnderlayNeighbors neighbors;

    private Mode mode = Mode.VPC;

    @Activate
    public void activate(Map<String, Object> properties) {
        mode = Mode.of(properties);
    }

    @Override
    public String name() {
        return "classify";
    }

    @Override
    public Stage stage() {
        return Stage.CLASSIFY;
    }

    @Override
    public Verdict process(PacketContext ctx) {
        if (mode == Mode.LEARNING) {
            return Verdict.CONTINUE;
        }
        Optional<Attachment> at = topology.attachmentAt(ctx.sw().id(), ctx.inPort());
        if (at.isPresent()) {
            return fromEndpoint(ctx, at.get());
        }
        Optional<Host> host = directory.hostOf(ctx.sw().id());
        if (host.isPresent() && isUplink(ctx, host.get())) {
            return fromUnderlay(ctx, host.get());
        }
        return ctx.packet().isArp() ? Verdict.HANDLED : Verdict.deny("no endpoint at this port");
    }

    private Verdict fromEndpoint(PacketContext ctx, Attachment at) {
        Endpoint e = at.endpoint();
        Header h = ctx.packet().header();
        if (ctx.packet().isArp()) {
            Arp arp = ctx.packet().arp();
            boolean own = h.ethSrc().equals(e.mac()) && arp.senderMac().equals(e.mac())
                    && (arp.senderIp().equals(e.ip()) || arp.senderIp().equals(IPv4Address.NONE));
            if (!own) {
                // no drop flow: it would match the endpoint's honest ARP too (the match has no ARP addresses)
                return Verdict.HANDLED;
            }
        } else if (!h.ethSrc().equals(e.mac())) {
            return Verdict.deny("spoofed MAC " + h.ethSrc() + " from endpoint " + e.id());
        } else if (h.isIpv4() && !h.ipSrc().equals(e.ip())) {
            return Verdict.deny("spoofed IP " + h.ipSrc() + " from endpoint " + e.id());
        }
        ctx.setSource(e, new Location(at.dpid(), at.port()));
        return Verdict.CONTINUE;
    }

    private Verdict fromUnderlay(PacketContext ctx, Host host) {
        if (ctx.packet().isArp()) {
            neighbors.learn(ctx.sw().id(), ctx.packet().arp());
            return Verdict.HANDLED;
        }
        Header wire = ctx.packet().header();
        if (!EndpointDirectory.isAlias(wire.ethSrc()) || !EndpointDirectory.isAlias(wire.ethDst())) {
            return Verdict.deny("not a connection of this network");
        }
        Optional<Endpoint> src = directory.endpointWithAlias(wire.ethSrc()).flatMap(directory::endpoint);
        Optional<Endpoint> dst = directory.endpointWithAlias(wire.ethDst()).flatMap(directory::endpoint);
        if (src.isEmpty() || dst.isEmpty() || !dst.get().hostId().equals(host.id())) {
            return Verdict.deny("no such endpoints on this host");
        }
        Optional<Attachment> srcAt = topology.attachment(src.get().id());
        if (srcAt.isEmpty()) {
            return Verdict.deny("source endpoint " + src.get().id() + " is not attached");
        }
        // a routed connection left its source addressed to the subnet's gateway; routing decides the rest again
        boolean routed = !src.get().subnetId().equals(dst.get().subnetId());
        ctx.setSource(src.get(), new Location(srcAt.get().dpid(), srcAt.get().port()));
        ctx.restoreOriginal(wire.withMacs(src.get().mac(), routed ? Subnet.GATEWAY_MAC : dst.get().mac()));
        return Verdict.CONTINUE;
    }

    @Override
    public boolean invalidatedBy(ConfigEvent event) {
        directory.apply(event);
        return event.type() != ConfigEvent.Type.ADDED
                && (event.kind() == ConfigKind.ENDPOINT || event.kind() == ConfigKind.HOST);
    }

    private static boolean isUplink(PacketContext ctx, Host host) {
        return EndpointDirectory.uplinkOf(ctx.sw(), host).map(ctx.inPort()::equals).orElse(false)
                && !OFPort.LOCAL.equals(ctx.inPort());
    }
}
