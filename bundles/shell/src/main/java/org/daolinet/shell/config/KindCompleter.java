package org.daolinet.shell.config;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.daolinet.api.config.ConfigKind;

/** Completes configuration kinds: tenants, vpcs, subnets, ... */
@Service
public class KindCompleter implements Completer {

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        for (ConfigKind k : ConfigKind.values()) {
            delegate.getStrings().add(k.plural());
        }
        return delegate.complete(session, commandLine, candidates);
    }
}
