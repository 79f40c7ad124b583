package org.daolinet.shell.openflow;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.daolinet.api.pipeline.FlowService;

@Service
@Command(scope = "daolinet", name = "functions",
        description = "Lists the network functions taking part in the pipeline, in the order they decide")
public class FunctionsCommand implements Action {

    @Reference
    FlowService flowService;

    @Reference
    Session session;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Order").alignRight();
        table.column("Function");
        table.column("Cookie bit").alignRight();
        int[] order = {1};
        flowService.functions().forEach((name, bit) -> table.addRow().addContent(order[0]++, name, bit));
        table.print(session.getConsole());
        return null;
    }
}
