package org.daolinet.api.pipeline;

import java.util.List;

import org.daolinet.api.config.ConfigEvent;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;

/**
 * A network function: an OSGi service the pipeline calls, in {@link #stage()} order, with the first packet of
 * every new connection. Register one and it takes part at once; unregister it (stop its bundle) and the pipeline
 * removes every flow it shaped, so nothing of it stays in the network.
 *
 * <p>{@link #process} runs on a switch's I/O thread for every new connection in the network: it must be quick,
 * read only in-memory state and never block.
 */
public interface NetworkFunction {

    /** A short stable name ({@code switching}); shown as the owner of flows and used for the function's cookie bit. */
    String name();

    Stage stage();

    Verdict process(PacketContext context);

    /**
     * Whether a configuration change invalidates flows this function shaped; if so, the pipeline removes them
     * all and the next packets are decided afresh.
     */
    default boolean invalidatedBy(ConfigEvent event) {
        return false;
    }

    /**
     * Whether a configuration change (one that does not invalidate the function's flows) adds to its proactive
     * flows, say a new host; if so they are installed again on every switch.
     */
    default boolean changesProactiveFlows(ConfigEvent event) {
        return false;
    }

    /**
     * Flows that must always be on a switch, whatever the traffic (the host's own underlay traffic, drops of
     * multicast). Installed when the switch connects or its ports change, the function appears, or its flows are
     * invalidated. The
     * pipeline sets the cookie; build them with the switch's factory.
     */
    default List<OFFlowAdd> proactiveFlows(OpenFlowSwitch sw) {
        return List.of();
    }
}
