package org.daolinet.shell.openflow;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.openflow.SwitchService;

@Service
@Command(scope = "daolinet", name = "switches", description = "Lists the OpenFlow switches connected to this controller")
public class SwitchesCommand implements Action {

    @Reference
    SwitchService switchService;

    @Reference
    Session session;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Datapath id");
        table.column("Address");
        table.column("OpenFlow");
        table.column("Ports").alignRight();
        table.column("Connected since");
        table.column("Role");
        switchService.switches().stream()
                .sorted(Comparator.comparing(OpenFlowSwitch::id))
                .forEach(sw -> table.addRow().addContent(
                        sw.id().toString(),
                        String.valueOf(sw.remoteAddress()).replaceFirst("^/", ""),
                        sw.version().toString().replace("OF_1", "1."),
                        sw.ports().size(),
                        since(sw.connectedSince()),
                        sw.role().toString().replace("ROLE_", "").toLowerCase()));
        table.print(session.getConsole());
        session.getConsole().println(switchService.switches().size() + " switch(es), listening on "
                + switchService.listenAddress().map(a -> a.toString().replaceFirst("^/", "")).orElse("(not bound)"));
        return null;
    }

    private static String since(Instant t) {
        Duration up = Duration.between(t, Instant.now()).withNanos(0);
        return t.toString().replaceFirst("\\.\\d+Z$", "Z") + " (" + up.toString().substring(2).toLowerCase() + " ago)";
    }
}
