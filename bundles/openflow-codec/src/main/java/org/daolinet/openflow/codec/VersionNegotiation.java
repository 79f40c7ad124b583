package org.daolinet.openflow.codec;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U32;

/**
 * OpenFlow version negotiation by HELLO, the same for both ends of a connection: each side offers its versions
 * (the highest in the header, all of them in a version bitmap from 1.3 on), and the highest version both offer is
 * used. A peer without a bitmap offers only the lower of the two header versions.
 */
public final class VersionNegotiation {

    private VersionNegotiation() {
    }

    /** The HELLO offering {@code versions}. */
    public static OFHello hello(Set<OFVersion> versions) {
        OFFactory f = OFFactories.getFactory(highest(versions));
        if (f.getVersion() == OFVersion.OF_10) {
            return f.hello(List.of()); // 1.0 has no hello elements
        }
        return f.hello(List.<OFHelloElem>of(f.buildHelloElemVersionbitmap()
                .setBitmaps(List.of(U32.of(bitmap(versions)))).build()));
    }

    /** One bit per version, numbered by wire version, as in the HELLO version bitmap. */
    public static int bitmap(Set<OFVersion> versions) {
        int bitmap = 0;
        for (OFVersion v : versions) {
            bitmap |= 1 << v.getWireVersion();
        }
        return bitmap;
    }

    /** What the peer's HELLO offers, as a bitmap, seen by a side that speaks {@code ours}. */
    public static int offered(OFHello theirs, Set<OFVersion> ours) {
        if (theirs.getVersion() != OFVersion.OF_10) {
            for (OFHelloElem e : theirs.getElements()) {
                if (e instanceof OFHelloElemVersionbitmap b && !b.getBitmaps().isEmpty()) {
                    return (int) b.getBitmaps().get(0).getValue();
                }
            }
        }
        return 1 << Math.min(theirs.getVersion().getWireVersion(), highest(ours).getWireVersion());
    }

    /** The version to speak, or empty if the two sides have none in common. */
    public static Optional<OFVersion> negotiate(Set<OFVersion> ours, OFHello theirs) {
        int common = bitmap(ours) & offered(theirs, ours);
        if (common == 0) {
            return Optional.empty();
        }
        return Optional.of(OFVersion.values()[31 - Integer.numberOfLeadingZeros(common) - 1]);
    }

    public static OFVersion highest(Set<OFVersion> versions) {
        return versions.stream().max(Enum::compareTo).orElseThrow();
    }
}
