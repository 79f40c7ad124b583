package org.daolinet.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.daolinet.openflow.codec.VersionNegotiation;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFCapabilities;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFNiciraControllerRoleRequest;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortFeatures;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFRoleRequest;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * One emulated switch: it answers the controller's handshake, keepalive and role requests as Open vSwitch
 * would, sends PacketIns on demand, and counts what the controller sends back. Thread-safe.
 */
public final class EmulatedSwitch extends ChannelInboundHandlerAdapter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EmulatedSwitch.class);

    private final SwitchProfile profile;
    private final long startNanos;
    private final CompletableFuture<Duration> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Map<OFType, AtomicLong> received = new EnumMap<>(OFType.class);
    private final List<Consumer<OFMessage>> observers = new CopyOnWriteArrayList<>();
    private volatile Channel channel;
    private volatile OFFactory factory;
    private volatile boolean answerEcho = true;
    private volatile OFControllerRole role = OFControllerRole.ROLE_EQUAL;

    EmulatedSwitch(SwitchProfile profile) {
        this.profile = profile;
        this.startNanos = System.nanoTime();
        for (OFType t : OFType.values()) {
            received.put(t, new AtomicLong());
        }
    }

    public DatapathId dpid() {
        return profile.dpid();
    }

    public SwitchProfile profile() {
        return profile;
    }

    /** Completes with the time from the start of the TCP connect to the controller's first barrier. */
    public CompletableFuture<Duration> ready() {
        return ready;
    }

    public CompletableFuture<Void> closed() {
        return closed;
    }

    public boolean isConnected() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    /** The version negotiated with the controller, or null before its HELLO. */
    public OFVersion version() {
        OFFactory f = factory;
        return f == null ? null : f.getVersion();
    }

    public OFFactory factory() {
        return factory;
    }

    public OFControllerRole role() {
        return role;
    }

    public long received(OFType type) {
        return received.get(type).get();
    }

    /** Sees every message the controller sends, on the I/O thread. */
    public void observe(Consumer<OFMessage> observer) {
        observers.add(observer);
    }

    /**
     * Stops reading from the controller, like a switch whose CPU is saturated. Done on the switch's event loop and
     * waited for: from another thread, the change would take effect only after reads already under way.
     */
    public void pauseReading() {
        channel.eventLoop().submit(() -> channel.config().setAutoRead(false)).syncUninterruptibly();
    }

    public void resumeReading() {
        channel.config().setAutoRead(true);
    }

    /** Stops answering ECHO requests, to look like a hung switch. */
    public void muteEcho() {
        answerEcho = false;
    }

    public void send(OFMessage message) {
        channel.writeAndFlush(message);
    }

    /** Sends bytes as they are, for malformed-input tests. */
    public void sendRaw(byte[] bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    /** Sends a table-miss PacketIn carrying {@code frame}, as received on {@code inPort}. */
    public void sendPacketIn(int inPort, byte[] frame) {
        send(packetIn(inPort, frame));
    }

    public OFMessage packetIn(int inPort, byte[] frame) {
        OFFactory f = factory;
        var builder = f.buildPacketIn()
                .setXid(0)
                .setBufferId(OFBufferId.NO_BUFFER)
                .setTotalLen(frame.length)
                .setReason(OFPacketInReason.NO_MATCH)
                .setData(frame);
        if (f.getVersion() == OFVersion.OF_10) {
            builder.setInPort(OFPort.of(inPort));
        } else {
            builder.setTableId(org.projectfloodlight.openflow.types.TableId.ZERO)
                    .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(inPort)).build());
        }
        return builder.build();
    }

    /** Reports a port change to the controller, as a switch does when a port is added or removed. */
    public void sendPortStatus(OFPortReason reason, OFPortDesc desc) {
        send(factory.buildPortStatus().setReason(reason).setDesc(desc).build());
    }

    public void disconnect() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    public List<OFPortDesc> ports() {
        return portDescs(factory != null ? factory : OFFactories.getFactory(profile.highestVersion()));
    }

    public OFPortDesc portDesc(OFFactory f, int number, String name) {
        var b = f.buildPortDesc()
                .setPortNo(OFPort.of(number))
                .setHwAddr(MacAddress.of((profile.dpid().getLong() << 16 | number) & 0xfeff_ffff_ffffL | 0x0200_0000_0000L))
                .setName(name)
                .setConfig(java.util.Set.<OFPortConfig>of())
                .setState(f.getVersion() == OFVersion.OF_10 ? java.util.Set.<OFPortState>of() : java.util.Set.of(OFPortState.LIVE))
                .setCurr(java.util.Set.of(OFPortFeatures.PF_10GB_FD, OFPortFeatures.PF_COPPER))
                .setAdvertised(java.util.Set.<OFPortFeatures>of())
                .setSupported(java.util.Set.<OFPortFeatures>of())
                .setPeer(java.util.Set.<OFPortFeatures>of());
        if (f.getVersion() != OFVersion.OF_10) {
            b.setCurrSpeed(10_000_000).setMaxSpeed(10_000_000);
        }
        return b.build();
    }

    private List<OFPortDesc> portDescs(OFFactory f) {
        List<OFPortDesc> out = new ArrayList<>();
        for (int i = 1; i <= profile.portCount(); i++) {
            out.add(portDesc(f, i, String.format("s%x-eth%d", profile.dpid().getLong(), i)));
        }
        return out;
    }

    // ---- Netty ------------------------------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.writeAndFlush(VersionNegotiation.hello(profile.versions()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ready.completeExceptionally(new IllegalStateException("connection closed before the handshake ended"));
        closed.complete(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("emulated switch {}: closing after {}", profile.dpid(), cause.toString(), cause);
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        OFMessage m = (OFMessage) msg;
        received.get(m.getType()).incrementAndGet();
        for (Consumer<OFMessage> o : observers) {
            o.accept(m);
        }
        if (m instanceof OFHello hello) {
            // with nothing in common, answer in our own version and let the controller refuse us, as a switch would
            factory = OFFactories.getFactory(VersionNegotiation.negotiate(profile.versions(), hello)
                    .orElse(profile.highestVersion()));
            return;
        }
        OFFactory f = factory;
        if (f == null) {
            ctx.close();
            return;
        }
        switch (m.getType()) {
            case ECHO_REQUEST -> {
                if (answerEcho) {
                    ctx.write(f.buildEchoReply().setXid(m.getXid()).setData(((OFEchoRequest) m).getData()).build());
                }
            }
            case FEATURES_REQUEST -> {
                var b = f.buildFeaturesReply()
                        .setXid(m.getXid())
                        .setDatapathId(profile.dpid())
                        .setNBuffers(0)
                        .setNTables((short) 254)
                        .setCapabilities(java.util.Set.of(OFCapabilities.FLOW_STATS, OFCapabilities.PORT_STATS));
                if (f.getVersion() == OFVersion.OF_10) {
                    b.setPorts(portDescs(f)).setActions(java.util.Set.of(org.projectfloodlight.openflow.protocol.OFActionType.OUTPUT));
                }
                ctx.write(b.build());
            }
            case STATS_REQUEST -> ctx.write(statsReply(f, (OFStatsRequest<?>) m));
            case BARRIER_REQUEST -> {
                ctx.write(f.buildBarrierReply().setXid(((OFBarrierRequest) m).getXid()).build());
                ready.complete(Duration.ofNanos(System.nanoTime() - startNanos));
            }
            case ROLE_REQUEST -> {
                OFRoleRequest r = (OFRoleRequest) m;
                if (r.getRole() != OFControllerRole.ROLE_NOCHANGE) {
                    role = r.getRole();
                }
                ctx.write(f.buildRoleReply().setXid(r.getXid()).setRole(role)
                        .setGenerationId(r.getGenerationId()).build());
            }
            case EXPERIMENTER -> {
                if (m instanceof OFNiciraControllerRoleRequest r) {
                    role = switch (r.getRole()) {
                        case ROLE_MASTER -> OFControllerRole.ROLE_MASTER;
                        case ROLE_SLAVE -> OFControllerRole.ROLE_SLAVE;
                        default -> OFControllerRole.ROLE_EQUAL;
                    };
                    ctx.write(f.buildNiciraControllerRoleReply().setXid(r.getXid()).setRole(r.getRole()).build());
                }
            }
            case GET_CONFIG_REQUEST -> ctx.write(f.buildGetConfigReply().setXid(m.getXid())
                    .setMissSendLen(0xffff).build());
            default -> { } // FLOW_MOD, PACKET_OUT, SET_CONFIG ...: counted above
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    private OFMessage statsReply(OFFactory f, OFStatsRequest<?> request) {
        return switch (request.getStatsType()) {
            case PORT_DESC -> f.buildPortDescStatsReply().setXid(request.getXid()).setEntries(portDescs(f)).build();
            case FLOW -> f.buildFlowStatsReply().setXid(request.getXid()).setEntries(List.of()).build();
            default -> f.errorMsgs().buildBadRequestErrorMsg().setXid(request.getXid())
                    .setCode(org.projectfloodlight.openflow.protocol.OFBadRequestCode.BAD_STAT).build();
        };
    }

    /** For tests that hand-craft malformed frames around a valid message. */
    public static byte[] encode(OFMessage m) {
        ByteBuf buf = Unpooled.buffer();
        try {
            m.writeTo(buf);
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }
}
