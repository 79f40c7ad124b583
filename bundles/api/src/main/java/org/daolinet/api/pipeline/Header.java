package org.daolinet.api.pipeline;

import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.TransportPort;

/**
 * The fields of a packet that identify its connection and that flows match and rewrite. Fields a packet does not
 * have are null: no IP fields on ARP, no ports on ICMP.
 */
public record Header(MacAddress ethSrc, MacAddress ethDst, EthType ethType, IPv4Address ipSrc, IPv4Address ipDst,
        IpProtocol ipProto, TransportPort l4Src, TransportPort l4Dst) {

    public boolean isIpv4() {
        return EthType.IPv4.equals(ethType) && ipSrc != null;
    }

    public boolean hasPorts() {
        return l4Src != null && l4Dst != null;
    }

    /** The same connection seen from the other end: sources and destinations swapped. */
    public Header reversed() {
        return new Header(ethDst, ethSrc, ethType, ipDst, ipSrc, ipProto, l4Dst, l4Src);
    }

    public Header withMacs(MacAddress src, MacAddress dst) {
        return new Header(src, dst, ethType, ipSrc, ipDst, ipProto, l4Src, l4Dst);
    }

    public Header withIps(IPv4Address src, IPv4Address dst) {
        return new Header(ethSrc, ethDst, ethType, src, dst, ipProto, l4Src, l4Dst);
    }

    public Header withPorts(TransportPort src, TransportPort dst) {
        return new Header(ethSrc, ethDst, ethType, ipSrc, ipDst, ipProto, src, dst);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(ethSrc).append(" > ").append(ethDst);
        if (ipSrc != null) {
            s.append(' ').append(ipSrc);
            if (l4Src != null) {
                s.append(':').append(l4Src.getPort());
            }
            s.append(" > ").append(ipDst);
            if (l4Dst != null) {
                s.append(':').append(l4Dst.getPort());
            }
            s.append(' ').append(ipProto);
        } else {
            s.append(' ').append(ethType);
        }
        return s.toString();
    }
}
