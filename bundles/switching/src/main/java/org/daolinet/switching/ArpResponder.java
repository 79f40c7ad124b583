package org.daolinet.switching;

import java.util.Map;
import java.util.Optional;

import org.daolinet.api.config.ConfigEvent;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.pipeline.Arp;
import org.daolinet.api.pipeline.NetworkFunction;
import org.daolinet.api.pipeline.PacketContext;
import org.daolinet.api.pipeline.Stage;
import org.daolinet.api.pipeline.Verdict;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * Answers ARP for endpoints of the asker's subnet from the controller, so ARP is never flooded: no broadcast
 * crosses a host, and an endpoint never learns of one in another VPC. Requests for anything else are left to
 * later functions (the subnet gateway) and otherwise go unanswered.
 */
@Component(service = NetworkFunction.class, immediate = true, configurationPid = Mode.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class ArpResponder implements NetworkFunction {

    @Reference
    EndpointDirectory directory;

    private Mode mode = Mode.VPC;

    @Activate
    public void activate(Map<String, Object> properties) {
        mode = Mode.of(properties);
    }

    @Override
    public String name() {
        return "arp";
    }

    @Override
    public Stage stage() {
        return Stage.ARP;
    }

    @Override
    public Verdict process(PacketContext ctx) {
        if (mode == Mode.LEARNING || !ctx.packet().isArp() || ctx.source().isEmpty()) {
            return Verdict.CONTINUE;
        }
        Arp arp = ctx.packet().arp();
        if (!arp.isRequest()) {
            return Verdict.HANDLED; // replies and announcements need no one else: the controller knows every address
        }
        Endpoint asker = ctx.source().get();
        Optional<Endpoint> target = directory.inSubnet(asker.subnetId(), arp.targetIp());
        if (target.isEmpty() || target.get().id().equals(asker.id())) {
            return Verdict.CONTINUE;
        }
        ctx.answerArp(target.get().mac());
        return Verdict.HANDLED;
    }

    @Override
    public boolean invalidatedBy(ConfigEvent event) {
        directory.apply(event);
        return false; // it installs no flows
    }
}
