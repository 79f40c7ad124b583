package org.daolinet.openflow;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A buffer a connection takes over and over: the last one taken, kept with one reference of its own, is taken again
 * once that reference is the only one left (whoever it went to, the channel writing it or the decoder reading it,
 * has let go). In latency mode every read and every turn's answer is one small buffer, and taking each from the pool
 * and giving it back (thread cache, recycler, leak sampling) was a tenth of the I/O thread's Java time (JFR). A
 * buffer still held is left to its holder and a fresh one taken from the pool; one too small for what is asked, or
 * over {@link #MAX_KEPT_BYTES}, goes back to the pool. Confined to the connection's event loop; {@link #release()}
 * when the connection closes.
 */
final class KeptBuffer {

    /** A connection that once handled a burst should not hold a burst-sized buffer while idle. */
    static final int MAX_KEPT_BYTES = 16 << 10;

    /** The last buffer taken, with one reference of ours; null when none is kept. */
    private ByteBuf kept;
    private boolean released;

    /** An empty buffer of at least {@code capacity} bytes, with one reference for the caller. */
    ByteBuf take(ByteBufAllocator alloc, int capacity) {
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

    /** Lets go of the kept buffer if it grew past {@link #MAX_KEPT_BYTES} after it was taken (a burst's output). */
    void trim() {
        if (kept != null && kept.capacity() > MAX_KEPT_BYTES) {
            kept.release();
            kept = null;
        }
    }

    /** Gives the kept buffer back to the pool; nothing is kept afterwards. */
    void release() {
        released = true;
        if (kept != null) {
            kept.release();
            kept = null;
        }
    }
}
