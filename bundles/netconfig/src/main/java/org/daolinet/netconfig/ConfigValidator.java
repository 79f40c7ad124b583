package org.daolinet.netconfig;

import java.util.ArrayList;
import java.util.List;

import org.daolinet.api.config.ConfigConflictException;
import org.daolinet.api.config.ConfigKind;
import org.daolinet.api.config.ConfigNotFoundException;
import org.daolinet.api.config.ConfigObject;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.FirewallRule;
import org.daolinet.api.config.FloatingIp;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.InvalidConfigException;
import org.daolinet.api.config.LoadBalancer;
import org.daolinet.api.config.NetworkConfigService;
import org.daolinet.api.config.PortForward;
import org.daolinet.api.config.PortRange;
import org.daolinet.api.config.Protocol;
import org.daolinet.api.config.SecurityGroup;
import org.daolinet.api.config.SecurityGroupRule;
import org.daolinet.api.config.SnatRule;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.daolinet.api.config.Vpc;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Checks one configuration change against everything stored. Messages name the field at fault and say what is
 * wrong in an admin's words. Tenants' address spaces are independent: only addresses inside one VPC (or, for the
 * underlay and the outside, across all hosts) must be unique.
 */
final class ConfigValidator {

    private static final int MAX_NAME = 64;

    private final NetworkConfigService config;
    private final EndpointClashIndex endpoints;

    /**
     * @param config the stored configuration, read as it is right before the change
     * @param endpoints the same configuration's endpoints, indexed
     */
    ConfigValidator(NetworkConfigService config, EndpointClashIndex endpoints) {
        this.config = config;
        this.endpoints = endpoints;
    }

    /** Validates {@code object} as a new object or the new state of an existing one (same id). */
    void validate(ConfigObject object) {
        if (object instanceof Tenant t) {
            tenant(t);
        } else if (object instanceof Vpc v) {
            vpc(v);
        } else if (object instanceof Subnet s) {
            subnet(s);
        } else if (object instanceof Host h) {
            host(h);
        } else if (object instanceof Endpoint e) {
            endpoint(e);
        } else if (object instanceof SecurityGroup g) {
            securityGroup(g);
        } else if (object instanceof FirewallRule r) {
            firewallRule(r);
        } else if (object instanceof SnatRule s) {
            snat(s);
        } else if (object instanceof FloatingIp f) {
            floatingIp(f);
        } else if (object instanceof PortForward p) {
            portForward(p);
        } else if (object instanceof LoadBalancer lb) {
            loadBalancer(lb);
        }
    }

    /** Refuses to delete what other objects still use, and lists them. */
    void checkDeletable(ConfigObject target) {
        ConfigKind targetKind = ConfigKind.of(target);
        List<String> users = new ArrayList<>();
        for (ConfigKind kind : ConfigKind.values()) {
            for (ConfigObject o : config.list(kind.type())) {
                if (o != target && references(o).contains(new Ref(targetKind, target.id()))) {
                    users.add(kind.singular() + " " + o.id());
                }
            }
        }
        if (!users.isEmpty()) {
            int shown = Math.min(users.size(), 5);
            throw new ConfigConflictException("id", targetKind.singular() + " " + target.id() + " is still used by "
                    + String.join(", ", users.subList(0, shown))
                    + (users.size() > shown ? " and " + (users.size() - shown) + " more" : "")
                    + "; delete those first");
        }
    }

    record Ref(ConfigKind kind, String id) {
    }

    /** The objects {@code o} refers to; what must exist while it does. */
    static List<Ref> references(ConfigObject o) {
        List<Ref> refs = new ArrayList<>();
        if (o instanceof Vpc v) {
            refs.add(new Ref(ConfigKind.TENANT, v.tenantId()));
        } else if (o instanceof Subnet s) {
            refs.add(new Ref(ConfigKind.VPC, s.vpcId()));
        } else if (o instanceof Endpoint e) {
            refs.add(new Ref(ConfigKind.VPC, e.vpcId()));
            refs.add(new Ref(ConfigKind.SUBNET, e.subnetId()));
            refs.add(new Ref(ConfigKind.HOST, e.hostId()));
            e.securityGroupIds().forEach(g -> refs.add(new Ref(ConfigKind.SECURITY_GROUP, g)));
        } else if (o instanceof SecurityGroup g) {
            refs.add(new Ref(ConfigKind.TENANT, g.tenantId()));
            for (SecurityGroupRule r : g.rules()) {
                if (r.remoteGroupId() != null && !r.remoteGroupId().equals(g.id())) {
                    refs.add(new Ref(ConfigKind.SECURITY_GROUP, r.remoteGroupId()));
                }
            }
        } else if (o instanceof FirewallRule r) {
            refs.add(new Ref(ConfigKind.VPC, r.vpcId()));
        } else if (o instanceof SnatRule s) {
            refs.add(new Ref(ConfigKind.VPC, s.vpcId()));
            refs.add(new Ref(ConfigKind.HOST, s.gatewayHostId()));
        } else if (o instanceof FloatingIp f) {
            refs.add(new Ref(ConfigKind.ENDPOINT, f.endpointId()));
            refs.add(new Ref(ConfigKind.HOST, f.gatewayHostId()));
        } else if (o instanceof PortForward p) {
            refs.add(new Ref(ConfigKind.ENDPOINT, p.endpointId()));
            refs.add(new Ref(ConfigKind.HOST, p.gatewayHostId()));
        } else if (o instanceof LoadBalancer lb) {
            refs.add(new Ref(ConfigKind.VPC, lb.vpcId()));
            lb.members().forEach(m -> refs.add(new Ref(ConfigKind.ENDPOINT, m.endpointId())));
        }
        return refs;
    }

    // ---- per kind ------------------------------------------------------------------------------------------

    private void tenant(Tenant t) {
        name(t.name(), "name");
        for (Tenant other : config.list(Tenant.class)) {
            if (!other.id().equals(t.id()) && other.name().equals(t.name())) {
                throw new ConfigConflictException("name", "tenant " + other.id() + " is already named '" + t.name() + "'");
            }
        }
    }

    private void vpc(Vpc v) {
        exists(Tenant.class, v.tenantId(), "tenantId");
        name(v.name(), "name");
        for (Vpc other : config.list(Vpc.class)) {
            if (!other.id().equals(v.id()) && other.tenantId().equals(v.tenantId()) && other.name().equals(v.name())) {
                throw new ConfigConflictException("name", "VPC " + other.id() + " of tenant " + v.tenantId()
                        + " is already named '" + v.name() + "'");
            }
        }
    }

    private void subnet(Subnet s) {
        exists(Vpc.class, s.vpcId(), "vpcId");
        name(s.name(), "name");
        IPv4AddressWithMask cidr = require(s.cidr(), "cidr");
        int prefix = cidr.getMask().asCidrMaskLength();
        if (prefix < 8 || prefix > 30) {
            throw new InvalidConfigException("cidr", "prefix length /" + prefix + " is outside /8../30");
        }
        IPv4Address network = cidr.getValue().and(cidr.getMask());
        if (!network.equals(cidr.getValue())) {
            throw new InvalidConfigException("cidr", cidr + " has host bits set; the network is " + network + "/"
                    + prefix);
        }
        IPv4Address gateway = require(s.gateway(), "gateway");
        hostAddressIn(cidr, gateway, "gateway");
        for (Subnet other : config.list(Subnet.class)) {
            if (!other.id().equals(s.id()) && other.vpcId().equals(s.vpcId()) && overlap(other.cidr(), cidr)) {
                throw new ConfigConflictException("cidr", cidr + " overlaps subnet " + other.id() + " (" + other.cidr()
                        + ") of the same VPC");
            }
        }
        // shrinking or moving a subnet must not strand its endpoints
        for (Endpoint e : config.list(Endpoint.class)) {
            if (e.subnetId().equals(s.id()) && !cidr.matches(e.ip())) {
                throw new ConfigConflictException("cidr", "endpoint " + e.id() + " (" + e.ip() + ") would fall outside "
                        + cidr);
            }
            if (e.subnetId().equals(s.id()) && e.ip().equals(gateway)) {
                throw new ConfigConflictException("gateway", gateway + " is endpoint " + e.id() + "'s address");
            }
        }
    }

    private void host(Host h) {
        name(h.name(), "name");
        require(h.dpid(), "dpid");
        name(h.underlayPort(), "underlayPort");
        unicast(require(h.underlayMac(), "underlayMac"), "underlayMac");
        IPv4Address ip = require(h.underlayIp(), "underlayIp");
        usableAddress(ip, "underlayIp");
        if (h.underlayGateway() != null) {
            usableAddress(h.underlayGateway(), "underlayGateway");
            if (h.underlayGateway().equals(ip)) {
                throw new InvalidConfigException("underlayGateway", "the underlay gateway cannot be the host itself");
            }
        }
        require(h.underlayMode(), "underlayMode");
        if (h.external() != null) {
            name(h.external().port(), "external.port");
            usableAddress(require(h.external().ip(), "external.ip"), "external.ip");
        }
        for (Host other : config.list(Host.class)) {
            if (other.id().equals(h.id())) {
                continue;
            }
            clash(other.name().equals(h.name()), "name", "host " + other.id() + " is already named '" + h.name() + "'");
            clash(other.dpid().equals(h.dpid()), "dpid", "host " + other.id() + " already has datapath id " + h.dpid());
            clash(other.underlayIp().equals(ip), "underlayIp", "host " + other.id() + " already has underlay address "
                    + ip);
            clash(other.underlayMac().equals(h.underlayMac()), "underlayMac", "host " + other.id()
                    + " already has underlay MAC " + h.underlayMac());
        }
    }

    private void endpoint(Endpoint e) {
        Vpc vpc = exists(Vpc.class, e.vpcId(), "vpcId");
        Subnet subnet = exists(Subnet.class, e.subnetId(), "subnetId");
        if (!subnet.vpcId().equals(vpc.id())) {
            throw new InvalidConfigException("subnetId", "subnet " + subnet.id() + " belongs to VPC " + subnet.vpcId()
                    + ", not " + vpc.id());
        }
        unicast(require(e.mac(), "mac"), "mac");
        if ((e.mac().getLong() >>> 40) == 0xDA || e.mac().equals(Subnet.GATEWAY_MAC)) {
            // da:... are the endpoints' underlay aliases and fe:da:00:00:00:01 the subnets' gateway
            throw new InvalidConfigException("mac", e.mac() + " is reserved by DaoliNet (da:xx:xx:xx:xx:xx and "
                    + Subnet.GATEWAY_MAC + ")");
        }
        IPv4Address ip = require(e.ip(), "ip");
        hostAddressIn(subnet.cidr(), ip, "ip");
        if (ip.equals(subnet.gateway())) {
            throw new InvalidConfigException("ip", ip + " is the gateway of subnet " + subnet.id());
        }
        exists(Host.class, e.hostId(), "hostId");
        name(e.portName(), "portName");
        if (e.name() != null && e.name().length() > MAX_NAME) {
            throw new InvalidConfigException("name", "longer than " + MAX_NAME + " characters");
        }
        List<String> groups = e.securityGroupIds();
        for (int i = 0; i < groups.size(); i++) {
            SecurityGroup g = exists(SecurityGroup.class, groups.get(i), "securityGroupIds[" + i + "]");
            if (!g.tenantId().equals(vpc.tenantId())) {
                throw new InvalidConfigException("securityGroupIds[" + i + "]", "security group " + g.id()
                        + " belongs to another tenant");
            }
        }
        endpoints.withMac(e.vpcId(), e.mac()).filter(other -> !other.id().equals(e.id())).ifPresent(other ->
                clash(true, "mac", "endpoint " + other.id() + " already has MAC " + e.mac() + " in this VPC"));
        endpoints.withIp(e.vpcId(), ip).filter(other -> !other.id().equals(e.id())).ifPresent(other ->
                clash(true, "ip", "endpoint " + other.id() + " already has address " + ip + " in this VPC"));
        endpoints.atPort(e.hostId(), e.portName()).filter(other -> !other.id().equals(e.id())).ifPresent(other ->
                clash(true, "portName", "endpoint " + other.id() + " already uses port " + e.portName() + " on host "
                        + e.hostId()));
        for (LoadBalancer lb : config.list(LoadBalancer.class)) {
            clash(lb.vpcId().equals(e.vpcId()) && lb.vip().equals(ip), "ip", ip + " is the VIP of load balancer "
                    + lb.id());
        }
    }

    private void securityGroup(SecurityGroup g) {
        exists(Tenant.class, g.tenantId(), "tenantId");
        name(g.name(), "name");
        for (SecurityGroup other : config.list(SecurityGroup.class)) {
            clash(!other.id().equals(g.id()) && other.tenantId().equals(g.tenantId()) && other.name().equals(g.name()),
                    "name", "security group " + other.id() + " of tenant " + g.tenantId() + " is already named '"
                            + g.name() + "'");
        }
        for (int i = 0; i < g.rules().size(); i++) {
            SecurityGroupRule r = g.rules().get(i);
            String f = "rules[" + i + "]";
            if (r == null) {
                throw new InvalidConfigException(f, "a rule is required, not null");
            }
            require(r.direction(), f + ".direction");
            Protocol protocol = require(r.protocol(), f + ".protocol");
            ports(protocol, r.ports(), f + ".ports");
            if (r.remoteCidr() != null && r.remoteGroupId() != null) {
                throw new InvalidConfigException(f + ".remoteGroupId", "give remoteCidr or remoteGroupId, not both");
            }
            if (r.remoteGroupId() != null && !r.remoteGroupId().equals(g.id())) {
                SecurityGroup remote = exists(SecurityGroup.class, r.remoteGroupId(), f + ".remoteGroupId");
                if (!remote.tenantId().equals(g.tenantId())) {
                    throw new InvalidConfigException(f + ".remoteGroupId", "security group " + remote.id()
                            + " belongs to another tenant");
                }
            }
        }
    }

    private void firewallRule(FirewallRule r) {
        exists(Vpc.class, r.vpcId(), "vpcId");
        if (r.priority() < 0 || r.priority() > 65535) {
            throw new InvalidConfigException("priority", r.priority() + " is outside 0..65535");
        }
        require(r.direction(), "direction");
        require(r.action(), "action");
        ports(require(r.protocol(), "protocol"), r.ports(), "ports");
    }

    private void snat(SnatRule s) {
        exists(Vpc.class, s.vpcId(), "vpcId");
        gateway(s.gatewayHostId(), "gatewayHostId");
        usableAddress(require(s.externalIp(), "externalIp"), "externalIp");
        for (SnatRule other : config.list(SnatRule.class)) {
            clash(!other.id().equals(s.id()) && other.vpcId().equals(s.vpcId()), "vpcId", "VPC " + s.vpcId()
                    + " already has SNAT rule " + other.id());
        }
    }

    private void floatingIp(FloatingIp f) {
        exists(Endpoint.class, f.endpointId(), "endpointId");
        gateway(f.gatewayHostId(), "gatewayHostId");
        IPv4Address ip = require(f.externalIp(), "externalIp");
        usableAddress(ip, "externalIp");
        for (FloatingIp other : config.list(FloatingIp.class)) {
            if (other.id().equals(f.id())) {
                continue;
            }
            clash(other.externalIp().equals(ip), "externalIp", ip + " is already floating IP " + other.id());
            clash(other.endpointId().equals(f.endpointId()), "endpointId", "endpoint " + f.endpointId()
                    + " already has floating IP " + other.id());
        }
    }

    private void portForward(PortForward p) {
        gateway(p.gatewayHostId(), "gatewayHostId");
        usableAddress(require(p.externalIp(), "externalIp"), "externalIp");
        Protocol protocol = require(p.protocol(), "protocol");
        if (!protocol.hasPorts()) {
            throw new InvalidConfigException("protocol", "port forwarding needs tcp or udp, not " + protocol);
        }
        port(p.externalPort(), "externalPort");
        exists(Endpoint.class, p.endpointId(), "endpointId");
        port(p.internalPort(), "internalPort");
        for (PortForward other : config.list(PortForward.class)) {
            clash(!other.id().equals(p.id()) && other.externalIp().equals(p.externalIp())
                    && other.protocol() == protocol && other.externalPort() == p.externalPort(), "externalPort",
                    p.externalIp() + " " + protocol + "/" + p.externalPort() + " is already forwarded by " + other.id());
        }
    }

    private void loadBalancer(LoadBalancer lb) {
        exists(Vpc.class, lb.vpcId(), "vpcId");
        name(lb.name(), "name");
        IPv4Address vip = require(lb.vip(), "vip");
        boolean inSubnet = config.list(Subnet.class).stream()
                .anyMatch(s -> s.vpcId().equals(lb.vpcId()) && s.cidr().matches(vip));
        if (!inSubnet) {
            throw new InvalidConfigException("vip", vip + " is in no subnet of VPC " + lb.vpcId());
        }
        Protocol protocol = require(lb.protocol(), "protocol");
        if (!protocol.hasPorts()) {
            throw new InvalidConfigException("protocol", "a load balancer needs tcp or udp, not " + protocol);
        }
        port(lb.port(), "port");
        require(lb.algorithm(), "algorithm");
        for (int i = 0; i < lb.members().size(); i++) {
            LoadBalancer.Member m = lb.members().get(i);
            if (m == null) {
                throw new InvalidConfigException("members[" + i + "]", "a member is required, not null");
            }
            Endpoint e = exists(Endpoint.class, m.endpointId(), "members[" + i + "].endpointId");
            if (!e.vpcId().equals(lb.vpcId())) {
                throw new InvalidConfigException("members[" + i + "].endpointId", "endpoint " + e.id()
                        + " is in another VPC");
            }
            port(m.port(), "members[" + i + "].port");
        }
        for (Endpoint e : config.list(Endpoint.class)) {
            clash(e.vpcId().equals(lb.vpcId()) && e.ip().equals(vip), "vip", vip + " is endpoint " + e.id()
                    + "'s address");
        }
        for (LoadBalancer other : config.list(LoadBalancer.class)) {
            clash(!other.id().equals(lb.id()) && other.vpcId().equals(lb.vpcId()) && other.vip().equals(vip)
                    && other.protocol() == protocol && other.port() == lb.port(), "port", vip + " " + protocol + "/"
                    + lb.port() + " is already load balancer " + other.id());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw new InvalidConfigException(field, field + " is required");
        }
        return value;
    }

    private static void name(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigException(field, field + " is required");
        }
        if (value.length() > MAX_NAME) {
            throw new InvalidConfigException(field, field + " is longer than " + MAX_NAME + " characters");
        }
    }

    private <T extends ConfigObject> T exists(Class<T> type, String id, String field) {
        if (id == null || id.isBlank()) {
            throw new InvalidConfigException(field, field + " is required");
        }
        return config.get(type, id).orElseThrow(() -> new ConfigNotFoundException(field,
                ConfigKind.of(type).singular() + " " + id + " does not exist"));
    }

    private void gateway(String hostId, String field) {
        Host h = exists(Host.class, hostId, field);
        if (h.external() == null) {
            throw new InvalidConfigException(field, "host " + h.id() + " is not an external gateway (it has no "
                    + "external port and address)");
        }
    }

    private static void clash(boolean clashes, String field, String message) {
        if (clashes) {
            throw new ConfigConflictException(field, message);
        }
    }

    private static void hostAddressIn(IPv4AddressWithMask cidr, IPv4Address ip, String field) {
        if (!cidr.matches(ip)) {
            throw new InvalidConfigException(field, ip + " is outside " + cidr);
        }
        IPv4Address network = cidr.getValue().and(cidr.getMask());
        IPv4Address broadcast = network.or(cidr.getMask().not());
        if (ip.equals(network) || ip.equals(broadcast)) {
            throw new InvalidConfigException(field, ip + " is the " + (ip.equals(network) ? "network" : "broadcast")
                    + " address of " + cidr);
        }
    }

    private static void usableAddress(IPv4Address ip, String field) {
        if (ip.equals(IPv4Address.NONE) || ip.isBroadcast() || ip.isMulticast() || (ip.getInt() >>> 24) == 127) {
            throw new InvalidConfigException(field, ip + " is not a usable unicast address");
        }
    }

    private static void unicast(MacAddress mac, String field) {
        if (mac.isBroadcast() || mac.isMulticast() || mac.equals(MacAddress.NONE)) {
            throw new InvalidConfigException(field, mac + " is not a unicast MAC address");
        }
    }

    private static void port(int port, String field) {
        if (port < 1 || port > 65535) {
            throw new InvalidConfigException(field, port + " is outside 1..65535");
        }
    }

    private static void ports(Protocol protocol, PortRange ports, String field) {
        if (ports == null || ports.isAny()) {
            return;
        }
        if (!protocol.hasPorts()) {
            throw new InvalidConfigException(field, "protocol " + protocol + " has no ports");
        }
        if (ports.min() < 1 || ports.max() > 65535 || ports.min() > ports.max()) {
            throw new InvalidConfigException(field, ports.min() + "-" + ports.max() + " is not a port range within "
                    + "1..65535");
        }
    }

    private static boolean overlap(IPv4AddressWithMask a, IPv4AddressWithMask b) {
        return a.matches(b.getValue()) || b.matches(a.getValue());
    }
}
