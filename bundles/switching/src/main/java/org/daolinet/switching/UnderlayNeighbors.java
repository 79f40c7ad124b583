package org.daolinet.switching;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.daolinet.api.config.Host;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.pipeline.Arp;
import org.osgi.service.component.annotations.Component;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MACs a host's frames must be addressed to on its underlay segment: another host of the same segment (known
 * from its declaration) or the segment's router, whose MAC the controller learns by asking, like the host's own
 * kernel would, with an ARP request out of the host's uplink. It asks as an ARP probe (RFC 5227: sender address
 * 0.0.0.0) from a MAC of its own per host, {@link #proberMac}, which a proactive flow sends back to the controller
 * (see {@link Switching#proactiveFlows}): asking from the host's own MAC and address would not work, because Open
 * vSwitch's in-band control (the default) takes ARP answers for the bridge's MAC to itself before any flow, and a
 * probe changes nothing in the router's own ARP table. Answers are refreshed while in use.
 */
@Component(service = UnderlayNeighbors.class, immediate = true)
public class UnderlayNeighbors {

    private static final Logger log = LoggerFactory.getLogger(UnderlayNeighbors.class);
    /** An answer older than this is asked again (and used meanwhile). */
    static final Duration REFRESH = Duration.ofSeconds(60);
    /** At most one question per host and address in this time. */
    static final Duration ASK_INTERVAL = Duration.ofSeconds(1);

    record Neighbor(MacAddress mac, Instant learned) {
    }

    record Question(DatapathId dpid, IPv4Address ip) {
    }

    private final Map<DatapathId, Map<IPv4Address, Neighbor>> known = new ConcurrentHashMap<>();
    private final Map<Question, Instant> asked = new ConcurrentHashMap<>();
    private final Clock clock;

    public UnderlayNeighbors() {
        this(Clock.systemUTC());
    }

    UnderlayNeighbors(Clock clock) {
        this.clock = clock;
    }

    /**
     * The MAC to send {@code from}'s frames for {@code to} to; empty (and the router asked) if it is not known
     * yet, or if {@code from} has no router towards another segment.
     */
    public Optional<MacAddress> nextHop(OpenFlowSwitch sw, Host from, Host to) {
        if (from.sharesSegmentWith(to)) {
            return Optional.of(to.underlayMac());
        }
        IPv4Address router = from.underlayGateway();
        if (router == null) {
            return Optional.empty();
        }
        Neighbor n = known.getOrDefault(sw.id(), Map.of()).get(router);
        if (n == null || n.learned().plus(REFRESH).isBefore(clock.instant())) {
            ask(sw, from, router);
        }
        return Optional.ofNullable(n).map(Neighbor::mac);
    }

    /** Asks for the host's router now (when its switch connects), so the first connection finds it known. */
    public void resolveRouter(OpenFlowSwitch sw, Host host) {
        if (host.underlayGateway() != null) {
            ask(sw, host, host.underlayGateway());
        }
    }

    /** An ARP answer that reached a host's uplink. */
    public void learn(DatapathId dpid, Arp arp) {
        if (arp.isRequest() || arp.senderMac().isMulticast() || IPv4Address.NONE.equals(arp.senderIp())) {
            return;
        }
        Neighbor before = known.computeIfAbsent(dpid, k -> new ConcurrentHashMap<>())
                .put(arp.senderIp(), new Neighbor(arp.senderMac(), clock.instant()));
        if (before == null || !before.mac().equals(arp.senderMac())) {
            log.info("Underlay neighbor of {}: {} is at {}", dpid, arp.senderIp(), arp.senderMac());
        }
    }

    /** The MAC the controller asks from on a host's segment: {@code fa:da} and the low 32 bits of its datapath id. */
    public static MacAddress proberMac(DatapathId dpid) {
        return MacAddress.of((0xFADAL << 32) | (dpid.getLong() & 0xFFFF_FFFFL));
    }

    public void forget(DatapathId dpid) {
        known.remove(dpid);
        asked.keySet().removeIf(q -> q.dpid().equals(dpid));
    }

    private void ask(OpenFlowSwitch sw, Host host, IPv4Address ip) {
        Instant now = clock.instant();
        Question q = new Question(sw.id(), ip);
        Instant last = asked.get(q);
        if (last != null && last.plus(ASK_INTERVAL).isAfter(now) || asked.put(q, now) != last) {
            return;
        }
        Optional<OFPort> uplink = EndpointDirectory.uplinkOf(sw, host);
        if (uplink.isEmpty()) {
            return;
        }
        sw.send(sw.factory().buildPacketOut()
                .setBufferId(OFBufferId.NO_BUFFER)
                .setInPort(OFPort.CONTROLLER)
                .setActions(List.of(sw.factory().actions().output(uplink.get(), 0xffff)))
                .setData(request(proberMac(sw.id()), IPv4Address.NONE, ip))
                .build());
    }

    /** "Who has {@code target}? Tell {@code ip}", broadcast. */
    static byte[] request(MacAddress mac, IPv4Address ip, IPv4Address target) {
        return new Arp(ArpOpcode.REQUEST, mac, ip, MacAddress.NONE, target).toFrame(MacAddress.BROADCAST);
    }
}
