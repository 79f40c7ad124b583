package org.daolinet.shell.config;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.daolinet.api.config.ConfigKind;

@Service
@Command(scope = "daolinet", name = "delete", description = "Deletes a configuration object (refused while others use it)")
public class DeleteCommand extends KindAndIdCommand {

    @Override
    void run() {
        ConfigKind k = kind();
        config.delete(k.type(), id);
        out().println("deleted " + k.singular() + " " + id);
    }
}
