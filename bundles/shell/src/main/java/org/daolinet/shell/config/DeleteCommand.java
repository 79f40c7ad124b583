package org.daolinet.shell.config;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.daolinet.api.config.ConfigKind;

@Service
@Command(scope = "daolinet", name = "delete", description = "Deletes a configuration object (refused while others use it)")
public class DeleteCommand extends ConfigCommand {

    @Argument(index = 0, name = "kind", required = true, description = "tenants, vpcs, subnets, hosts, endpoints, ...")
    @Completion(KindCompleter.class)
    String kind;

    @Argument(index = 1, name = "id", required = true, description = "The object's id")
    @Completion(IdCompleter.class)
    String id;

    @Override
    void run() {
        ConfigKind k = KindArgument.parse(kind);
        config.delete(k.type(), id);
        out().println("deleted " + k.plural().replaceAll("s$", "").replace('-', ' ') + " " + id);
    }
}
