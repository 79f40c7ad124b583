package org.daolinet.bench;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.daolinet.openflow.codec.NettyTransport;
import org.daolinet.openflow.codec.VersionNegotiation;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The ceiling the I/O path allows: an OpenFlow "controller" that does the handshake the switch emulator expects
 * (HELLO, FEATURES_REQUEST, a barrier, echo replies) and answers every PacketIn with the same canned FlowMod and
 * PacketOut, without decoding anything but the HELLO. Same Netty, same transport and thread count as DaoliNet's
 * southbound, so the gap between the two is what DaoliNet's own work costs.
 *
 * <pre>java -cp daolinet-bench.jar org.daolinet.bench.TrivialResponder [PORT]</pre>
 */
public final class TrivialResponder implements AutoCloseable {

    private static final int OFPT_HELLO = 0;
    private static final int OFPT_ECHO_REQUEST = 2;
    private static final int OFPT_ECHO_REPLY = 3;
    private static final int OFPT_PACKET_IN = 10;

    private final EventLoopGroup group;
    private final Channel server;

    public TrivialResponder(int port) {
        this(port, 0);
    }

    /** @param ioThreads event loops, 0 for one per core (the southbound's default) */
    public TrivialResponder(int port, int ioThreads) {
        NettyTransport transport = NettyTransport.choose(true);
        int n = ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
        group = transport.group(n, "trivial-responder");
        server = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Connection());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).syncUninterruptibly().channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One switch: raw frames in, canned replies out. */
    private static final class Connection extends ByteToMessageDecoder {
        private ByteBuf reply;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(encode(VersionNegotiation.hello(
                    Set.of(OFVersion.OF_10, OFVersion.OF_13)))));
            super.channelActive(ctx);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (in.readableBytes() >= 8) {
                int start = in.readerIndex();
                int length = in.getUnsignedShort(start + 2);
                if (length < 8) {
                    ctx.close();
                    in.skipBytes(in.readableBytes());
                    return;
                }
                if (in.readableBytes() < length) {
                    return;
                }
                int type = in.getUnsignedByte(start + 1);
                if (type == OFPT_PACKET_IN && reply != null) {
                    ctx.write(reply.retainedDuplicate(), ctx.voidPromise());
                } else if (type == OFPT_ECHO_REQUEST) {
                    ByteBuf echo = in.copy(start, length);
                    echo.setByte(1, OFPT_ECHO_REPLY);
                    ctx.write(echo, ctx.voidPromise());
                } else if (type == OFPT_HELLO && reply == null) {
                    OFMessage hello = readOne(in.slice(start, length));
                    OFVersion v = VersionNegotiation.negotiate(Set.of(OFVersion.OF_10, OFVersion.OF_13),
                            (OFHello) hello).orElse(OFVersion.OF_13);
                    OFFactory f = OFFactories.getFactory(v);
                    reply = Unpooled.unreleasableBuffer(cannedReply(f));
                    ctx.write(Unpooled.wrappedBuffer(encode(f.buildFeaturesRequest().setXid(1).build())));
                    ctx.write(Unpooled.wrappedBuffer(encode(f.buildBarrierRequest().setXid(2).build())));
                }
                in.skipBytes(length);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            super.channelReadComplete(ctx);
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static OFMessage readOne(ByteBuf frame) {
        try {
            return OFFactories.getGenericReader().readFrom(frame);
        } catch (Exception e) {
            throw new IllegalStateException("bad HELLO", e);
        }
    }

    /** A FlowMod (exact match on two MACs, output to port 2) and a PacketOut of the packet, back to back. */
    static ByteBuf cannedReply(OFFactory f) {
        var match = f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1))
                .setExact(MatchField.ETH_SRC, MacAddress.of(0x0200_0000_0001L))
                .setExact(MatchField.ETH_DST, MacAddress.of(0x0200_0000_0002L)).build();
        List<org.projectfloodlight.openflow.protocol.action.OFAction> actions =
                List.of(f.actions().output(OFPort.of(2), 0xffff));
        var flow = f.buildFlowAdd().setPriority(1000).setIdleTimeout(10).setMatch(match).setActions(actions).build();
        var out = f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.of(1)).setActions(actions)
                .setData(Frames.udp(0x0200_0000_0001L, 0x0200_0000_0002L, 0)).build();
        ByteBuf buf = Unpooled.buffer();
        flow.writeTo(buf);
        out.writeTo(buf);
        return buf;
    }

    private static byte[] encode(OFMessage m) {
        ByteBuf buf = Unpooled.buffer();
        m.writeTo(buf);
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        return b;
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 6653;
        int ioThreads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        try (TrivialResponder r = new TrivialResponder(port, ioThreads)) {
            System.out.println("READY trivial responder on 127.0.0.1:" + r.port() + " pid " + ProcessHandle.current().pid());
            Thread.currentThread().join();
        }
    }
}
