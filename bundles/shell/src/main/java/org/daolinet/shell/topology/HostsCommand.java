package org.daolinet.shell.topology;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.NetworkConfigService;
import org.daolinet.api.topology.TopologyService;

@Service
@Command(scope = "daolinet", name = "hosts", description = "Lists hosts (Open vSwitch bridges) and whether they are up")
public class HostsCommand implements Action {

    @Reference
    NetworkConfigService config;

    @Reference(optional = true)
    TopologyService topology;

    @Reference
    Session session;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        for (String c : new String[] {"Id", "Name", "Datapath id", "Underlay port", "Underlay MAC", "Underlay IP",
            "Underlay gateway", "Mode", "External", "State"}) {
            table.column(c);
        }
        for (Host h : config.list(Host.class)) {
            table.addRow().addContent(h.id(), h.name(), h.dpid(), h.underlayPort(), h.underlayMac(), h.underlayIp(),
                    h.underlayGateway() == null ? "" : h.underlayGateway(), h.underlayMode(), h.external() == null ? "" : h.external().port() + " " + h.external().ip(),
                    topology == null ? "(no topology)" : topology.isHostUp(h.id()) ? "up" : "down");
        }
        table.print(session.getConsole());
        return null;
    }
}
