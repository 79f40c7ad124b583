package org.daolinet.shell.openflow;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.daolinet.api.pipeline.FlowEntry;
import org.daolinet.api.pipeline.FlowService;
import org.projectfloodlight.openflow.types.DatapathId;

@Service
@Command(scope = "daolinet", name = "flows",
        description = "Lists a switch's flows with the network functions that own them")
public class FlowsCommand implements Action {

    @Reference
    FlowService flowService;

    @Reference
    Session session;

    @Argument(index = 0, name = "dpid", required = true,
            description = "Datapath id, e.g. 00:00:00:00:00:00:00:01, 0x1 or 1")
    @Completion(DatapathIdCompleter.class)
    String dpid;

    @Option(name = "--owner", description = "Only flows owned by this network function")
    String owner;

    @Override
    public Object execute() throws InterruptedException {
        DatapathId id = DatapathIds.parse(dpid);
        List<FlowEntry> flows;
        try {
            flows = flowService.flows(id).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalArgumentException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IllegalStateException("switch " + id + " did not answer within 10 s");
        }
        ShellTable table = new ShellTable();
        table.column("Kind");
        table.column("Owners");
        table.column("Prio").alignRight();
        table.column("Match").maxSize(90);
        table.column("Actions").maxSize(70);
        table.column("Idle").alignRight();
        table.column("Age").alignRight();
        table.column("Packets").alignRight();
        int shown = 0;
        for (FlowEntry f : flows.stream().sorted(Comparator.comparing(FlowEntry::priority).reversed()).toList()) {
            if (owner != null && !f.owners().contains(owner)) {
                continue;
            }
            table.addRow().addContent(f.kind() + (f.current() ? "" : " (stale)"), String.join(",", f.owners()),
                    f.priority(), f.match(), f.actions(), f.idleTimeout() == 0 ? "-" : f.idleTimeout() + "s",
                    f.durationSeconds() + "s", f.packets());
            shown++;
        }
        table.print(session.getConsole());
        session.getConsole().println(shown + " flow(s) on " + id);
        return null;
    }
}
