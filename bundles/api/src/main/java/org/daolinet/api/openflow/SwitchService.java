package org.daolinet.api.openflow;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Optional;

import org.projectfloodlight.openflow.types.DatapathId;

/** The switches connected to this controller that have completed their handshake. */
public interface SwitchService {

    Collection<OpenFlowSwitch> switches();

    Optional<OpenFlowSwitch> getSwitch(DatapathId id);

    /** Where the OpenFlow server listens, or empty while it is not bound. */
    Optional<InetSocketAddress> listenAddress();
}
