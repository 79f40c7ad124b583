package org.daolinet.api.openflow;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

/**
 * A connected OpenFlow switch that has completed its handshake.
 *
 * <p>Every method is safe to call from any thread and never blocks. Replies are delivered through
 * futures that complete on the switch's I/O thread, so callbacks must not block either.
 */
public interface OpenFlowSwitch {

    DatapathId id();

    /** The OpenFlow version negotiated with this switch. */
    OFVersion version();

    /** The message factory for {@link #version()}; build every message sent to this switch with it. */
    OFFactory factory();

    SocketAddress remoteAddress();

    Instant connectedSince();

    /** This controller's role at the switch, as last confirmed by the switch. */
    OFControllerRole role();

    /** The switch's ports as last reported (features/port-desc, then kept current by port status). */
    List<OFPortDesc> ports();

    default Optional<OFPortDesc> port(OFPort number) {
        return ports().stream().filter(p -> p.getPortNo().equals(number)).findFirst();
    }

    default Optional<OFPortDesc> port(String name) {
        return ports().stream().filter(p -> p.getName().equals(name)).findFirst();
    }

    /** Number of flow tables the switch reported in its features. */
    short tableCount();

    boolean isConnected();

    /**
     * Queues a message for the switch. Writes issued while the switch's messages are being read are flushed
     * together at the end of that read burst.
     *
     * @return false if the message was dropped: the switch is gone, or it has stopped reading and its send
     *     queue is full
     */
    boolean send(OFMessage message);

    /** Queues several messages at once, in order; see {@link #send(OFMessage)}. */
    boolean send(Iterable<? extends OFMessage> messages);

    /**
     * Sends a request and returns its reply, matched by transaction id. The future fails with
     * {@link OpenFlowErrorException} when the switch answers with an error, with
     * {@link SwitchDisconnectedException} when the connection closes first, and with a
     * {@link java.util.concurrent.TimeoutException} when no reply comes in time.
     */
    <R extends OFMessage> CompletableFuture<R> request(OFRequest<R> request);

    /** Sends a multipart (stats) request and gathers every part of the reply. */
    <R extends OFStatsReply> CompletableFuture<List<R>> requestStats(OFStatsRequest<R> request);

    /** Completes once the switch has processed every message sent before it. */
    CompletableFuture<Void> barrier();

    /** Every flow in every table of the switch: a flow stats request that matches all, its parts gathered. */
    default CompletableFuture<List<OFFlowStatsEntry>> allFlows() {
        OFFlowStatsRequest.Builder request = factory().buildFlowStatsRequest()
                .setMatch(factory().matchWildcardAll())
                .setTableId(TableId.ALL)
                .setOutPort(OFPort.ANY);
        if (version() != OFVersion.OF_10) {
            request.setOutGroup(OFGroup.ANY);
        }
        return requestStats(request.build()).thenApply(replies -> {
            List<OFFlowStatsEntry> flows = new ArrayList<>();
            replies.forEach(r -> flows.addAll(r.getEntries()));
            return flows;
        });
    }

    /**
     * Queues the messages followed by a barrier, in one write; completes once the switch has processed them all.
     * Fails as {@link #request} does, and at once when the messages were dropped (see {@link #send(OFMessage)}).
     */
    default CompletableFuture<Void> sendConfirmed(Iterable<? extends OFMessage> messages) {
        if (!send(messages)) {
            return CompletableFuture.failedFuture(new SwitchDisconnectedException("the messages were not queued"));
        }
        return barrier();
    }

    /**
     * Asks the switch to give this controller the given role (OpenFlow 1.3 role request, or the Nicira role
     * extension under OpenFlow 1.0); completes with the role the switch confirmed.
     */
    CompletableFuture<OFControllerRole> requestRole(OFControllerRole role);

    /** Closes the connection; the switch will normally reconnect. */
    void disconnect(String reason);
}
