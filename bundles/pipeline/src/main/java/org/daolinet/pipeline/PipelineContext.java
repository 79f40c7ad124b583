package org.daolinet.pipeline;

import java.util.List;
import java.util.Optional;

import org.daolinet.api.config.Endpoint;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.pipeline.Arp;
import org.daolinet.api.pipeline.Delivery;
import org.daolinet.api.pipeline.Header;
import org.daolinet.api.pipeline.Location;
import org.daolinet.api.pipeline.Packet;
import org.daolinet.api.pipeline.PacketContext;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/** The pipeline's {@link PacketContext}: one per PacketIn, used on the switch's I/O thread only. */
final class PipelineContext implements PacketContext {

    private final OpenFlowSwitch sw;
    private final OFPacketIn packetIn;
    private final OFPort inPort;
    private final Packet packet;
    private Header original;
    private Header delivered;
    private boolean arrivedOnUnderlay;
    private boolean decrementTtl;
    private Endpoint source;
    private Location sourceLocation;
    private Endpoint destination;
    private Delivery delivery;
    /** Bits of the functions that changed the decision (set a rewrite, the endpoints or the delivery). */
    long shapers;
    private long currentBit;

    PipelineContext(OpenFlowSwitch sw, OFPacketIn packetIn, OFPort inPort, Packet packet) {
        this.sw = sw;
        this.packetIn = packetIn;
        this.inPort = inPort;
        this.packet = packet;
        this.original = packet.header();
        this.delivered = packet.header();
    }

    /** Which function is deciding now; whatever it changes marks it as an owner of the resulting flows. */
    void runningFunction(int bit) {
        currentBit = 1L << bit;
    }

    private void shaped() {
        shapers |= currentBit;
    }

    OFPacketIn packetIn() {
        return packetIn;
    }

    @Override
    public OpenFlowSwitch sw() {
        return sw;
    }

    @Override
    public OFPort inPort() {
        return inPort;
    }

    @Override
    public Packet packet() {
        return packet;
    }

    @Override
    public byte[] frame() {
        return packetIn.getData();
    }

    @Override
    public Header original() {
        return original;
    }

    @Override
    public void restoreOriginal(Header header) {
        original = header;
        delivered = header;
        arrivedOnUnderlay = true;
        shaped();
    }

    @Override
    public boolean arrivedOnUnderlay() {
        return arrivedOnUnderlay;
    }

    @Override
    public Header delivered() {
        return delivered;
    }

    @Override
    public void deliverAs(Header header) {
        delivered = header;
        shaped();
    }

    @Override
    public boolean decrementsTtl() {
        return decrementTtl;
    }

    @Override
    public void decrementTtl() {
        decrementTtl = true;
        shaped();
    }

    @Override
    public Optional<Endpoint> source() {
        return Optional.ofNullable(source);
    }

    @Override
    public Optional<Location> sourceLocation() {
        return Optional.ofNullable(sourceLocation);
    }

    @Override
    public void setSource(Endpoint endpoint, Location location) {
        source = endpoint;
        sourceLocation = location;
        shaped();
    }

    @Override
    public Optional<Endpoint> destination() {
        return Optional.ofNullable(destination);
    }

    @Override
    public void setDestination(Endpoint endpoint) {
        destination = endpoint;
        shaped();
    }

    @Override
    public Optional<Delivery> delivery() {
        return Optional.ofNullable(delivery);
    }

    @Override
    public void setDelivery(Delivery d) {
        delivery = d;
        shaped();
    }

    @Override
    public void packetOut(List<OFAction> actions) {
        sw.send(packetOutMessage(actions));
    }

    OFMessage packetOutMessage(List<OFAction> actions) {
        // a null list or action fails here, in the function's turn (the pipeline denies), not later when it is
        // written; an immutable list, as the functions' constants are, is taken as it is
        return DirectMessage.PacketOut.withActions(sw.factory(), packetIn.getBufferId(), inPort,
                List.copyOf(actions), frameUnlessBuffered());
    }

    /** The packet back out, its header rewritten from what it is to {@code target}. */
    OFMessage packetOutRewritten(Header target, boolean decrementTtl, OFPort out) {
        return DirectMessage.PacketOut.rewriting(sw.factory(), packetIn.getBufferId(), inPort, packet.header(),
                target, decrementTtl, out, frameUnlessBuffered());
    }

    /** The frame a PacketOut carries: none when the switch holds the packet in a buffer. */
    private byte[] frameUnlessBuffered() {
        return OFBufferId.NO_BUFFER.equals(packetIn.getBufferId()) ? packetIn.getData() : null;
    }

    @Override
    public void answerArp(MacAddress mac) {
        Arp arp = packet.arp();
        if (arp == null || !arp.isRequest()) {
            throw new IllegalStateException("not an ARP request: " + packet.header());
        }
        reply(new Arp(ArpOpcode.REPLY, mac, arp.targetIp(), arp.senderMac(), arp.senderIp()).toFrame(arp.senderMac()));
    }

    @Override
    public void reply(byte[] frame) {
        sw.send(sw.factory().buildPacketOut()
                .setBufferId(OFBufferId.NO_BUFFER)
                .setInPort(OFPort.CONTROLLER)
                .setActions(List.of(sw.factory().actions().output(inPort, 0xffff)))
                .setData(frame)
                .build());
    }
}
