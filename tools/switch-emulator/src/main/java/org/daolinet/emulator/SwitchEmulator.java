package org.daolinet.emulator;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import org.daolinet.openflow.codec.NettyTransport;
import org.daolinet.openflow.codec.OpenFlowFrameDecoder;
import org.daolinet.openflow.codec.OpenFlowMessageEncoder;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * Emulates many OpenFlow switches, each with its own TCP connection to the controller. Connections are opened
 * at a bounded pace so that a burst of hundreds does not overrun the controller's accept backlog.
 */
public final class SwitchEmulator implements AutoCloseable {

    private final EventLoopGroup group;
    private final NettyTransport transport = NettyTransport.choose(true);
    private final OpenFlowMessageEncoder encoder = new OpenFlowMessageEncoder();
    private final List<EmulatedSwitch> switches = new CopyOnWriteArrayList<>();
    private final SslContext ssl;
    private volatile Function<EmulatedSwitch, ChannelHandler> frontHandler;

    public SwitchEmulator() {
        this(Math.max(1, Runtime.getRuntime().availableProcessors()), null);
    }

    /** @param ssl a client TLS context, or null for plain TCP */
    public SwitchEmulator(int ioThreads, SslContext ssl) {
        // epoll where the user puts the native library on the path (the bench does, so that the tool's own I/O
        // costs as little as the controllers' it measures)
        this.group = transport.group(ioThreads, "switch-emulator");
        this.ssl = ssl;
    }

    /**
     * Puts a handler of the caller's in front of each new switch's OpenFlow decoder: it sees the raw bytes first
     * and passes on what the switch itself must handle. Benchmarks use it to count replies without decoding them.
     */
    public void setFrontHandler(Function<EmulatedSwitch, ChannelHandler> factory) {
        this.frontHandler = factory;
    }

    /** Opens one switch's connection; its {@link EmulatedSwitch#ready()} completes after the handshake. */
    public EmulatedSwitch connect(InetSocketAddress controller, SwitchProfile profile) {
        EmulatedSwitch sw = new EmulatedSwitch(profile);
        switches.add(sw);
        new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), controller.getHostString(),
                                    controller.getPort()));
                        }
                        Function<EmulatedSwitch, ChannelHandler> front = frontHandler;
                        if (front != null) {
                            ch.pipeline().addLast("front", front.apply(sw));
                        }
                        ch.pipeline().addLast(new OpenFlowFrameDecoder(), encoder, sw);
                    }
                })
                .connect(controller)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        sw.ready().completeExceptionally(f.cause());
                        sw.closed().complete(null);
                    }
                });
        return sw;
    }

    /**
     * Connects {@code count} switches with datapath ids {@code firstDpid, firstDpid+1, ...}.
     *
     * @param perSecond how many connections to open per second at most (0: all at once)
     */
    public List<EmulatedSwitch> connectMany(InetSocketAddress controller, int count, long firstDpid,
            Set<OFVersion> versions, int portsPerSwitch, int perSecond) throws InterruptedException {
        List<EmulatedSwitch> out = new ArrayList<>(count);
        long pauseNanos = perSecond > 0 ? TimeUnit.SECONDS.toNanos(1) / perSecond : 0;
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (pauseNanos > 0) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += pauseNanos;
            }
            out.add(connect(controller, new SwitchProfile(DatapathId.of(firstDpid + i), versions, portsPerSwitch)));
        }
        return out;
    }

    public List<EmulatedSwitch> switches() {
        return List.copyOf(switches);
    }

    @Override
    public void close() {
        for (EmulatedSwitch sw : switches) {
            sw.disconnect();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
