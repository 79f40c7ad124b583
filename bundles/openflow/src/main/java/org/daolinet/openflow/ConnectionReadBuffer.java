package org.daolinet.openflow;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * One connection's read buffer, kept from read to read ({@link KeptBuffer}): Netty would take one from the pool for
 * every read, and the decoder give it back once the read's messages are out of it. Sizes and read accounting are
 * the adaptive allocator's, as for every Netty channel. Confined to the connection's event loop; {@link #release()}
 * when the connection closes.
 */
final class ConnectionReadBuffer extends AdaptiveRecvByteBufAllocator {

    private final KeptBuffer buffer = new KeptBuffer();

    @Override
    public Handle newHandle() {
        return new KeepingHandle((ExtendedHandle) super.newHandle());
    }

    /** The kept buffer, emptied, if nobody else holds it and it is big enough; else one from the pool. */
    ByteBuf allocate(ByteBufAllocator alloc, int capacity) {
        return buffer.take(alloc, capacity);
    }

    /** Gives the kept buffer back to the pool; nothing is kept afterwards. */
    void release() {
        buffer.release();
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
