package org.daolinet.bench;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.daolinet.emulator.EmulatedSwitch;

/**
 * Drives one emulated switch during a benchmark: sends its PacketIns (encoded once into one direct buffer and sent
 * as slices of it, so the tool spends its CPU on I/O, not on encoding or copying: in latency mode the tool shares
 * two cores with the controller it measures and must not be the slower of the two) and counts the controller's FlowMods and PacketOuts without decoding them; everything
 * else goes on, undecoded, to the emulator's own OpenFlow handling (handshake, echo). A PacketIn counts as
 * answered when its PacketOut arrives: every controller measured here sends exactly one per PacketIn when the
 * switch does not buffer the packet (buffer id NO_BUFFER), whether it floods or installs flows first.
 *
 * <p>Latency mode keeps exactly one PacketIn outstanding; throughput mode keeps up to {@code window}. A PacketIn
 * not answered within {@link #LOST_AFTER_NANOS} is counted lost and no longer outstanding, so a controller that
 * drops some cannot stall the run. Every field is touched only on the switch's event loop, except the counters,
 * which are single-writer and read by the reporting thread.
 */
final class SwitchDriver extends ByteToMessageDecoder {

    static final long LOST_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int OFPT_PACKET_OUT = 13;
    private static final int OFPT_FLOW_MOD = 14;

    private final EmulatedSwitch sw;
    private final int window;
    /** Every PacketIn back to back, and where each starts; built by {@link #load}, released with the channel. */
    private ByteBuf packetIns;
    private int[] offsets;
    private int next;
    private int outstanding;
    private long lastAnswerNanos;
    private boolean running;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> watchdog;

    volatile long answered;
    volatile long flowMods;
    volatile long packetOuts;
    volatile long sent;
    volatile long lost;

    SwitchDriver(EmulatedSwitch sw, int window) {
        this.sw = sw;
        this.window = window;
    }

    EmulatedSwitch emulatedSwitch() {
        return sw;
    }

    /** Takes the PacketIns (already encoded) this switch sends round-robin from its next {@link #start()} on. */
    void load(byte[][] frames) {
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.executor().execute(() -> copyToBuffer(c, frames));
        }
    }

    /** Starts (or, after {@link #stop()}, resumes) sending the loaded PacketIns. */
    void start() {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return;
        }
        c.executor().execute(() -> {
            if (packetIns == null) {
                return; // nothing loaded, or the channel is gone
            }
            running = true;
            lastAnswerNanos = System.nanoTime();
            watchdog = c.executor().scheduleAtFixedRate(this::checkLost, 200, 200, TimeUnit.MILLISECONDS);
            topUp();
            c.flush();
        });
    }

    void stop() {
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.executor().execute(() -> {
                running = false;
                if (watchdog != null) {
                    watchdog.cancel(false);
                }
            });
        }
    }

    private void copyToBuffer(ChannelHandlerContext c, byte[][] frames) {
        if (packetIns != null) {
            packetIns.release();
        }
        next = 0;
        int total = 0;
        offsets = new int[frames.length + 1];
        for (int i = 0; i < frames.length; i++) {
            offsets[i] = total;
            total += frames[i].length;
        }
        offsets[frames.length] = total;
        packetIns = c.alloc().directBuffer(total);
        for (byte[] f : frames) {
            packetIns.writeBytes(f);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        running = false;
        if (packetIns != null) {
            packetIns.release();
            packetIns = null;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 8) {
            int start = in.readerIndex();
            int length = in.getUnsignedShort(start + 2);
            if (length < 8) {
                // not OpenFlow: let the emulator's decoder fail on it and close the connection
                out.add(in.readRetainedSlice(in.readableBytes()));
                return;
            }
            if (in.readableBytes() < length) {
                return;
            }
            int type = in.getUnsignedByte(start + 1);
            if (type == OFPT_PACKET_OUT) {
                boolean lldp = isLldp(in, start, length);
                in.skipBytes(length);
                if (!lldp) {
                    packetOuts++;
                    answered();
                }
            } else if (type == OFPT_FLOW_MOD) {
                in.skipBytes(length);
                flowMods++;
            } else {
                out.add(in.readRetainedSlice(length));
            }
        }
    }

    /** Topology discovery's PacketOuts (LLDP out of every port) answer no PacketIn. */
    private static boolean isLldp(ByteBuf in, int start, int length) {
        boolean of10 = in.getUnsignedByte(start) == 1;
        int actionsLength = in.getUnsignedShort(start + (of10 ? 14 : 16));
        int ethertype = start + (of10 ? 16 : 24) + actionsLength + 12;
        return ethertype + 2 <= start + length && in.getUnsignedShort(ethertype) == 0x88cc;
    }

    private void answered() {
        lastAnswerNanos = System.nanoTime();
        if (outstanding > 0) {
            outstanding--;
            answered++;
        }
        if (window == 1) {
            topUp();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        topUp();
        super.channelReadComplete(ctx);
        ctx.flush();
    }

    private void topUp() {
        if (!running) {
            return;
        }
        ByteBuf all = packetIns;
        int count = offsets.length - 1;
        int n = 0;
        while (outstanding < window) {
            ctx.write(all.retainedSlice(offsets[next], offsets[next + 1] - offsets[next]), ctx.voidPromise());
            next = next + 1 == count ? 0 : next + 1;
            outstanding++;
            n++;
        }
        if (n > 0) {
            sent += n;
        }
    }

    private void checkLost() {
        if (running && outstanding > 0 && System.nanoTime() - lastAnswerNanos > LOST_AFTER_NANOS) {
            lost += outstanding;
            outstanding = 0;
            lastAnswerNanos = System.nanoTime();
            topUp();
            ctx.flush();
        }
    }
}
