package org.daolinet.openflow.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/** The shortcut for IN_PORT-only 1.3 PacketIns must give exactly what Loxi's own reader gives, or step aside. */
class InPortPacketInReaderTest {

    private static final OFFactory F13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final OFPacketInReason[] REASONS = {OFPacketInReason.NO_MATCH, OFPacketInReason.ACTION,
            OFPacketInReason.INVALID_TTL};

    @Test
    void inPortOnlyPacketInsReadAsLoxiReadsThem() throws OFParseError {
        Random random = new Random(20261124);
        InPortPacketInReader reader = new InPortPacketInReader();
        EmbeddedChannel channel = new EmbeddedChannel(new OpenFlowFrameDecoder());
        for (int i = 0; i < 5_000; i++) {
            OFPacketIn sent = packetIn(random, F13.buildMatch().setExact(MatchField.IN_PORT, port(random)).build());
            byte[] wire = bytes(sent);

            ByteBuf buf = Unpooled.wrappedBuffer(wire);
            OFPacketIn read = reader.read(buf);
            assertNotNull(read, "took the shortcut: " + sent);
            assertEquals(wire.length, buf.readerIndex(), "read the whole message");
            OFMessage loxi = OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(wire));
            assertEquals(loxi, read);
            assertEquals(sent, read);
            assertEquals(loxi.getClass(), read.getClass());
            assertEquals(Unpooled.wrappedBuffer(wire), Unpooled.wrappedBuffer(bytes(read)), "writes back the same");

            channel.writeInbound(Unpooled.wrappedBuffer(wire));
            assertEquals(loxi, channel.readInbound());
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void otherMatchesAreLeftToLoxi() throws OFParseError {
        Random random = new Random(7);
        InPortPacketInReader reader = new InPortPacketInReader();
        EmbeddedChannel channel = new EmbeddedChannel(new OpenFlowFrameDecoder());
        Match[] matches = {
                F13.buildMatch().build(),
                F13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(3))
                        .setExact(MatchField.METADATA, OFMetadata.ofRaw(42)).build(),
                F13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(3))
                        .setExact(MatchField.IN_PHY_PORT, OFPort.of(3)).build(),
                F13.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4).build(),
                F13.buildMatch().setMasked(MatchField.METADATA, OFMetadata.ofRaw(1), OFMetadata.ofRaw(1)).build(),
        };
        for (Match match : matches) {
            OFPacketIn sent = packetIn(random, match);
            byte[] wire = bytes(sent);
            ByteBuf buf = Unpooled.wrappedBuffer(wire);
            assertNull(reader.read(buf), "not IN_PORT alone: " + match);
            assertEquals(0, buf.readerIndex(), "left the buffer unread");
            channel.writeInbound(Unpooled.wrappedBuffer(wire));
            assertEquals(OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(wire)), channel.readInbound());
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void matchesAreSharedPerPortAndNeverConfused() {
        InPortPacketInReader reader = new InPortPacketInReader();
        Random random = new Random(3);
        OFPacketIn a = read(reader, random, 5);
        OFPacketIn b = read(reader, random, 5);
        assertSame(a.getMatch(), b.getMatch(), "one match per port");
        int[] ports = {0, 1, 5, 5 + 64, 4095, 4096, 70_000, 0xfffffef0, OFPort.LOCAL.getPortNumber(),
                OFPort.CONTROLLER.getPortNumber()};
        for (int round = 0; round < 2; round++) { // the second round reads the kept matches back
            for (int port : ports) {
                assertEquals(OFPort.ofInt(port), read(reader, random, port).getMatch().get(MatchField.IN_PORT),
                        () -> Integer.toUnsignedString(port));
            }
        }
    }

    @Test
    void readersOfOneControllerShareTheirMatches() {
        InPortMatches matches = new InPortMatches();
        Random random = new Random(4);
        InPortPacketInReader one = new InPortPacketInReader(matches);
        InPortPacketInReader other = new InPortPacketInReader(matches);
        assertSame(read(one, random, 300).getMatch(), read(other, random, 300).getMatch());
        assertSame(read(one, random, InPortMatches.KEPT_PORTS - 1).getMatch(),
                read(other, random, InPortMatches.KEPT_PORTS - 1).getMatch());
        assertEquals(read(one, random, InPortMatches.KEPT_PORTS).getMatch(),
                read(other, random, InPortMatches.KEPT_PORTS).getMatch(), "built each time, equal all the same");
    }

    @Test
    void anUnknownReasonClosesTheConnectionAsLoxiWould() {
        byte[] wire = bytes(packetIn(new Random(1), F13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1))
                .build()));
        wire[14] = 0x7f;
        assertThrows(OFParseError.class, () -> OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(wire)),
                "Loxi refuses it");
        EmbeddedChannel channel = new EmbeddedChannel(new OpenFlowFrameDecoder());
        assertThrows(CorruptedFrameException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(wire)));
        // not finished: closing would decode the refused bytes again (a real connection is closed by its handler)
        assertNull(channel.readInbound());
    }

    private static OFPacketIn read(InPortPacketInReader reader, Random random, int port) {
        OFPacketIn p = reader.read(Unpooled.wrappedBuffer(bytes(packetIn(random,
                F13.buildMatch().setExact(MatchField.IN_PORT, OFPort.ofInt(port)).build()))));
        assertNotNull(p);
        return p;
    }

    private static OFPort port(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> OFPort.LOCAL;
            case 1 -> OFPort.ofInt(random.nextInt());
            default -> OFPort.of(1 + random.nextInt(100));
        };
    }

    private static OFPacketIn packetIn(Random random, Match match) {
        byte[] frame = new byte[random.nextInt(5) == 0 ? 0 : 14 + random.nextInt(200)];
        random.nextBytes(frame);
        return F13.buildPacketIn()
                .setXid(random.nextInt() & 0xffff_ffffL)
                .setBufferId(random.nextBoolean() ? OFBufferId.NO_BUFFER : OFBufferId.of(random.nextInt(1 << 20)))
                .setTotalLen(random.nextInt(0x10000))
                .setReason(REASONS[random.nextInt(REASONS.length)])
                .setTableId(TableId.of(random.nextInt(255)))
                .setCookie(U64.of(random.nextLong()))
                .setMatch(match)
                .setData(frame)
                .build();
    }

    private static byte[] bytes(OFMessage m) {
        ByteBuf out = Unpooled.buffer();
        m.writeTo(out);
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        return b;
    }
}
