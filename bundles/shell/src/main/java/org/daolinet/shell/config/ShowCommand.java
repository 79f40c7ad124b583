package org.daolinet.shell.config;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.daolinet.api.config.ConfigKind;
import org.daolinet.api.config.ConfigNotFoundException;
import org.daolinet.api.config.ConfigObject;

@Service
@Command(scope = "daolinet", name = "show", description = "Shows one configuration object in full, as JSON")
public class ShowCommand extends KindAndIdCommand {

    @Override
    void run() {
        ConfigKind k = kind();
        ConfigObject o = config.get(k.type(), id).orElseThrow(() -> new ConfigNotFoundException("id",
                k.plural() + "/" + id + " does not exist"));
        out().println(JSON.toText(o));
    }
}
