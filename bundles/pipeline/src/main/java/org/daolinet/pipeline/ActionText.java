package org.daolinet.pipeline;

import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetDlDst;
import org.projectfloodlight.openflow.protocol.action.OFActionSetDlSrc;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.action.OFActionSetNwDst;
import org.projectfloodlight.openflow.protocol.action.OFActionSetNwSrc;
import org.projectfloodlight.openflow.protocol.action.OFActionSetTpDst;
import org.projectfloodlight.openflow.protocol.action.OFActionSetTpSrc;

/** Short ovs-ofctl-like text for the actions admins see in {@code daolinet:flows}. */
final class ActionText {

    private ActionText() {
    }

    static String of(OFAction a) {
        if (a instanceof OFActionOutput o) {
            return "output:" + o.getPort();
        }
        if (a instanceof OFActionSetField f) {
            return "set_" + f.getField().getMatchField().getName() + ":" + f.getField().getValue();
        }
        if (a instanceof OFActionSetDlSrc s) {
            return "set_eth_src:" + s.getDlAddr();
        }
        if (a instanceof OFActionSetDlDst s) {
            return "set_eth_dst:" + s.getDlAddr();
        }
        if (a instanceof OFActionSetNwSrc s) {
            return "set_ipv4_src:" + s.getNwAddr();
        }
        if (a instanceof OFActionSetNwDst s) {
            return "set_ipv4_dst:" + s.getNwAddr();
        }
        if (a instanceof OFActionSetTpSrc s) {
            return "set_tp_src:" + s.getTpPort();
        }
        if (a instanceof OFActionSetTpDst s) {
            return "set_tp_dst:" + s.getTpPort();
        }
        return a.getType().name().toLowerCase();
    }
}
