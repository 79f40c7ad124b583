package org.daolinet.openflow.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.projectfloodlight.openflow.protocol.OFMessage;

/** Writes Loxi messages; Loxi fills in each message's length field itself. */
@Sharable
public final class OpenFlowMessageEncoder extends MessageToByteEncoder<OFMessage> {

    public OpenFlowMessageEncoder() {
        super(OFMessage.class, true);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, OFMessage msg, ByteBuf out) {
        msg.writeTo(out);
    }
}
