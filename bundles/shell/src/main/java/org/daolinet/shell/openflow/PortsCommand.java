package org.daolinet.shell.openflow;

import java.util.Comparator;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.openflow.SwitchService;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.types.DatapathId;

@Service
@Command(scope = "daolinet", name = "ports", description = "Lists the ports of a connected switch")
public class PortsCommand implements Action {

    @Reference
    SwitchService switchService;

    @Reference
    Session session;

    @Argument(index = 0, name = "dpid", required = true,
            description = "Datapath id, e.g. 00:00:00:00:00:00:00:01, 0x1 or 1")
    @Completion(DatapathIdCompleter.class)
    String dpid;

    @Override
    public Object execute() {
        DatapathId id = DatapathIds.parse(dpid);
        OpenFlowSwitch sw = switchService.getSwitch(id)
                .orElseThrow(() -> new IllegalArgumentException("no switch " + id + " is connected"));
        ShellTable table = new ShellTable();
        table.column("Port").alignRight();
        table.column("Name");
        table.column("MAC");
        table.column("State");
        table.column("Speed (Mb/s)").alignRight();
        sw.ports().stream()
                .sorted(Comparator.comparing(OFPortDesc::getPortNo))
                .forEach(p -> table.addRow().addContent(
                        p.getPortNo().toString(),
                        p.getName(),
                        p.getHwAddr().toString(),
                        state(p),
                        speedMbps(p)));
        table.print(session.getConsole());
        return null;
    }

    private static String state(OFPortDesc p) {
        if (p.getConfig().contains(OFPortConfig.PORT_DOWN)) {
            return "admin-down";
        }
        return p.getState().contains(OFPortState.LINK_DOWN) ? "link-down" : "up";
    }

    private static String speedMbps(OFPortDesc p) {
        try {
            long kbps = p.getCurrSpeed();
            return kbps == 0 ? "" : String.valueOf(kbps / 1000);
        } catch (UnsupportedOperationException e) {
            return ""; // OpenFlow 1.0 has no speed field
        }
    }
}
