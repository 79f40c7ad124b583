package org.daolinet.api.pipeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.projectfloodlight.openflow.types.DatapathId;

/** The flows the pipeline owns, and the network functions taking part. */
public interface FlowService {

    /** The switch's flows with their owners; fails if the switch is not connected. */
    CompletableFuture<List<FlowEntry>> flows(DatapathId dpid);

    /** The network functions present now, in pipeline order, with the cookie bit each owns. */
    Map<String, Integer> functions();
}
