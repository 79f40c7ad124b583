package org.daolinet.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import org.daolinet.api.openflow.OpenFlowSwitch;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/** Reading and deleting a switch's flows, in whichever OpenFlow version it speaks. */
final class FlowTables {

    private FlowTables() {
    }

    /** Deletes exactly these flows (same match and priority; under 1.3 also the same cookie). */
    static List<OFMessage> deleteEach(OpenFlowSwitch sw, List<OFFlowStatsEntry> flows) {
        List<OFMessage> out = new ArrayList<>(flows.size());
        for (OFFlowStatsEntry e : flows) {
            OFFlowDeleteStrict.Builder b = sw.factory().buildFlowDeleteStrict()
                    .setMatch(e.getMatch())
                    .setPriority(e.getPriority())
                    .setOutPort(OFPort.ANY);
            if (sw.version() != OFVersion.OF_10) {
                b.setTableId(e.getTableId()).setOutGroup(OFGroup.ANY)
                        .setCookie(e.getCookie()).setCookieMask(U64.NO_MASK);
            }
            out.add(b.build());
        }
        return out;
    }

    /** Every flow whose cookie, masked, equals {@code cookie} (OpenFlow 1.3). */
    static OFFlowDelete deleteByCookie(OpenFlowSwitch sw, long cookie, long mask) {
        return sw.factory().buildFlowDelete()
                .setTableId(TableId.ALL)
                .setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY)
                .setCookie(U64.of(cookie))
                .setCookieMask(U64.of(mask))
                .setMatch(sw.factory().matchWildcardAll())
                .build();
    }

    /** A match as {@code field=value,...}, like ovs-ofctl writes it. */
    static String describe(Match match) {
        StringJoiner s = new StringJoiner(",");
        for (MatchField<?> f : match.getMatchFields()) {
            s.add(f.getName() + "=" + match.get(f));
        }
        String text = s.toString();
        return text.isEmpty() ? "any" : text;
    }

    static String describeActions(OFFlowStatsEntry e) {
        List<OFAction> actions = new ArrayList<>();
        if (e.getVersion() == OFVersion.OF_10) {
            actions.addAll(e.getActions());
        } else {
            for (OFInstruction i : e.getInstructions()) {
                if (i instanceof OFInstructionApplyActions apply) {
                    actions.addAll(apply.getActions());
                }
            }
        }
        if (actions.isEmpty()) {
            return "drop";
        }
        StringJoiner s = new StringJoiner(",");
        actions.forEach(a -> s.add(ActionText.of(a)));
        return s.toString();
    }
}
