package org.daolinet.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.daolinet.api.config.ConfigEvent;
import org.daolinet.api.config.ConfigKind;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.NetworkConfigListener;
import org.daolinet.api.config.NetworkConfigService;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.openflow.PacketInListener;
import org.daolinet.api.openflow.SwitchListener;
import org.daolinet.api.openflow.SwitchService;
import org.daolinet.api.topology.Attachment;
import org.daolinet.api.topology.Link;
import org.daolinet.api.topology.TopologyService;
import org.daolinet.api.util.KeyHash;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the declared network with the switches that are really there. An endpoint is attached where its host's
 * switch has a port of the endpoint's OVS port name (from PORT_DESC and port status); a packet from the
 * endpoint's MAC on that port confirms it. Links between OpenFlow switches are found by sending LLDP out of every
 * port and catching it as a PacketIn on the far side.
 */
@Component(service = {TopologyService.class, SwitchListener.class, PacketInListener.class,
        NetworkConfigListener.class}, immediate = true, configurationPid = "org.daolinet.topology",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class TopologyManager implements TopologyService, SwitchListener, PacketInListener, NetworkConfigListener {

    private static final Logger log = LoggerFactory.getLogger(TopologyManager.class);
    /** An attachment's confirmation is renewed at most this often: a write per second, not per packet. */
    private static final long CONFIRM_RESOLUTION_MILLIS = 1_000;

    record SwitchPort(DatapathId dpid, OFPort port) {
        @Override
        public int hashCode() {
            return KeyHash.of(dpid.getLong(), port.getPortNumber()); // not the record's own: see KeyHash
        }
    }

    record LinkKey(DatapathId srcDpid, OFPort srcPort, DatapathId dstDpid, OFPort dstPort) {
    }

    private final Map<String, Attachment> byEndpoint = new ConcurrentHashMap<>();
    private final Map<SwitchPort, Attachment> byPort = new ConcurrentHashMap<>();
    private final Map<LinkKey, Instant> links = new ConcurrentHashMap<>();
    /** Declared endpoints by host id; guarded by this. */
    private final Map<String, Map<String, Endpoint>> endpointsByHost = new HashMap<>();

    @Reference
    NetworkConfigService config;

    @Reference
    SwitchService switches;

    private ScheduledExecutorService lldpTimer;
    private Duration lldpInterval = Duration.ofSeconds(5);

    public TopologyManager() {
    }

    /** For use without OSGi (tests, tools): the services DS would inject. */
    public TopologyManager(NetworkConfigService config, SwitchService switches) {
        this.config = config;
        this.switches = switches;
    }

    @Activate
    public void activate(Map<String, Object> properties) {
        Object interval = properties.get("lldp.interval.seconds");
        if (interval != null) {
            try {
                lldpInterval = Duration.ofSeconds(Math.max(1, Integer.parseInt(interval.toString().trim())));
            } catch (NumberFormatException e) {
                log.error("lldp.interval.seconds: '{}' is not a whole number; using {} s", interval,
                        lldpInterval.toSeconds());
            }
        }
        recompute();
        lldpTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "daolinet-lldp");
            t.setDaemon(true);
            return t;
        });
        lldpTimer.scheduleWithFixedDelay(this::lldpRound, 0, lldpInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    public void deactivate() {
        if (lldpTimer != null) {
            lldpTimer.shutdownNow();
        }
    }

    // ---- TopologyService -------------------------------------------------------------------------------------

    @Override
    public boolean isHostUp(String hostId) {
        return config.get(Host.class, hostId).flatMap(h -> switches.getSwitch(h.dpid())).isPresent();
    }

    @Override
    public Optional<Attachment> attachment(String endpointId) {
        return Optional.ofNullable(byEndpoint.get(endpointId));
    }

    @Override
    public Optional<Attachment> attachmentAt(DatapathId dpid, OFPort port) {
        return Optional.ofNullable(byPort.get(new SwitchPort(dpid, port)));
    }

    @Override
    public Collection<Attachment> attachments() {
        return List.copyOf(byEndpoint.values());
    }

    @Override
    public Collection<Link> links() {
        List<Link> out = new ArrayList<>();
        links.forEach((link, seen) -> out.add(new Link(link.srcDpid(), link.srcPort(), link.dstDpid(), link.dstPort(),
                seen)));
        return out;
    }

    // ---- events ----------------------------------------------------------------------------------------------

    @Override
    public void switchAdded(OpenFlowSwitch sw) {
        refreshSwitch(sw.id());
        sendLldp(sw);
    }

    @Override
    public void switchRemoved(OpenFlowSwitch sw) {
        links.keySet().removeIf(l -> l.srcDpid().equals(sw.id()) || l.dstDpid().equals(sw.id()));
        refreshSwitch(sw.id());
    }

    @Override
    public void portChanged(OpenFlowSwitch sw, OFPortStatus status) {
        refreshSwitch(sw.id());
    }

    @Override
    public void configChanged(ConfigEvent event) {
        if (event.kind() == ConfigKind.ENDPOINT) {
            endpointChanged(event);
        } else if (event.kind() == ConfigKind.HOST) {
            hostChanged(event);
        }
    }

    @Override
    public void packetIn(OpenFlowSwitch sw, OFPacketIn packetIn) {
        byte[] frame = packetIn.getData();
        OFPort inPort = PacketInListener.inPort(packetIn);
        if (frame.length < 14 || inPort == null) {
            return;
        }
        if (Lldp.isLldp(frame)) {
            Lldp.parse(frame).ifPresent(origin -> {
                LinkKey link = new LinkKey(origin.dpid(), origin.port(), sw.id(), inPort);
                if (links.put(link, Instant.now()) == null) {
                    log.info("Link discovered: {}/{} -> {}/{}", origin.dpid(), origin.port(), sw.id(), inPort);
                }
            });
            return;
        }
        SwitchPort at = new SwitchPort(sw.id(), inPort);
        Attachment a = byPort.get(at);
        if (a == null) {
            return;
        }
        // every PacketIn from an endpoint passes here: the clock read as a long, an Instant made only to confirm
        long nowMillis = System.currentTimeMillis();
        Instant last = a.confirmedAt();
        if (last == null || last.toEpochMilli() + CONFIRM_RESOLUTION_MILLIS < nowMillis) {
            if (a.endpoint().mac().getLong() == sourceMac(frame)) {
                Attachment confirmed = a.confirmed(Instant.ofEpochMilli(nowMillis));
                // unless a configuration or port change replaced the attachment meanwhile
                if (byPort.replace(at, a, confirmed)) {
                    byEndpoint.replace(a.endpointId(), a, confirmed);
                }
            }
        }
    }

    private static long sourceMac(byte[] frame) {
        long mac = 0;
        for (int i = 6; i < 12; i++) {
            mac = mac << 8 | (frame[i] & 0xff);
        }
        return mac;
    }

    /*
     * Where each endpoint is, from the declared port names and the switches' ports; confirmations are kept.
     * Maintained incrementally: an endpoint event touches that endpoint, a host or switch event the endpoints of
     * that host, so declaring n endpoints costs O(n) in all, not O(n) per endpoint.
     */

    /** Everything from scratch: at start. */
    private synchronized void recompute() {
        endpointsByHost.clear();
        Map<String, Endpoint> declared = new HashMap<>();
        for (Endpoint e : config.list(Endpoint.class)) {
            endpointsByHost.computeIfAbsent(e.hostId(), k -> new HashMap<>()).put(e.id(), e);
            declared.put(e.id(), e);
        }
        for (String id : List.copyOf(byEndpoint.keySet())) {
            Endpoint e = declared.get(id);
            if (e == null || config.get(Host.class, e.hostId()).isEmpty()) {
                detach(id);
            }
        }
        for (Host h : config.list(Host.class)) {
            refreshHost(h);
        }
    }

    /** The endpoints of the hosts whose bridge is this switch. */
    private synchronized void refreshSwitch(DatapathId dpid) {
        for (Host h : config.list(Host.class)) {
            if (h.dpid().equals(dpid)) {
                refreshHost(h);
            }
        }
    }

    private synchronized void endpointChanged(ConfigEvent event) {
        if (event.previous() instanceof Endpoint before) {
            Map<String, Endpoint> onHost = endpointsByHost.get(before.hostId());
            if (onHost != null) {
                onHost.remove(before.id());
                if (onHost.isEmpty()) {
                    endpointsByHost.remove(before.hostId());
                }
            }
            if (!(event.current() instanceof Endpoint)) {
                detach(before.id());
            }
        }
        if (event.current() instanceof Endpoint after) {
            endpointsByHost.computeIfAbsent(after.hostId(), k -> new HashMap<>()).put(after.id(), after);
            Optional<Host> host = config.get(Host.class, after.hostId());
            if (host.isPresent()) {
                refresh(after, host.get());
            } else {
                detach(after.id());
            }
        }
    }

    private synchronized void hostChanged(ConfigEvent event) {
        if (event.current() instanceof Host after) {
            refreshHost(after);
        } else if (event.previous() instanceof Host before) {
            for (String id : endpointsByHost.getOrDefault(before.id(), Map.of()).keySet()) {
                detach(id);
            }
        }
    }

    private void refreshHost(Host h) {
        for (Endpoint e : endpointsByHost.getOrDefault(h.id(), Map.of()).values()) {
            refresh(e, h);
        }
    }

    private void refresh(Endpoint e, Host h) {
        Optional<OFPort> port = switches.getSwitch(h.dpid()).flatMap(sw -> sw.port(e.portName()))
                .map(OFPortDesc::getPortNo);
        if (port.isEmpty()) {
            detach(e.id());
            return;
        }
        Attachment previous = byEndpoint.get(e.id());
        boolean same = previous != null && previous.port().equals(port.get()) && previous.dpid().equals(h.dpid());
        Attachment next = new Attachment(e, h.dpid(), port.get(), same ? previous.confirmedAt() : null);
        if (previous != null && !same) {
            byPort.remove(new SwitchPort(previous.dpid(), previous.port()), previous);
        }
        byEndpoint.put(e.id(), next);
        byPort.put(new SwitchPort(next.dpid(), next.port()), next);
    }

    private void detach(String endpointId) {
        Attachment a = byEndpoint.remove(endpointId);
        if (a != null) {
            byPort.remove(new SwitchPort(a.dpid(), a.port()), a);
        }
    }

    // ---- LLDP ------------------------------------------------------------------------------------------------

    private void lldpRound() {
        try {
            Instant expired = Instant.now().minus(lldpInterval.multipliedBy(3));
            links.entrySet().removeIf(e -> {
                boolean old = e.getValue().isBefore(expired);
                if (old) {
                    log.info("Link gone: {}/{} -> {}/{}", e.getKey().srcDpid(), e.getKey().srcPort(),
                            e.getKey().dstDpid(), e.getKey().dstPort());
                }
                return old;
            });
            for (OpenFlowSwitch sw : switches.switches()) {
                sendLldp(sw);
            }
        } catch (RuntimeException e) {
            log.warn("LLDP round failed", e);
        }
    }

    private void sendLldp(OpenFlowSwitch sw) {
        List<OFMessage> out = new ArrayList<>();
        for (OFPortDesc p : sw.ports()) {
            int number = p.getPortNo().getPortNumber();
            if (number < 1 || number >= 0xff00) {
                continue; // LOCAL and the other reserved ports lead nowhere
            }
            out.add(sw.factory().buildPacketOut()
                    .setBufferId(OFBufferId.NO_BUFFER)
                    .setInPort(OFPort.CONTROLLER)
                    .setActions(List.of(sw.factory().actions().output(p.getPortNo(), 0)))
                    .setData(Lldp.frame(sw.id(), p.getPortNo(), p.getHwAddr()))
                    .build());
        }
        if (!out.isEmpty()) {
            sw.send(out);
        }
    }

}
