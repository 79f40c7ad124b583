package org.daolinet.openflow.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.ver13.OFPacketInReasonSerializerVer13;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * Reads the OpenFlow 1.3 PacketIn a switch sends on a table miss, whose match holds nothing but IN_PORT (what
 * Open vSwitch sends), into the very object Loxi's reader makes, minus Loxi's generic match reading: that builds an
 * OXM, a list and an EnumMap index for every PacketIn (~600 of the 800 bytes a 1.3 PacketIn cost). Here the match
 * is built once per port and shared by all connections ({@link InPortMatches}), which is safe because Loxi's
 * matches are immutable. Any other shape (another match, too short to hold one) is Loxi's: {@link #read} returns
 * null and leaves the buffer as it was.
 *
 * <p>What Loxi checks, this checks too: an unknown reason fails the same way (the caller closes the connection);
 * padding is skipped unread, as Loxi does. One per decoder, so confined to its connection's event loop.
 */
final class InPortPacketInReader {

    private static final int WIRE_VERSION = 4;
    private static final int TYPE = 10;
    private static final int MATCH = 24;
    private static final int OXM_MATCH_TYPE = 1;
    /** The match's type and length, then one OXM: class OpenFlow basic, field IN_PORT, no mask, 4 bytes. */
    private static final int IN_PORT_ONLY_LENGTH = 12;
    private static final int OXM_IN_PORT = 0x8000_0004;
    /** The match padded to 8 bytes, then the 2 pad bytes before the frame. */
    private static final int DATA = MATCH + 16 + 2;

    private final OFFactory factory = OFFactories.getFactory(OFVersion.OF_13);
    private final InPortMatches matches;

    InPortPacketInReader(InPortMatches matches) {
        this.matches = matches;
    }

    /** With matches of its own, shared with no other reader. */
    InPortPacketInReader() {
        this(new InPortMatches());
    }

    /**
     * @param frame exactly one OpenFlow message, from its reader index to its writer index
     * @return the PacketIn with the frame read, or null (nothing read) when it is not a 1.3 PacketIn whose match is
     *         IN_PORT alone
     */
    OFPacketIn read(ByteBuf frame) {
        int start = frame.readerIndex();
        int length = frame.readableBytes();
        if (length < DATA || frame.getUnsignedByte(start) != WIRE_VERSION || frame.getUnsignedByte(start + 1) != TYPE
                || frame.getUnsignedShort(start + MATCH) != OXM_MATCH_TYPE
                || frame.getUnsignedShort(start + MATCH + 2) != IN_PORT_ONLY_LENGTH
                || frame.getInt(start + MATCH + 4) != OXM_IN_PORT) {
            return null;
        }
        OFPacketIn packetIn = factory.buildPacketIn()
                .setXid(frame.getUnsignedInt(start + 4))
                .setBufferId(OFBufferId.of(frame.getInt(start + 8)))
                .setTotalLen(frame.getUnsignedShort(start + 12))
                .setReason(OFPacketInReasonSerializerVer13.ofWireValue(frame.getByte(start + 14)))
                .setTableId(TableId.of(frame.getUnsignedByte(start + 15)))
                .setCookie(U64.ofRaw(frame.getLong(start + 16)))
                .setMatch(matches.of(frame.getInt(start + MATCH + 8)))
                .setData(ByteBufUtil.getBytes(frame, start + DATA, length - DATA))
                .build();
        frame.readerIndex(start + length);
        return packetIn;
    }
}
