package org.daolinet.openflow;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.google.common.collect.ImmutableMap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.handler.codec.DecoderException;
import org.daolinet.api.openflow.OpenFlowErrorException;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.openflow.SwitchDisconnectedException;
import org.daolinet.openflow.codec.InPortMatches;
import org.daolinet.openflow.codec.OpenFlowFrameDecoder;
import org.daolinet.openflow.codec.VersionNegotiation;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFNiciraControllerRole;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One switch's connection: the handshake, keepalive, request/reply matching, and the {@link OpenFlowSwitch}
 * handle that the rest of the controller uses. Every inbound event runs on the channel's event loop.
 */
final class SwitchConnection extends OpenFlowFrameDecoder implements OpenFlowSwitch, TurnFlusher.Due {

    private static final Logger log = LoggerFactory.getLogger(SwitchConnection.class);

    enum State { WAIT_HELLO, HANDSHAKE, REGISTERING, READY, CLOSED }

    /** Types a switch sends on its own; never treated as replies even if their xid matches a request. */
    private static final Set<OFType> ASYNC_TYPES = EnumSet.of(OFType.HELLO, OFType.ECHO_REQUEST, OFType.PACKET_IN,
            OFType.PORT_STATUS, OFType.FLOW_REMOVED, OFType.ROLE_STATUS, OFType.TABLE_STATUS);

    private final Channel channel;
    private final ServerSettings settings;
    private final SwitchRegistry registry;
    private final Instant connectedSince = Instant.now();
    private final AtomicLong nextXid = new AtomicLong(0x10000);
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    private volatile State state = State.WAIT_HELLO;
    private volatile OFVersion version;
    private volatile OFFactory factory;
    private volatile DatapathId id;
    private volatile short tableCount;
    private volatile OFControllerRole role = OFControllerRole.ROLE_EQUAL;
    /** Replaced whole on every change, so readers never see a half-updated map and never need a copy. */
    private volatile ImmutableMap<OFPort, OFPortDesc> ports = ImmutableMap.of();
    /** The same ports by name, replaced together with {@link #ports}: uplinks are found by name on every PacketIn. */
    private volatile ImmutableMap<String, OFPortDesc> portsByName = ImmutableMap.of();
    private volatile String closeReason;
    private long lastReadNanos = System.nanoTime();
    /** When the last keepalive ECHO_REQUEST went out; event-loop confined. */
    private long lastEchoNanos = lastReadNanos;
    private ScheduledFuture<?> handshakeTimer;
    /**
     * Fails requests left without a reply and keeps the connection alive (echo when silent, close when silent too
     * long): one periodic task per connection instead of a timer per request and an idle handler per read.
     */
    private ScheduledFuture<?> housekeeping;
    private long droppedMessages;
    /**
     * What this connection's own event loop sends in one turn (the answers to a burst of PacketIns, the far flows
     * of other connections' decisions), encoded back to back and written as one buffer when the turn ends: one
     * allocation, one outbound entry and one write per turn instead of one per decision. Non-null exactly while
     * {@link #flusher} holds this connection for the end of the turn. Event-loop confined.
     */
    private ByteBuf turnOutput;
    /**
     * How big the next turn's output buffer starts: the power of two above what the last turn sent (at least 1 KB).
     * Under load a turn answers dozens of PacketIns per connection (the bench's 64 outstanding: ~10 KB of
     * FlowMods and PacketOuts), and a buffer that started at a fixed 4 KB was grown, and copied, once or twice in
     * every turn. Event-loop confined.
     */
    private int turnOutputBytes = MIN_TURN_OUTPUT_BYTES;
    /** The turns' output buffer, kept from turn to turn: in latency mode each turn sends one small answer. */
    private final KeptBuffer output = new KeptBuffer();
    /** Where this connection's encoded output enters the pipeline: below the message encoder (see OpenFlowServer). */
    private ChannelHandlerContext context;
    /** The buffer the channel reads into, kept from read to read. */
    private final ConnectionReadBuffer readBuffer = new ConnectionReadBuffer();
    private final TurnFlusher flusher;

    SwitchConnection(Channel channel, ServerSettings settings, SwitchRegistry registry, TurnFlusher flusher,
            InPortMatches matches) {
        super(matches);
        this.channel = channel;
        this.settings = settings;
        this.registry = registry;
        this.flusher = flusher;
    }

    // ---- inbound ---------------------------------------------------------------------------------------

    /** The connection's channel: for tests of how it is set up. */
    Channel channel() {
        return channel;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        // before the first read, which makes the channel's read handle from it; reads per turn as the channel's own
        if (channel.config().getRecvByteBufAllocator() instanceof MaxMessagesRecvByteBufAllocator own) {
            readBuffer.maxMessagesPerRead(own.maxMessagesPerRead());
        }
        channel.config().setRecvByteBufAllocator(readBuffer);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel.writeAndFlush(VersionNegotiation.hello(settings.versions()), channel.voidPromise());
        handshakeTimer = channel.eventLoop().schedule(() -> {
            if (state != State.READY && state != State.CLOSED) {
                close("handshake not complete after " + settings.handshakeTimeout().toSeconds() + " s (state "
                        + state + ")");
            }
        }, settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        long sweepMillis = Math.max(10, Math.min(1000,
                Math.min(settings.requestTimeout().toMillis(), settings.echoInterval().toMillis()) / 4));
        housekeeping = channel.eventLoop().scheduleAtFixedRate(this::housekeeping, sweepMillis, sweepMillis,
                TimeUnit.MILLISECONDS);
    }

    /** Each message of a read, straight from the decoder: this handler ends the pipeline. */
    @Override
    protected void received(ChannelHandlerContext ctx, OFMessage m, List<Object> out) {
        if (state == State.CLOSED) {
            return; // the rest of a read that closed the connection
        }
        try {
            handle(m);
        } catch (RuntimeException e) {
            log.warn("{}: unexpected failure on {}, closing", describe(), m.getType(), e);
            close("unexpected failure: " + e);
        }
    }

    private void handle(OFMessage m) {
        if (state == State.WAIT_HELLO) {
            if (m instanceof OFHello hello) {
                negotiate(hello);
            } else {
                close("first message is " + m.getType() + ", not HELLO");
            }
            return;
        }
        if (m.getVersion() != version) {
            close("message " + m.getType() + " has version " + m.getVersion() + ", negotiated " + version);
            return;
        }
        switch (m.getType()) {
            case ECHO_REQUEST -> write(List.of(factory.buildEchoReply().setXid(m.getXid())
                    .setData(((OFEchoRequest) m).getData()).build()), null);
            case PACKET_IN -> {
                if (state == State.READY) {
                    registry.packetIn(this, (OFPacketIn) m);
                }
            }
            case PORT_STATUS -> portStatus((OFPortStatus) m);
            case FLOW_REMOVED -> {
                if (state == State.READY) {
                    registry.flowRemoved(this, (OFFlowRemoved) m);
                }
            }
            default -> {
                if (ASYNC_TYPES.contains(m.getType()) || !completeRequest(m)) {
                    unsolicited(m);
                }
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        lastReadNanos = System.nanoTime(); // once per read burst, not per message
        super.channelReadComplete(ctx);
    }

    private void housekeeping() {
        expireRequests();
        keepAlive();
    }

    /** Echo a switch that has been silent for an echo interval; close one silent for the echo timeout. */
    private void keepAlive() {
        long now = System.nanoTime();
        long silentNanos = now - lastReadNanos;
        if (silentNanos >= settings.echoTimeout().toNanos()) {
            close("silent for " + TimeUnit.NANOSECONDS.toSeconds(silentNanos) + " s");
        } else if (factory != null && silentNanos >= settings.echoInterval().toNanos()
                && now - lastEchoNanos >= settings.echoInterval().toNanos()) {
            lastEchoNanos = now;
            write(List.of(factory.buildEchoRequest().setXid(newXid()).build()), null);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // A switch that stops reading gets no more work from us: we stop reading its PacketIns until it drains.
        channel.config().setAutoRead(channel.isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            close("malformed message: " + (cause.getMessage() != null ? cause.getMessage() : cause));
        } else if (cause instanceof IOException) {
            close("I/O error: " + cause.getMessage());
        } else {
            log.warn("{}: unexpected failure, closing", describe(), cause);
            close("unexpected failure: " + cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        State previous = state;
        state = State.CLOSED;
        if (turnOutput != null) {
            turnOutput.release();
            turnOutput = null;
        }
        output.release();
        readBuffer.release();
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (housekeeping != null) {
            housekeeping.cancel(false);
        }
        SwitchDisconnectedException gone = new SwitchDisconnectedException(describe() + " disconnected");
        for (Long xid : List.copyOf(pending.keySet())) {
            Pending p = pending.remove(xid);
            if (p != null) {
                p.fail(gone);
            }
        }
        if (previous == State.READY) {
            log.info("{}: disconnected{}", describe(), closeReason == null ? "" : " (" + closeReason + ")");
        } else {
            log.info("{}: connection closed during {}{}", describe(), previous,
                    closeReason == null ? "" : " (" + closeReason + ")");
        }
        registry.connectionClosed(this);
        super.channelInactive(ctx); // releases what is left of a partial message
    }

    // ---- handshake -------------------------------------------------------------------------------------

    private void negotiate(OFHello hello) {
        Optional<OFVersion> agreed = VersionNegotiation.negotiate(settings.versions(), hello);
        if (agreed.isEmpty()) {
            OFFactory f = OFFactories.getFactory(hello.getVersion());
            channel.writeAndFlush(f.errorMsgs().buildHelloFailedErrorMsg().setCode(OFHelloFailedCode.INCOMPATIBLE)
                    .setData(OFErrorCauseData.NONE)
                    .build()).addListener(ChannelFutureListener.CLOSE);
            closeReason = "no common OpenFlow version (switch offers " + Integer.toBinaryString(
                    VersionNegotiation.offered(hello, settings.versions())) + ", we "
                    + Integer.toBinaryString(VersionNegotiation.bitmap(settings.versions())) + ")";
            return;
        }
        version = agreed.get();
        factory = OFFactories.getFactory(version);
        state = State.HANDSHAKE;
        request(factory.buildFeaturesRequest().build())
                .thenCompose(this::features)
                .thenCompose(done -> configure())
                .whenComplete((done, error) -> {
                    if (error != null) {
                        close("handshake failed: " + rootMessage(error));
                    } else if (state == State.HANDSHAKE) {
                        state = State.REGISTERING;
                        registry.handshakeComplete(this);
                    }
                });
    }

    private CompletableFuture<Void> features(OFFeaturesReply reply) {
        id = reply.getDatapathId();
        tableCount = reply.getNTables();
        if (version == OFVersion.OF_10) {
            replacePorts(reply.getPorts());
            return CompletableFuture.completedFuture(null);
        }
        return requestStats(factory.buildPortDescStatsRequest().build()).thenAccept(parts -> {
            List<OFPortDesc> all = new ArrayList<>();
            for (OFPortDescStatsReply part : parts) {
                all.addAll(part.getEntries());
            }
            replacePorts(all);
        });
    }

    private CompletableFuture<Void> configure() {
        List<OFMessage> setup = new ArrayList<>();
        setup.add(factory.buildSetConfig().setMissSendLen(settings.missSendLength()).build());
        if (version != OFVersion.OF_10) {
            // OpenFlow 1.3 drops table misses by default; 1.0 sends them to us without a flow (and an explicit
            // flow would make every PacketIn report reason ACTION there).
            setup.add(factory.buildFlowAdd()
                    .setCookie(U64.of(TABLE_MISS_COOKIE))
                    .setPriority(0)
                    .setMatch(factory.buildMatch().build())
                    .setInstructions(List.of(factory.instructions().applyActions(List.of(
                            factory.actions().output(OFPort.CONTROLLER, 0xffff)))))
                    .build());
        }
        send(setup);
        CompletableFuture<?> roleDone = settings.role() == OFControllerRole.ROLE_EQUAL
                ? CompletableFuture.completedFuture(null)
                : requestRole(settings.role());
        return roleDone.thenCompose(r -> barrier());
    }

    /**
     * Cookie of the table-miss flow: DaoliNet's marker byte and nothing else, so that no pipeline epoch, kind or
     * function bit (a cookie-mask delete of a function's flows) ever matches it.
     */
    static final long TABLE_MISS_COOKIE = 0xDA00_0000_0000_0000L;

    /** Called by the registry once this connection is the datapath's only live one. */
    void markReady() {
        state = State.READY;
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        log.info("{}: ready (OpenFlow {}, {} ports, {} tables, role {})", describe(), version.toString(),
                ports.size(), tableCount, role);
    }

    // ---- replies and async messages ---------------------------------------------------------------------

    private boolean completeRequest(OFMessage m) {
        Pending p = pending.get(m.getXid());
        if (p == null) {
            return false;
        }
        if (m instanceof OFErrorMsg error) {
            if (pending.remove(m.getXid(), p)) {
                p.fail(new OpenFlowErrorException(error));
            }
            return true;
        }
        if (p.parts != null && m instanceof OFStatsReply part) {
            p.parts.add(part);
            if (part.getFlags().contains(OFStatsReplyFlags.REPLY_MORE)) {
                return true;
            }
            if (pending.remove(m.getXid(), p)) {
                p.complete(List.copyOf(p.parts));
            }
            return true;
        }
        if (pending.remove(m.getXid(), p)) {
            p.complete(m);
        }
        return true;
    }

    private void unsolicited(OFMessage m) {
        switch (m.getType()) {
            case ERROR -> {
                if (state == State.READY) {
                    registry.error(this, (OFErrorMsg) m);
                } else {
                    log.warn("{}: error during handshake: {}", describe(), m);
                }
            }
            case ECHO_REPLY -> { } // keepalive answered; the read itself reset the silence clock
            default -> log.debug("{}: ignoring unexpected {} (xid {})", describe(), m.getType(), m.getXid());
        }
    }

    private void portStatus(OFPortStatus status) {
        OFPortDesc desc = status.getDesc();
        Map<OFPort, OFPortDesc> next = new LinkedHashMap<>(ports);
        switch (status.getReason()) {
            case DELETE -> next.remove(desc.getPortNo());
            default -> next.put(desc.getPortNo(), desc);
        }
        setPorts(next);
        if (state == State.READY) {
            registry.portChanged(this, status);
        }
    }

    private void replacePorts(List<OFPortDesc> list) {
        Map<OFPort, OFPortDesc> next = new LinkedHashMap<>();
        for (OFPortDesc p : list) {
            next.put(p.getPortNo(), p); // a repeated port number: the last report wins
        }
        setPorts(next);
    }

    private void setPorts(Map<OFPort, OFPortDesc> next) {
        Map<String, OFPortDesc> named = new LinkedHashMap<>();
        for (OFPortDesc p : next.values()) {
            named.putIfAbsent(p.getName(), p); // two ports of one name: the first, as a scan in port order finds
        }
        portsByName = ImmutableMap.copyOf(named);
        ports = ImmutableMap.copyOf(next);
    }

    // ---- OpenFlowSwitch ------------------------------------------------------------------------------------

    @Override
    public DatapathId id() {
        return id;
    }

    @Override
    public OFVersion version() {
        return version;
    }

    @Override
    public OFFactory factory() {
        return factory;
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public Instant connectedSince() {
        return connectedSince;
    }

    @Override
    public OFControllerRole role() {
        return role;
    }

    @Override
    public List<OFPortDesc> ports() {
        return ports.values().asList();
    }

    @Override
    public Optional<OFPortDesc> port(OFPort number) {
        return Optional.ofNullable(ports.get(number));
    }

    @Override
    public Optional<OFPortDesc> port(String name) {
        return Optional.ofNullable(portsByName.get(name));
    }

    @Override
    public short tableCount() {
        return tableCount;
    }

    @Override
    public boolean isConnected() {
        return state != State.CLOSED && channel.isActive();
    }

    @Override
    public boolean send(OFMessage message) {
        return send(List.of(message));
    }

    @Override
    public boolean send(Iterable<? extends OFMessage> messages) {
        if (!admit()) {
            return false;
        }
        write(messages, null);
        return true;
    }

    @Override
    public CompletableFuture<Void> sendConfirmed(Iterable<? extends OFMessage> messages) {
        if (!admit()) {
            return CompletableFuture.failedFuture(new SwitchDisconnectedException(describe()
                    + " is not connected or not reading"));
        }
        long xid = newXid();
        Pending p = expect(xid, false, OFType.BARRIER_REQUEST);
        if (!p.future.isDone()) {
            write(messages, factory.buildBarrierRequest().setXid(xid).build());
        }
        return p.future.thenApply(reply -> null);
    }

    /**
     * Encodes the messages on the calling thread. On this connection's own event loop (its reads, and other
     * connections' reads on the same loop: a cross-host decision's far flows) they go into the turn's output buffer,
     * sent when the loop's turn ends: one buffer, one outbound entry and one write per turn, in send order. From any
     * other thread they get a buffer of their own, written and flushed at once. A message that cannot be encoded is
     * our bug, not the switch's: it is logged and left out, and the connection stays up.
     */
    private void write(Iterable<? extends OFMessage> messages, OFMessage trailer) {
        if (channel.eventLoop().inEventLoop()) {
            if (turnOutput == null) {
                turnOutput = output.take(channel.alloc(), turnOutputBytes);
                flusher.sendAtEndOfTurn(this);
            }
            encodeAll(messages, trailer, turnOutput);
            return;
        }
        ByteBuf out = channel.alloc().ioBuffer(512);
        encodeAll(messages, trailer, out);
        if (out.isReadable()) {
            context.writeAndFlush(out, channel.voidPromise());
        } else {
            out.release();
        }
    }

    static final int MIN_TURN_OUTPUT_BYTES = 1024;
    static final int MAX_TURN_OUTPUT_BYTES = 1 << 20;

    /** The power of two above {@code sent}, within [MIN, MAX]; capped before shifting, which overflows at 1 GiB. */
    static int nextTurnOutputBytes(int sent) {
        if (sent >= MAX_TURN_OUTPUT_BYTES) {
            return MAX_TURN_OUTPUT_BYTES;
        }
        return Math.max(MIN_TURN_OUTPUT_BYTES, Integer.highestOneBit(sent) << 1);
    }

    /** The end of the loop's turn: what this connection gathered goes to the switch. */
    @Override
    public void sendTurnOutput() {
        ByteBuf out = turnOutput;
        if (out == null) {
            return; // closed meanwhile, and the output released
        }
        turnOutput = null;
        turnOutputBytes = nextTurnOutputBytes(out.readableBytes());
        output.trim(); // a burst grew it: not kept for the next turn
        if (out.isReadable() && channel.isActive()) {
            context.writeAndFlush(out, channel.voidPromise());
        } else {
            out.release();
        }
    }

    private void encodeAll(Iterable<? extends OFMessage> messages, OFMessage trailer, ByteBuf out) {
        for (OFMessage m : messages) {
            encodeOne(m, out);
        }
        if (trailer != null) {
            encodeOne(trailer, out);
        }
    }

    private void encodeOne(OFMessage m, ByteBuf out) {
        int mark = out.writerIndex();
        try {
            m.writeTo(out);
        } catch (RuntimeException e) {
            out.writerIndex(mark);
            log.error("{}: cannot encode {}; not sent", describe(), m.getType(), e);
        }
    }

    /** Back-pressure: refuse work for a switch that has stopped reading once its queue passes the limit. */
    private boolean admit() {
        if (!channel.isActive()) {
            return false;
        }
        if (!channel.isWritable() && channel.bytesBeforeWritable() > settings.sendQueueLimitBytes()) {
            if (droppedMessages++ % 10_000 == 0) {
                log.warn("{}: switch is not reading, send queue over {} bytes; dropped {} messages so far",
                        describe(), settings.sendQueueLimitBytes(), droppedMessages);
            }
            return false;
        }
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R extends OFMessage> CompletableFuture<R> request(OFRequest<R> request) {
        return (CompletableFuture<R>) track(request, false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R extends OFStatsReply> CompletableFuture<List<R>> requestStats(OFStatsRequest<R> request) {
        return (CompletableFuture<List<R>>) track(request, true);
    }

    private CompletableFuture<?> track(OFMessage request, boolean multipart) {
        long xid = newXid();
        Pending p = expect(xid, multipart, request.getType());
        if (!p.future.isDone()) {
            write(List.of(request.createBuilder().setXid(xid).build()), null);
        }
        return p.future;
    }

    /**
     * Waits for the reply to request {@code xid}, until the request timeout. On a connection that is closed, or
     * closed meanwhile (it has already failed what was pending and stopped its sweep), the wait fails at once
     * rather than forever.
     */
    private Pending expect(long xid, boolean multipart, OFType type) {
        Pending p = new Pending(multipart, System.nanoTime() + settings.requestTimeout().toNanos(), type);
        pending.put(xid, p);
        if (!channel.isActive() && pending.remove(xid, p)) {
            p.fail(new SwitchDisconnectedException(describe() + " is not connected"));
        }
        return p;
    }

    private void expireRequests() {
        if (pending.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        pending.forEach((xid, p) -> {
            if (now - p.deadlineNanos >= 0 && pending.remove(xid, p)) {
                p.fail(new TimeoutException(describe() + ": no reply to " + p.type + " within "
                        + settings.requestTimeout().toSeconds() + " s"));
            }
        });
    }

    @Override
    public CompletableFuture<Void> barrier() {
        return request(factory.buildBarrierRequest().build()).thenApply(reply -> null);
    }

    @Override
    public CompletableFuture<OFControllerRole> requestRole(OFControllerRole wanted) {
        if (version == OFVersion.OF_10) {
            OFNiciraControllerRole nicira = switch (wanted) {
                case ROLE_MASTER -> OFNiciraControllerRole.ROLE_MASTER;
                case ROLE_SLAVE -> OFNiciraControllerRole.ROLE_SLAVE;
                default -> OFNiciraControllerRole.ROLE_OTHER;
            };
            return request(factory.buildNiciraControllerRoleRequest().setRole(nicira).build()).thenApply(reply -> {
                role = switch (reply.getRole()) {
                    case ROLE_MASTER -> OFControllerRole.ROLE_MASTER;
                    case ROLE_SLAVE -> OFControllerRole.ROLE_SLAVE;
                    default -> OFControllerRole.ROLE_EQUAL;
                };
                return role;
            });
        }
        return request(factory.buildRoleRequest().setRole(wanted)
                .setGenerationId(U64.of(registry.nextGenerationId())).build())
                .thenApply(reply -> {
                    role = reply.getRole();
                    return role;
                });
    }

    @Override
    public void disconnect(String reason) {
        close(reason);
    }

    void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
            if (state != State.READY) {
                log.warn("{}: closing connection: {}", describe(), reason);
            } else {
                log.info("{}: closing connection: {}", describe(), reason);
            }
        }
        channel.close();
    }

    private long newXid() {
        // xids are 32 bits on the wire; stay clear of 0, which switches use for their own messages
        return (nextXid.getAndIncrement() & 0x7fff_ffffL) | 0x1_0000L;
    }

    String describe() {
        DatapathId dpid = id;
        return (dpid == null ? "switch" : "switch " + dpid) + " at " + channel.remoteAddress();
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    /** A request waiting for its reply; multipart requests gather their parts first. */
    private static final class Pending {
        final CompletableFuture<Object> future = new CompletableFuture<>();
        final List<OFStatsReply> parts;
        final long deadlineNanos;
        final OFType type;

        Pending(boolean multipart, long deadlineNanos, OFType type) {
            parts = multipart ? new ArrayList<>() : null;
            this.deadlineNanos = deadlineNanos;
            this.type = type;
        }

        void complete(Object reply) {
            future.complete(reply);
        }

        void fail(Throwable t) {
            future.completeExceptionally(t);
        }
    }
}
