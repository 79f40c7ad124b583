package org.daolinet.pipeline;

import java.util.ArrayList;
import java.util.List;

import org.projectfloodlight.openflow.types.U64;

/**
 * The layout of the 64-bit cookie on every flow the pipeline installs, so that a flow says who made it:
 * <pre>
 *   63..56  0xDA        this controller's flows (the southbound's table-miss flow too, with epoch 0)
 *   55..48  epoch       the controller run (1..255) that installed it; flows of other runs are stale
 *   47..40  kind        reactive connection, proactive, or drop
 *   31..0   owners      one bit per network function that shaped the flow
 * </pre>
 * Deleting a function's flows is then one FlowMod with a cookie mask (OpenFlow 1.3), and a switch's stale flows
 * can be told apart from the current ones after a controller restart.
 */
final class Cookies {

    static final long MARKER = 0xDAL << 56;
    static final long MARKER_MASK = 0xFFL << 56;
    static final long EPOCH_MASK = 0xFFL << 48;
    static final long KIND_MASK = 0xFFL << 40;
    static final int MAX_FUNCTIONS = 32;

    enum Kind {
        REACTIVE(1), PROACTIVE(2), DROP(3);

        final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    private Cookies() {
    }

    static U64 cookie(int epoch, Kind kind, long ownerBits) {
        return U64.of(MARKER | ((long) (epoch & 0xff) << 48) | kindBits(kind) | (ownerBits & 0xffffffffL));
    }

    static long kindBits(Kind kind) {
        return (long) kind.code << 40;
    }

    static boolean isOurs(U64 cookie) {
        return (cookie.getValue() & MARKER_MASK) == MARKER;
    }

    static int epoch(U64 cookie) {
        return (int) ((cookie.getValue() >>> 48) & 0xff);
    }

    static long ownerBits(U64 cookie) {
        return cookie.getValue() & 0xffffffffL;
    }

    static String kind(U64 cookie) {
        int code = (int) ((cookie.getValue() >>> 40) & 0xff);
        for (Kind k : Kind.values()) {
            if (k.code == code) {
                return k.name().toLowerCase();
            }
        }
        return "infrastructure";
    }

    static List<Integer> bits(long ownerBits) {
        List<Integer> out = new ArrayList<>();
        for (int b = 0; b < MAX_FUNCTIONS; b++) {
            if ((ownerBits & (1L << b)) != 0) {
                out.add(b);
            }
        }
        return out;
    }

    /** The next epoch after {@code previous}: 1..255, skipping 0, which marks the southbound's own flows. */
    static int nextEpoch(int previous) {
        int next = (previous % 255) + 1;
        return next;
    }
}
