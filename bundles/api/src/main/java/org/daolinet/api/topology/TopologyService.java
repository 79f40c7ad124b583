package org.daolinet.api.topology;

import java.util.Collection;
import java.util.Optional;

import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * What the controller sees of the declared network: which hosts' switches are connected, which switch port each
 * endpoint is really attached to, and the links between OpenFlow switches found by LLDP.
 */
public interface TopologyService {

    /** Whether the switch of host {@code hostId} is connected and ready. */
    boolean isHostUp(String hostId);

    /** Where an endpoint is attached, if its host is up and has a port of the endpoint's port name. */
    Optional<Attachment> attachment(String endpointId);

    /** The endpoint attached at a switch port, if any. */
    Optional<Attachment> attachmentAt(DatapathId dpid, OFPort port);

    Collection<Attachment> attachments();

    /** Links seen recently, one per direction. */
    Collection<Link> links();
}
