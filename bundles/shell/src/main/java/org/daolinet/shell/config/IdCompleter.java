package org.daolinet.shell.config;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.daolinet.api.config.ConfigKind;
import org.daolinet.api.config.NetworkConfigService;

/**
 * Completes ids of the kind named by the command's first argument ({@code daolinet:show vpcs <TAB>}), or of
 * every kind when there is none.
 */
@Service
public class IdCompleter implements Completer {

    @Reference
    NetworkConfigService config;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        String[] args = commandLine.getArguments();
        ConfigKind only = null;
        for (int i = 1; i < args.length && i < commandLine.getCursorArgumentIndex(); i++) {
            only = ConfigKind.byName(args[i]).orElse(only);
        }
        for (ConfigKind k : ConfigKind.values()) {
            if (only == null || only == k) {
                config.list(k.type()).forEach(o -> delegate.getStrings().add(o.id()));
            }
        }
        return delegate.complete(session, commandLine, candidates);
    }
}
