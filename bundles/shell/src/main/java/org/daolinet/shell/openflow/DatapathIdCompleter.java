package org.daolinet.shell.openflow;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.daolinet.api.openflow.SwitchService;

/** Completes the datapath ids of the connected switches. */
@Service
public class DatapathIdCompleter implements Completer {

    @Reference
    SwitchService switchService;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        switchService.switches().forEach(sw -> delegate.getStrings().add(sw.id().toString()));
        return delegate.complete(session, commandLine, candidates);
    }
}
