package org.daolinet.openflow;

import org.daolinet.api.openflow.FlowRemovedListener;
import org.daolinet.api.openflow.PacketInListener;
import org.daolinet.api.openflow.SwitchErrorListener;
import org.daolinet.api.openflow.SwitchListener;
import org.daolinet.api.openflow.SwitchService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Hands the switch listeners registered as OSGi services (the whiteboard) to the OpenFlow server.
 *
 * <p>A component of its own, not references of {@link OpenFlowServer}: the listeners (the pipeline, topology,
 * switching) need the {@link SwitchService}, and a server that also needed them would make a cycle that Declarative
 * Services can only break by failing a service lookup half-way (Felix logs it as "ServiceFactory.getService()
 * resulted in a cycle" and binds the listener later). Here the server needs nothing, the listeners need the
 * server, and this component needs both.
 */
@Component(immediate = true)
public final class ListenerWhiteboard {

    private final OpenFlowServer server;

    /** The server comes in the constructor so that it is there before the first listener is bound. */
    @Activate
    public ListenerWhiteboard(@Reference(service = SwitchService.class,
            target = "(component.name=org.daolinet.openflow.OpenFlowServer)") SwitchService server) {
        this.server = (OpenFlowServer) server;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addSwitchListener(SwitchListener l) {
        server.addSwitchListener(l);
    }

    public void removeSwitchListener(SwitchListener l) {
        server.removeSwitchListener(l);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addPacketInListener(PacketInListener l) {
        server.addPacketInListener(l);
    }

    public void removePacketInListener(PacketInListener l) {
        server.removePacketInListener(l);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addFlowRemovedListener(FlowRemovedListener l) {
        server.addFlowRemovedListener(l);
    }

    public void removeFlowRemovedListener(FlowRemovedListener l) {
        server.removeFlowRemovedListener(l);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addErrorListener(SwitchErrorListener l) {
        server.addErrorListener(l);
    }

    public void removeErrorListener(SwitchErrorListener l) {
        server.removeErrorListener(l);
    }
}
