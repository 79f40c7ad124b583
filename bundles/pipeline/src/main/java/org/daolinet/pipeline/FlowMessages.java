package org.daolinet.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.daolinet.api.pipeline.Delivery.Scope;
import org.daolinet.api.pipeline.Header;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFOxmList;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActions;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.protocol.oxm.OFOxms;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Matches and actions for a header, in the dialect of each OpenFlow version: the one place where 1.0 and 1.3
 * differ for the pipeline (set-field versus set_dl/nw/tp, the TTL decrement).
 */
final class FlowMessages {

    private FlowMessages() {
    }

    /** An exact match on a packet with this header arriving on {@code inPort}. */
    static Match match(OFFactory f, OFPort inPort, Header h, Scope scope) {
        if (f.getVersion() != OFVersion.OF_10) {
            return oxmMatch(f, inPort, h, scope);
        }
        Match.Builder m = f.buildMatch().setExact(MatchField.IN_PORT, inPort);
        if (h.ethSrc() != null) {
            m.setExact(MatchField.ETH_SRC, h.ethSrc());
        }
        if (h.ethDst() != null) {
            m.setExact(MatchField.ETH_DST, h.ethDst());
        }
        if (scope == Scope.MAC_PAIR || h.ethType() == null) {
            return m.build();
        }
        m.setExact(MatchField.ETH_TYPE, h.ethType());
        if (h.isIpv4()) {
            m.setExact(MatchField.IPV4_SRC, h.ipSrc());
            m.setExact(MatchField.IPV4_DST, h.ipDst());
            m.setExact(MatchField.IP_PROTO, h.ipProto());
            if (isTcp(h)) {
                m.setExact(MatchField.TCP_SRC, h.l4Src());
                m.setExact(MatchField.TCP_DST, h.l4Dst());
            } else if (isUdp(h)) {
                m.setExact(MatchField.UDP_SRC, h.l4Src());
                m.setExact(MatchField.UDP_DST, h.l4Dst());
            }
        }
        return m.build();
    }

    /**
     * The same match for OpenFlow 1.2 and later, built as one OXM list: Loxi's {@code Match.Builder.setExact}
     * copies the whole list on every field (an OF1.3 connection flow cost 14x its OF1.0 twin in CodecBenchmark).
     * The list keeps OXMs in field order, so prerequisites (eth_type before ipv4, ip_proto before ports) come first.
     */
    private static Match oxmMatch(OFFactory f, OFPort inPort, Header h, Scope scope) {
        OFOxms x = f.oxms();
        List<OFOxm<?>> oxms = new ArrayList<>(10);
        oxms.add(x.inPort(inPort));
        if (h.ethSrc() != null) {
            oxms.add(x.ethSrc(h.ethSrc()));
        }
        if (h.ethDst() != null) {
            oxms.add(x.ethDst(h.ethDst()));
        }
        if (scope != Scope.MAC_PAIR && h.ethType() != null) {
            oxms.add(x.ethType(h.ethType()));
            if (h.isIpv4()) {
                oxms.add(x.ipv4Src(h.ipSrc()));
                oxms.add(x.ipv4Dst(h.ipDst()));
                oxms.add(x.ipProto(h.ipProto()));
                if (isTcp(h)) {
                    oxms.add(x.tcpSrc(h.l4Src()));
                    oxms.add(x.tcpDst(h.l4Dst()));
                } else if (isUdp(h)) {
                    oxms.add(x.udpSrc(h.l4Src()));
                    oxms.add(x.udpDst(h.l4Dst()));
                }
            }
        }
        return f.buildMatchV3().setOxmList(OFOxmList.ofList(oxms)).build();
    }

    static boolean isTcp(Header h) {
        return h.hasPorts() && IpProtocol.TCP.equals(h.ipProto());
    }

    static boolean isUdp(Header h) {
        return h.hasPorts() && IpProtocol.UDP.equals(h.ipProto());
    }

    /**
     * The actions that turn a packet with header {@code from} into one with header {@code to} and send it out of
     * {@code out} (out of its in-port when the two are the same, as OpenFlow requires).
     */
    static List<OFAction> rewriteAndOutput(OFFactory f, Header from, Header to, boolean decrementTtl, OFPort inPort,
            OFPort out) {
        List<OFAction> actions = rewrite(f, from, to);
        if (decrementTtl) {
            actions.add(f.getVersion() == OFVersion.OF_10 ? f.actions().niciraDecTtl() : f.actions().decNwTtl());
        }
        actions.add(f.actions().output(out.equals(inPort) ? OFPort.IN_PORT : out, 0xffff));
        return actions;
    }

    static List<OFAction> rewrite(OFFactory f, Header from, Header to) {
        List<OFAction> out = new ArrayList<>(4);
        OFActions a = f.actions();
        boolean of10 = f.getVersion() == OFVersion.OF_10;
        OFOxms x = of10 ? null : f.oxms();
        if (changed(from.ethSrc(), to.ethSrc())) {
            out.add(of10 ? a.setDlSrc(to.ethSrc()) : a.setField(x.ethSrc(to.ethSrc())));
        }
        if (changed(from.ethDst(), to.ethDst())) {
            out.add(of10 ? a.setDlDst(to.ethDst()) : a.setField(x.ethDst(to.ethDst())));
        }
        if (changed(from.ipSrc(), to.ipSrc())) {
            out.add(of10 ? a.setNwSrc(to.ipSrc()) : a.setField(x.ipv4Src(to.ipSrc())));
        }
        if (changed(from.ipDst(), to.ipDst())) {
            out.add(of10 ? a.setNwDst(to.ipDst()) : a.setField(x.ipv4Dst(to.ipDst())));
        }
        boolean tcp = IpProtocol.TCP.equals(to.ipProto());
        if (changed(from.l4Src(), to.l4Src())) {
            out.add(of10 ? a.setTpSrc(to.l4Src())
                    : a.setField(tcp ? x.tcpSrc(to.l4Src()) : x.udpSrc(to.l4Src())));
        }
        if (changed(from.l4Dst(), to.l4Dst())) {
            out.add(of10 ? a.setTpDst(to.l4Dst())
                    : a.setField(tcp ? x.tcpDst(to.l4Dst()) : x.udpDst(to.l4Dst())));
        }
        return out;
    }

    /** Whether a rewrite to {@code to} changes the field: a null target leaves it as it is. */
    static boolean changed(Object from, Object to) {
        return to != null && !Objects.equals(from, to);
    }
}
