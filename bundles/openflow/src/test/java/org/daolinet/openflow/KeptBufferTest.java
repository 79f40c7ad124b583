package org.daolinet.openflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The turn-output side of {@link KeptBuffer}; the read side is {@link ConnectionReadBufferTest}'s. */
class KeptBufferTest {

    /** Unpooled, so that a freed buffer's count can be read (a pool would hand its object out again). */
    private final ByteBufAllocator alloc = new UnpooledByteBufAllocator(true);

    @Test
    void aTurnsBufferIsTakenAgainOnceTheChannelHasWrittenIt() {
        KeptBuffer output = new KeptBuffer();
        ByteBuf turn = output.take(alloc, 1024);
        turn.writeLong(7);
        output.trim();
        turn.release(); // written: the channel let go
        assertSame(turn, output.take(alloc, 1024));
        turn.release();
        output.release();
        assertEquals(0, turn.refCnt());
    }

    @Test
    void aBufferThatABurstGrewIsNotKeptForTheNextTurn() {
        KeptBuffer output = new KeptBuffer();
        ByteBuf turn = output.take(alloc, 1024);
        turn.writeBytes(new byte[KeptBuffer.MAX_KEPT_BYTES * 2]); // a burst of answers grows it in place
        output.trim();
        assertEquals(1, turn.refCnt(), "only the channel's reference is left");
        turn.release();
        assertEquals(0, turn.refCnt(), "back in the pool once written");
        output.release();
    }
}
