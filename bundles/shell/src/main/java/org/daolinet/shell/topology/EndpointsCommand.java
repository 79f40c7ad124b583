package org.daolinet.shell.topology;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.NetworkConfigService;
import org.daolinet.api.topology.Attachment;
import org.daolinet.api.topology.TopologyService;

@Service
@Command(scope = "daolinet", name = "endpoints", description = "Lists endpoints and the switch port each is attached to")
public class EndpointsCommand implements Action {

    @Reference
    NetworkConfigService config;

    @Reference(optional = true)
    TopologyService topology;

    @Reference
    Session session;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        for (String c : new String[] {"Id", "Name", "VPC", "Subnet", "MAC", "IP", "Host", "Port name", "Attached at",
            "Confirmed", "Security groups"}) {
            table.column(c);
        }
        for (Endpoint e : config.list(Endpoint.class)) {
            Optional<Attachment> a = topology == null ? Optional.empty() : topology.attachment(e.id());
            table.addRow().addContent(e.id(), e.name() == null ? "" : e.name(), e.vpcId(), e.subnetId(), e.mac(),
                    e.ip(), e.hostId(), e.portName(),
                    a.map(x -> x.dpid() + " port " + x.port()).orElse("-"),
                    a.map(x -> x.confirmedAt() == null ? "no" : x.confirmedAt().toString()).orElse(""),
                    String.join(", ", e.securityGroupIds()));
        }
        table.print(session.getConsole());
        return null;
    }
}
