package org.daolinet.pipeline;

import java.util.List;

import com.google.common.hash.PrimitiveSink;
import io.netty.buffer.ByteBuf;
import org.daolinet.api.pipeline.Delivery.Scope;
import org.daolinet.api.pipeline.Header;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * A message of the PacketIn path that writes itself from the pipeline's own values ({@link FlowWire}) instead of
 * going through Loxi's objects. Everything but writing (equality, hashing, builders, text) is the Loxi twin's,
 * built when asked for: only the hot path, which only writes, skips it.
 */
abstract class DirectMessage implements OFMessage {

    final OFFactory factory;
    /** From the factory, as Loxi's builders take it: every message its own, for the switch's error replies. */
    final long xid;

    DirectMessage(OFFactory factory) {
        this.factory = factory;
        this.xid = factory.nextXid();
    }

    /** The same message built with Loxi: what this one writes, byte for byte. */
    abstract OFMessage loxi();

    @Override
    public OFVersion getVersion() {
        return factory.getVersion();
    }

    @Override
    public long getXid() {
        return xid;
    }

    @Override
    public boolean equalsIgnoreXid(Object other) {
        return loxi().equalsIgnoreXid(other instanceof DirectMessage d ? d.loxi() : other);
    }

    @Override
    public int hashCodeIgnoreXid() {
        return loxi().hashCodeIgnoreXid();
    }

    @Override
    public OFMessage.Builder createBuilder() {
        return loxi().createBuilder();
    }

    @Override
    public void putTo(PrimitiveSink sink) {
        loxi().putTo(sink);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OFMessage && loxi().equals(other instanceof DirectMessage d ? d.loxi() : other);
    }

    @Override
    public int hashCode() {
        return loxi().hashCode();
    }

    @Override
    public String toString() {
        return loxi().toString();
    }

    /** A connection's flow on one switch of its path. */
    static final class ConnectionFlow extends DirectMessage {

        private final FlowCompiler.Hop hop;
        private final Scope scope;
        private final U64 cookie;
        private final int idleTimeoutSeconds;

        ConnectionFlow(OFFactory factory, FlowCompiler.Hop hop, Scope scope, U64 cookie, int idleTimeoutSeconds) {
            super(factory);
            this.hop = hop;
            this.scope = scope;
            this.cookie = cookie;
            this.idleTimeoutSeconds = idleTimeoutSeconds;
        }

        @Override
        public OFType getType() {
            return OFType.FLOW_MOD;
        }

        @Override
        public void writeTo(ByteBuf out) {
            FlowWire.flowAdd(out, factory.getVersion(), xid, cookie.getValue(), FlowCompiler.CONNECTION_PRIORITY,
                    idleTimeoutSeconds, hop, scope);
        }

        @Override
        OFMessage loxi() {
            return FlowCompiler.loxiFlow(factory, hop, scope, cookie, idleTimeoutSeconds).createBuilder().setXid(xid)
                    .build();
        }
    }

    /** A packet sent back out by the switch that sent it in (or one its connection leads to). */
    static final class PacketOut extends DirectMessage {

        private final OFBufferId bufferId;
        private final OFPort inPort;
        private final byte[] data;
        // either a function's actions, or a rewrite of one header into another and an output
        private final List<OFAction> actions;
        private final Header from;
        private final Header to;
        private final boolean decrementTtl;
        private final OFPort outPort;

        private PacketOut(OFFactory factory, OFBufferId bufferId, OFPort inPort, byte[] data, List<OFAction> actions,
                Header from, Header to, boolean decrementTtl, OFPort outPort) {
            super(factory);
            this.bufferId = bufferId;
            this.inPort = inPort;
            this.data = data;
            this.actions = actions;
            this.from = from;
            this.to = to;
            this.decrementTtl = decrementTtl;
            this.outPort = outPort;
        }

        /** @param data the frame, or null when the switch holds the packet in {@code bufferId} */
        static PacketOut withActions(OFFactory factory, OFBufferId bufferId, OFPort inPort, List<OFAction> actions,
                byte[] data) {
            return new PacketOut(factory, bufferId, inPort, data, actions, null, null, false, null);
        }

        /** The packet, whose header is {@code from}, rewritten to {@code to} and sent out of {@code outPort}. */
        static PacketOut rewriting(OFFactory factory, OFBufferId bufferId, OFPort inPort, Header from, Header to,
                boolean decrementTtl, OFPort outPort, byte[] data) {
            return new PacketOut(factory, bufferId, inPort, data, null, from, to, decrementTtl, outPort);
        }

        @Override
        public OFType getType() {
            return OFType.PACKET_OUT;
        }

        @Override
        public void writeTo(ByteBuf out) {
            OFVersion v = factory.getVersion();
            if (v != OFVersion.OF_10 && v != OFVersion.OF_13) {
                loxi().writeTo(out);
                return;
            }
            FlowWire.packetOut(out, v, xid, bufferId.getInt(), inPort, actions, from, to, decrementTtl, outPort,
                    data);
        }

        @Override
        OFMessage loxi() {
            List<OFAction> list = actions != null ? actions
                    : FlowMessages.rewriteAndOutput(factory, from, to, decrementTtl, inPort, outPort);
            var b = factory.buildPacketOut().setXid(xid).setBufferId(bufferId).setInPort(inPort).setActions(list);
            if (data != null) {
                b.setData(data);
            }
            return b.build();
        }
    }
}
