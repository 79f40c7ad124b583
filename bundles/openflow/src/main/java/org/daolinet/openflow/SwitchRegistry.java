package org.daolinet.openflow;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.daolinet.api.openflow.FlowRemovedListener;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.openflow.PacketInListener;
import org.daolinet.api.openflow.SwitchErrorListener;
import org.daolinet.api.openflow.SwitchListener;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switches that completed their handshake, one live connection per datapath id, and the listeners told
 * about them. A second connection claiming a connected datapath replaces the first only once the first is
 * really gone: a rogue or confused peer cannot kick a live switch off.
 */
final class SwitchRegistry {

    private static final Logger log = LoggerFactory.getLogger(SwitchRegistry.class);

    private final Map<DatapathId, SwitchConnection> switches = new ConcurrentHashMap<>();
    private final List<SwitchListener> switchListeners = new CopyOnWriteArrayList<>();
    private final List<PacketInListener> packetInListeners = new CopyOnWriteArrayList<>();
    private final List<FlowRemovedListener> flowRemovedListeners = new CopyOnWriteArrayList<>();
    private final List<SwitchErrorListener> errorListeners = new CopyOnWriteArrayList<>();
    /** Role generation ids must grow across controller restarts too, so they start from the clock. */
    private final AtomicLong generationId = new AtomicLong(System.currentTimeMillis());
    private volatile long duplicateProbeMillis = 3000;

    void setDuplicateProbeMillis(long millis) {
        duplicateProbeMillis = millis;
    }

    Collection<OpenFlowSwitch> switches() {
        return List.copyOf(switches.values());
    }

    Optional<OpenFlowSwitch> get(DatapathId id) {
        return Optional.ofNullable(switches.get(id));
    }

    long nextGenerationId() {
        return generationId.incrementAndGet();
    }

    void handshakeComplete(SwitchConnection conn) {
        SwitchConnection old = switches.putIfAbsent(conn.id(), conn);
        if (old == null) {
            admit(conn);
            return;
        }
        if (!old.isConnected()) {
            replace(old, conn);
            return;
        }
        log.info("{} claims a datapath already connected as {}; checking whether that one is alive", conn, old);
        old.request(old.factory().buildEchoRequest().build())
                .orTimeout(duplicateProbeMillis, TimeUnit.MILLISECONDS)
                .whenComplete((reply, error) -> {
                    if (error == null) {
                        conn.close("datapath " + conn.id() + " is already connected from " + old.remoteAddress()
                                + " and that connection is alive");
                    } else {
                        old.close("replaced by a new connection from " + conn.remoteAddress());
                        replace(old, conn);
                    }
                });
    }

    private void replace(SwitchConnection old, SwitchConnection conn) {
        if (switches.replace(conn.id(), old, conn)) {
            notifySwitch(l -> l.switchRemoved(old));
            admit(conn);
        } else {
            // the old one was removed meanwhile (its close completed): try again from the start
            handshakeComplete(conn);
        }
    }

    private void admit(SwitchConnection conn) {
        if (!conn.isConnected()) {
            switches.remove(conn.id(), conn);
            return;
        }
        conn.markReady();
        notifySwitch(l -> l.switchAdded(conn));
    }

    void connectionClosed(SwitchConnection conn) {
        if (conn.id() != null && switches.remove(conn.id(), conn)) {
            notifySwitch(l -> l.switchRemoved(conn));
        }
    }

    void portChanged(SwitchConnection conn, OFPortStatus status) {
        notifySwitch(l -> l.portChanged(conn, status));
    }

    void packetIn(SwitchConnection conn, OFPacketIn packetIn) {
        for (PacketInListener l : packetInListeners) {
            try {
                l.packetIn(conn, packetIn);
            } catch (RuntimeException e) {
                log.warn("PacketIn listener {} failed on a packet from {}", l, conn, e);
            }
        }
    }

    void flowRemoved(SwitchConnection conn, OFFlowRemoved removed) {
        for (FlowRemovedListener l : flowRemovedListeners) {
            try {
                l.flowRemoved(conn, removed);
            } catch (RuntimeException e) {
                log.warn("FlowRemoved listener {} failed for {}", l, conn, e);
            }
        }
    }

    void error(SwitchConnection conn, OFErrorMsg error) {
        if (errorListeners.isEmpty()) {
            log.warn("{}: OpenFlow error {}", conn, error);
        }
        for (SwitchErrorListener l : errorListeners) {
            try {
                l.error(conn, error);
            } catch (RuntimeException e) {
                log.warn("Error listener {} failed for {}", l, conn, e);
            }
        }
    }

    private void notifySwitch(Consumer<SwitchListener> event) {
        for (SwitchListener l : switchListeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                log.warn("Switch listener {} failed", l, e);
            }
        }
    }

    /** A listener that arrives late is told about the switches already there, as if they had just come. */
    void addListener(SwitchListener l) {
        switchListeners.add(l);
        for (SwitchConnection sw : switches.values()) {
            try {
                l.switchAdded(sw);
            } catch (RuntimeException e) {
                log.warn("Switch listener {} failed", l, e);
            }
        }
    }

    void removeListener(SwitchListener l) {
        switchListeners.remove(l);
    }

    void addListener(PacketInListener l) {
        packetInListeners.add(l);
    }

    void removeListener(PacketInListener l) {
        packetInListeners.remove(l);
    }

    void addListener(FlowRemovedListener l) {
        flowRemovedListeners.add(l);
    }

    void removeListener(FlowRemovedListener l) {
        flowRemovedListeners.remove(l);
    }

    void addListener(SwitchErrorListener l) {
        errorListeners.add(l);
    }

    void removeListener(SwitchErrorListener l) {
        errorListeners.remove(l);
    }
}
