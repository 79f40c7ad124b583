package org.daolinet.openflow;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.daolinet.openflow.codec.InPortMatches;
import org.daolinet.openflow.codec.NettyTransport;
import org.daolinet.openflow.codec.OpenFlowMessageEncoder;
import org.daolinet.api.openflow.FlowRemovedListener;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.openflow.PacketInListener;
import org.daolinet.api.openflow.SwitchErrorListener;
import org.daolinet.api.openflow.SwitchListener;
import org.daolinet.api.openflow.SwitchService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenFlow server: accepts switch connections and exports them as {@link SwitchService}. Its settings come
 * from {@code etc/org.daolinet.openflow.cfg}; a change rebinds the server in place, and a bad change is refused
 * with a log line while the running server keeps its old settings.
 */
@Component(service = SwitchService.class, immediate = true, configurationPid = ServerSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class OpenFlowServer implements SwitchService {

    private static final Logger log = LoggerFactory.getLogger(OpenFlowServer.class);

    private final SwitchRegistry registry = new SwitchRegistry();
    private final OpenFlowMessageEncoder encoder = new OpenFlowMessageEncoder();

    private ServerSettings settings;
    private EventLoopGroup acceptGroup;
    private EventLoopGroup ioGroup;
    private ChannelGroup connections;
    private volatile Channel serverChannel;

    @Activate
    public void activate(Map<String, Object> properties) {
        settings = ServerSettings.parse(properties);
        start();
    }

    @Modified
    public void modified(Map<String, Object> properties) {
        ServerSettings next;
        try {
            next = ServerSettings.parse(properties);
        } catch (IllegalArgumentException e) {
            log.error("Ignoring the new OpenFlow server configuration, keeping the running one: {}", e.getMessage());
            return;
        }
        if (next.equals(settings)) {
            return;
        }
        log.info("OpenFlow server configuration changed; restarting the listener");
        stop();
        settings = next;
        start();
    }

    @Deactivate
    public void deactivate() {
        stop();
    }

    private synchronized void start() {
        registry.setDuplicateProbeMillis(settings.duplicateProbeTimeout().toMillis());
        NettyTransport transport = NettyTransport.choose(settings.nativeTransport());
        acceptGroup = transport.group(1, "daolinet-of-accept");
        ioGroup = transport.group(settings.ioThreadCount(), "daolinet-of-io");
        Map<EventExecutor, TurnFlusher> flushers = new IdentityHashMap<>();
        ioGroup.forEach(loop -> flushers.put(loop, new TurnFlusher((EventLoop) loop)));
        InPortMatches matches = new InPortMatches();
        connections = new DefaultChannelGroup("openflow-switches", GlobalEventExecutor.INSTANCE);
        SslContext ssl = settings.tls().enabled() ? sslContext(settings.tls()) : null;
        ServerSettings s = settings;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 << 10, 256 << 10))
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, OpenFlowMessageSizeEstimator.INSTANCE)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        // the connection decodes its own messages and keeps itself alive: no stage of its own for
                        // either, on a path that every message takes
                        p.addLast("switch",
                                new SwitchConnection(ch, s, registry, flushers.get(ch.eventLoop()), matches));
                        // after the connection, toward the tail: messages written to the channel pass through it,
                        // while the connection's own output, encoded already, starts below it and skips it
                        p.addLast("encoder", encoder);
                    }
                });
        InetSocketAddress bindTo = new InetSocketAddress(settings.address(), settings.port());
        try {
            serverChannel = bootstrap.bind(bindTo).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownGroups();
            throw new IllegalStateException("cannot listen for OpenFlow on " + bindTo + ": " + e.getMessage(), e);
        }
        log.info("OpenFlow server listening on {} ({} transport, OpenFlow {}, TLS {})",
                serverChannel.localAddress(), transport, settings.versions(),
                settings.tls().enabled() ? "on" : "off");
    }

    private synchronized void stop() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        if (connections != null) {
            connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        shutdownGroups();
        log.info("OpenFlow server stopped");
    }

    private void shutdownGroups() {
        // Wait for the threads: a bundle stopped under a still-running event loop breaks its class wiring.
        if (acceptGroup != null) {
            acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            acceptGroup = null;
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            ioGroup = null;
        }
    }

    private static SslContext sslContext(ServerSettings.TlsSettings tls) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(loadKeyStore(tls.keyStore(), tls.keyStorePassword()), tls.keyStorePassword().toCharArray());
            SslContextBuilder builder = SslContextBuilder.forServer(kmf);
            if (!tls.trustStore().isEmpty()) {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(loadKeyStore(tls.trustStore(), tls.trustStorePassword()));
                builder.trustManager(tmf);
            }
            builder.clientAuth(tls.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.NONE);
            return builder.build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore loadKeyStore(String path, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    // ---- SwitchService ---------------------------------------------------------------------------------

    @Override
    public Collection<OpenFlowSwitch> switches() {
        return registry.switches();
    }

    @Override
    public Optional<OpenFlowSwitch> getSwitch(DatapathId id) {
        return registry.get(id);
    }

    @Override
    public Optional<InetSocketAddress> listenAddress() {
        Channel ch = serverChannel;
        return ch == null ? Optional.empty() : Optional.of((InetSocketAddress) ch.localAddress());
    }

    /** Open connections, the ones still in their handshake included; for tests and diagnostics. */
    int connectionCount() {
        ChannelGroup group = connections;
        return group == null ? 0 : group.size();
    }

    // ---- listeners: bound by the ListenerWhiteboard component in Karaf, called directly by tests ----------

    public void addSwitchListener(SwitchListener l) {
        registry.addListener(l);
    }

    public void removeSwitchListener(SwitchListener l) {
        registry.removeListener(l);
    }

    public void addPacketInListener(PacketInListener l) {
        registry.addListener(l);
    }

    public void removePacketInListener(PacketInListener l) {
        registry.removeListener(l);
    }

    public void addFlowRemovedListener(FlowRemovedListener l) {
        registry.addListener(l);
    }

    public void removeFlowRemovedListener(FlowRemovedListener l) {
        registry.removeListener(l);
    }

    public void addErrorListener(SwitchErrorListener l) {
        registry.addListener(l);
    }

    public void removeErrorListener(SwitchErrorListener l) {
        registry.removeListener(l);
    }
}
