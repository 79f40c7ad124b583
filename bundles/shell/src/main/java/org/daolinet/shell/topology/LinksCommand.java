package org.daolinet.shell.topology;

import java.util.Comparator;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.daolinet.api.topology.Link;
import org.daolinet.api.topology.TopologyService;

@Service
@Command(scope = "daolinet", name = "links", description = "Lists the links between switches that LLDP found")
public class LinksCommand implements Action {

    @Reference
    TopologyService topology;

    @Reference
    Session session;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        for (String c : new String[] {"From switch", "Port", "To switch", "Port", "Last seen"}) {
            table.column(c);
        }
        topology.links().stream()
                .sorted(Comparator.comparing(Link::srcDpid).thenComparing(Link::srcPort))
                .forEach(l -> table.addRow().addContent(l.srcDpid(), l.srcPort(), l.dstDpid(), l.dstPort(),
                        l.lastSeen()));
        table.print(session.getConsole());
        return null;
    }
}
