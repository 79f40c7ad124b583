package org.daolinet.openflow.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;

/**
 * Cuts the byte stream into OpenFlow messages and decodes each with Loxi. The header is checked before any
 * body is read, so a stream that is not OpenFlow fails fast instead of buffering up to the next 64 KiB.
 * Any failure raises a {@link CorruptedFrameException}; the connection handler then closes the connection.
 *
 * <p>Decoded messages go down the pipeline, unless a subclass takes them itself in {@link #received}: a connection
 * handler that is the pipeline's last stage saves every message a trip through the pipeline that way.
 */
public class OpenFlowFrameDecoder extends ByteToMessageDecoder {

    public static final int HEADER_LENGTH = 8;
    /** Wire versions Loxi can decode: 1.0 (0x01) to 1.5 (0x06). */
    private static final int MIN_WIRE_VERSION = 1;
    private static final int MAX_WIRE_VERSION = 6;

    private final OFMessageReader<OFMessage> reader = OFFactories.getGenericReader();
    private final InPortPacketInReader packetIns;

    /** @param matches the 1.3 IN_PORT matches, shared by all the connections of one controller */
    public OpenFlowFrameDecoder(InPortMatches matches) {
        packetIns = new InPortPacketInReader(matches);
    }

    /** A decoder sharing its 1.3 IN_PORT matches with no other. */
    public OpenFlowFrameDecoder() {
        this(new InPortMatches());
    }

    /** Passes the message down the pipeline; a subclass that handles messages itself overrides this. */
    protected void received(ChannelHandlerContext ctx, OFMessage message, List<Object> out) {
        out.add(message);
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= HEADER_LENGTH) {
            int start = in.readerIndex();
            int version = in.getUnsignedByte(start);
            int length = in.getUnsignedShort(start + 2);
            if (version < MIN_WIRE_VERSION || version > MAX_WIRE_VERSION) {
                throw new CorruptedFrameException(String.format("unknown OpenFlow version 0x%02x", version));
            }
            if (length < HEADER_LENGTH) {
                throw new CorruptedFrameException("message length " + length + " is shorter than its header");
            }
            if (in.readableBytes() < length) {
                return;
            }
            ByteBuf frame = in.slice(start, length);
            OFMessage message;
            try {
                message = packetIns.read(frame);
                if (message == null) {
                    message = reader.readFrom(frame);
                }
            } catch (OFParseError | RuntimeException e) {
                throw new CorruptedFrameException(String.format("cannot decode OpenFlow message (version 0x%02x, "
                        + "type %d, length %d): %s", version, in.getUnsignedByte(start + 1), length, e), e);
            }
            if (message == null || frame.readerIndex() != length) {
                throw new CorruptedFrameException(String.format("OpenFlow message of type %d claims length %d but "
                        + "its body decodes to %d bytes", in.getUnsignedByte(start + 1), length,
                        frame.readerIndex()));
            }
            in.readerIndex(start + length);
            received(ctx, message, out);
        }
    }
}
