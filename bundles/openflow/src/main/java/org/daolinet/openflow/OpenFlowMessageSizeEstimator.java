package org.daolinet.openflow;

import io.netty.buffer.ByteBuf;
import io.netty.channel.MessageSizeEstimator;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFPacketOut;

/**
 * Sizes Loxi messages waiting to be written, so that back-pressure counts them before they are encoded. Netty
 * counts objects it does not know as 8 bytes, which would let a fast sender queue without limit.
 */
final class OpenFlowMessageSizeEstimator implements MessageSizeEstimator {

    static final OpenFlowMessageSizeEstimator INSTANCE = new OpenFlowMessageSizeEstimator();

    private static final Handle HANDLE = msg -> {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        if (msg instanceof OFPacketOut out) {
            return 32 + out.getData().length;
        }
        if (msg instanceof OFFlowMod) {
            return 160;
        }
        return 64;
    };

    @Override
    public Handle newHandle() {
        return HANDLE;
    }
}
