package org.daolinet.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The LLDP frames DaoliNet sends out of every switch port to find links: the chassis id names the switch
 * ({@code dpid:<16 hex digits>}, locally assigned), the port id its port number. Frames whose chassis id is not
 * of that form come from other LLDP speakers and are ignored.
 */
final class Lldp {

    static final int ETHERTYPE = 0x88cc;
    static final MacAddress NEAREST_BRIDGE = MacAddress.of("01:80:c2:00:00:0e");
    private static final String CHASSIS_PREFIX = "dpid:";
    private static final int LOCALLY_ASSIGNED = 7;

    record Origin(DatapathId dpid, OFPort port) {
    }

    private Lldp() {
    }

    static byte[] frame(DatapathId dpid, OFPort port, MacAddress source) {
        byte[] chassis = (CHASSIS_PREFIX + String.format("%016x", dpid.getLong())).getBytes(StandardCharsets.US_ASCII);
        byte[] portId = String.valueOf(port.getPortNumber()).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(Math.max(64, 14 + 2 + 1 + chassis.length + 2 + 1 + portId.length + 4 + 2));
        b.put(NEAREST_BRIDGE.getBytes()).put(source.getBytes()).putShort((short) ETHERTYPE);
        tlv(b, 1, chassis.length + 1).put((byte) LOCALLY_ASSIGNED).put(chassis);
        tlv(b, 2, portId.length + 1).put((byte) LOCALLY_ASSIGNED).put(portId);
        tlv(b, 3, 2).putShort((short) 120);
        tlv(b, 0, 0);
        return b.array();
    }

    private static ByteBuffer tlv(ByteBuffer b, int type, int length) {
        return b.putShort((short) (type << 9 | length));
    }

    static boolean isLldp(byte[] frame) {
        return frame.length >= 14 && ((frame[12] & 0xff) << 8 | (frame[13] & 0xff)) == ETHERTYPE;
    }

    /** The switch port a DaoliNet LLDP frame was sent from; empty for anything else, malformed input included. */
    static Optional<Origin> parse(byte[] frame) {
        if (!isLldp(frame)) {
            return Optional.empty();
        }
        String chassis = null;
        String port = null;
        int i = 14;
        while (i + 2 <= frame.length) {
            int header = (frame[i] & 0xff) << 8 | (frame[i + 1] & 0xff);
            int type = header >>> 9;
            int length = header & 0x1ff;
            i += 2;
            if (type == 0 || i + length > frame.length) {
                break;
            }
            if ((type == 1 || type == 2) && length > 1 && frame[i] == LOCALLY_ASSIGNED) {
                String value = new String(frame, i + 1, length - 1, StandardCharsets.US_ASCII);
                if (type == 1) {
                    chassis = value;
                } else {
                    port = value;
                }
            }
            i += length;
        }
        if (chassis == null || port == null || !chassis.startsWith(CHASSIS_PREFIX)
                || chassis.length() != CHASSIS_PREFIX.length() + 16) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Origin(DatapathId.of(Long.parseUnsignedLong(chassis.substring(5), 16)),
                    OFPort.of(Integer.parseInt(port))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
