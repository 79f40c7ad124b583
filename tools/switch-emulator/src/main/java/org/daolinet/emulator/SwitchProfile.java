package org.daolinet.emulator;

import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * What an emulated switch claims to be.
 *
 * @param dpid its datapath id
 * @param versions the OpenFlow versions it offers in its HELLO (the highest is put in the header)
 * @param portCount how many ports (numbered 1..portCount, named {@code dpid-suffix-ethN}) it reports
 */
public record SwitchProfile(DatapathId dpid, Set<OFVersion> versions, int portCount) {

    public SwitchProfile {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("an emulated switch needs at least one OpenFlow version");
        }
        if (portCount < 0 || portCount > 0xff00) {
            throw new IllegalArgumentException("portCount " + portCount + " outside 0..65280");
        }
    }

    public static SwitchProfile of(long dpid, OFVersion version, int portCount) {
        return new SwitchProfile(DatapathId.of(dpid), Set.of(version), portCount);
    }

    public OFVersion highestVersion() {
        return org.daolinet.openflow.codec.VersionNegotiation.highest(versions);
    }
}
