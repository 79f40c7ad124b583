package org.daolinet.openflow;

import static org.daolinet.openflow.ControllerFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import org.daolinet.emulator.EmulatedSwitch;
import org.daolinet.emulator.SwitchProfile;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

class ConnectionReadBufferTest {

    @Test
    void aSwitchConnectionReadsThroughItWithTheChannelsReadsPerTurn() throws Exception {
        try (ControllerFixture c = new ControllerFixture()) {
            EmulatedSwitch emu = c.emulator.connect(c.address(), SwitchProfile.of(0x52, OFVersion.OF_13, 2));
            emu.ready().get(10, TimeUnit.SECONDS);
            await(() -> c.server.getSwitch(DatapathId.of(0x52)).isPresent(), Duration.ofSeconds(10), "up");
            SwitchConnection conn = (SwitchConnection) c.server.getSwitch(DatapathId.of(0x52)).orElseThrow();
            RecvByteBufAllocator reads = conn.channel().config().getRecvByteBufAllocator();
            assertTrue(reads instanceof ConnectionReadBuffer, "reads through " + reads);
            // what Netty's socket channels read per turn (ChannelMetadata), not DefaultMaxMessages' 1
            assertEquals(16, ((ConnectionReadBuffer) reads).maxMessagesPerRead());
        }
    }

    /** Unpooled, so that a freed buffer's count can be read (a pool would hand its object out again). */
    private final ByteBufAllocator pool = new UnpooledByteBufAllocator(true);

    @Test
    void aBufferTheReaderGaveBackIsReadIntoAgainEmpty() {
        ConnectionReadBuffer reads = new ConnectionReadBuffer();
        RecvByteBufAllocator.Handle handle = reads.newHandle();
        ByteBuf first = handle.allocate(pool);
        first.writeInt(42);
        first.release(); // the decoder is done with the read
        ByteBuf second = handle.allocate(pool);
        assertSame(first, second);
        assertEquals(0, second.readableBytes(), "handed out empty");
        assertEquals(2, second.refCnt(), "the reader's reference and the connection's");
        second.release();
        reads.release();
        assertEquals(0, first.refCnt(), "back in the pool once the connection closes");
    }

    @Test
    void aBufferStillHeldIsLeftToItsHolder() {
        ConnectionReadBuffer reads = new ConnectionReadBuffer();
        RecvByteBufAllocator.Handle handle = reads.newHandle();
        ByteBuf partial = handle.allocate(pool); // a partial message: the decoder keeps it
        ByteBuf next = handle.allocate(pool);
        assertNotSame(partial, next);
        assertEquals(1, partial.refCnt(), "only the holder's reference is left");
        partial.release();
        assertEquals(0, partial.refCnt(), "its holder frees it");
        next.release();
        assertSame(next, handle.allocate(pool), "the newer buffer is the one kept");
        next.release();
        reads.release();
        assertEquals(0, next.refCnt());
    }

    @Test
    void aBufferSmallerThanTheReadNeedsIsReplaced() {
        ConnectionReadBuffer reads = new ConnectionReadBuffer();
        ByteBuf small = reads.allocate(pool, 512);
        small.release();
        ByteBuf bigger = reads.allocate(pool, 4096);
        assertNotSame(small, bigger);
        assertEquals(0, small.refCnt(), "the outgrown buffer went back to the pool");
        assertTrue(bigger.capacity() >= 4096);
        bigger.release();
        reads.release();
        assertEquals(0, bigger.refCnt());
    }

    @Test
    void burstSizedBuffersAreNotKept() {
        ConnectionReadBuffer reads = new ConnectionReadBuffer();
        ByteBuf big = reads.allocate(pool, KeptBuffer.MAX_KEPT_BYTES * 2);
        assertEquals(1, big.refCnt(), "no reference of the connection's");
        big.release();
        assertEquals(0, big.refCnt());
        reads.release();
    }

    @Test
    void nothingIsKeptAfterTheConnectionClosed() {
        ConnectionReadBuffer reads = new ConnectionReadBuffer();
        reads.release();
        ByteBuf late = reads.allocate(pool, 1024);
        assertEquals(1, late.refCnt(), "a read racing the close gets a buffer of its own");
        late.release();
        assertEquals(0, late.refCnt());
    }
}
