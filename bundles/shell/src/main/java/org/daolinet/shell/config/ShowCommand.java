package org.daolinet.shell.config;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.daolinet.api.config.ConfigKind;
import org.daolinet.api.config.ConfigNotFoundException;
import org.daolinet.api.config.ConfigObject;

@Service
@Command(scope = "daolinet", name = "show", description = "Shows one configuration object in full, as JSON")
public class ShowCommand extends ConfigCommand {

    @Argument(index = 0, name = "kind", required = true, description = "tenants, vpcs, subnets, hosts, endpoints, ...")
    @Completion(KindCompleter.class)
    String kind;

    @Argument(index = 1, name = "id", required = true, description = "The object's id")
    @Completion(IdCompleter.class)
    String id;

    @Override
    void run() {
        ConfigKind k = KindArgument.parse(kind);
        ConfigObject o = config.get(k.type(), id).orElseThrow(() -> new ConfigNotFoundException("id",
                k.plural() + "/" + id + " does not exist"));
        out().println(JSON.toText(o));
    }
}
