package org.daolinet.openflow;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * One connection's read buffer, kept from read to read. Netty takes a buffer from the pool for every read and the
 * decoder gives it back once the read's messages are out of it; in latency mode (one PacketIn per switch in
 * flight) that is a pool round trip (thread cache, recycler, leak sampling) per PacketIn, for a buffer of the
 * same size every time. This allocator keeps one reference of its own to the last buffer it handed out and hands
 * it out again when that reference is the only one left. A buffer still held (a partial message waiting for the
 * rest, which the decoder keeps) is left to its holder and a fresh one taken from the pool. Sizes are the
 * adaptive allocator's, as for every Netty channel; a kept buffer over {@link #MAX_KEPT_BYTES} goes back to the
 * pool. Confined to the connection's event loop; {@link #release()} when the connection closes.
 */
final class ConnectionReadBuffer extends AdaptiveRecvByteBufAllocator {

    /** A connection that once read a burst should not hold a burst-sized buffer while idle. */
    static final int MAX_KEPT_BYTES = 16 << 10;

    /** The last buffer handed out, with one reference of ours; null when none is kept. */
    private ByteBuf kept;
    private boolean released;

    @Override
    public Handle newHandle() {
        return new KeepingHandle((ExtendedHandle) super.newHandle());
    }

    /** The kept buffer, emptied, if nobody else holds it and it is big enough; else one from the pool. */
    ByteBuf allocate(ByteBufAllocator alloc, int capacity) {
        ByteBuf buffer = kept;
        if (buffer != null) {
            if (buffer.refCnt() == 1 && buffer.capacity() >= capacity) {
                return buffer.clear().retain();
            }
            kept = null;
            buffer.release(); // its holder frees it when done
        }
        buffer = alloc.ioBuffer(capacity);
        if (!released && buffer.capacity() <= MAX_KEPT_BYTES) {
            kept = buffer.retain();
        }
        return buffer;
    }

    /** Gives the kept buffer back to the pool; nothing is kept afterwards. */
    void release() {
        released = true;
        if (kept != null) {
            kept.release();
            kept = null;
        }
    }

    /** The adaptive handle's sizing and read accounting, with the buffer from {@link #allocate}. */
    private final class KeepingHandle extends RecvByteBufAllocator.DelegatingHandle implements ExtendedHandle {
        private final ExtendedHandle sizing;

        KeepingHandle(ExtendedHandle sizing) {
            super(sizing);
            this.sizing = sizing;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return ConnectionReadBuffer.this.allocate(alloc, sizing.guess());
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return sizing.continueReading(maybeMoreDataSupplier);
        }
    }
}
