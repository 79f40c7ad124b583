package org.daolinet.shell.config;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.daolinet.api.config.ConfigKind;

/** A command that names one configuration object: {@code KIND ID}, both completed. */
abstract class KindAndIdCommand extends ConfigCommand {

    @Argument(index = 0, name = "kind", required = true, description = "tenants, vpcs, subnets, hosts, endpoints, ...")
    @Completion(KindCompleter.class)
    String kind;

    @Argument(index = 1, name = "id", required = true, description = "The object's id")
    @Completion(IdCompleter.class)
    String id;

    ConfigKind kind() {
        return KindArgument.parse(kind);
    }
}
