package org.daolinet.openflow.codec;

import java.util.Locale;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty transport an OpenFlow endpoint runs on: native epoll where the platform has it (fewer copies and
 * syscalls per message), NIO everywhere else. The controller's southbound, the switch emulator and the benchmark's
 * servers all choose through here, so that a benchmark compares their work and not their transports.
 */
public enum NettyTransport {
    EPOLL, NIO;

    /** Epoll if {@code preferNative} and it can run here; NIO otherwise. */
    public static NettyTransport choose(boolean preferNative) {
        return preferNative && epollAvailable() ? EPOLL : NIO;
    }

    private static boolean epollAvailable() {
        try {
            return io.netty.channel.epoll.Epoll.isAvailable();
        } catch (LinkageError e) {
            return false; // the optional epoll package is not wired in this container, or not on the class path
        }
    }

    /** A group of {@code threads} event loops on daemon threads named after {@code threadName}. */
    public EventLoopGroup group(int threads, String threadName) {
        DefaultThreadFactory factory = new DefaultThreadFactory(threadName, true);
        return this == EPOLL ? new io.netty.channel.epoll.EpollEventLoopGroup(threads, factory)
                : new NioEventLoopGroup(threads, factory);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? io.netty.channel.epoll.EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? io.netty.channel.epoll.EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** "epoll" or "nio", as logs name it. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
