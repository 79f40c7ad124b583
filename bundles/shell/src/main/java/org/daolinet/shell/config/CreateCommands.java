package org.daolinet.shell.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.FirewallRule;
import org.daolinet.api.config.FloatingIp;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.InvalidConfigException;
import org.daolinet.api.config.LoadBalancer;
import org.daolinet.api.config.PortForward;
import org.daolinet.api.config.SecurityGroup;
import org.daolinet.api.config.SnatRule;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.daolinet.api.config.Vpc;

/** {@code daolinet:<kind>-create}: one command per kind, with typed options and completion of referenced ids. */
final class CreateCommands {

    private CreateCommands() {
    }

    @Service
    @Command(scope = "daolinet", name = "tenant-create", description = "Creates a tenant")
    public static class TenantCreate extends ConfigCommand {
        @Option(name = "--id", description = "Id to use (default: generated)")
        String id;
        @Argument(index = 0, name = "name", required = true)
        String name;

        @Override
        void run() {
            create(parse(Tenant.class, fields("id", id, "name", name)));
        }
    }

    @Service
    @Command(scope = "daolinet", name = "vpc-create", description = "Creates a VPC of a tenant")
    public static class VpcCreate extends ConfigCommand {
        @Option(name = "--id", description = "Id to use (default: generated)")
        String id;
        @Option(name = "--tenant", required = true, description = "Tenant id")
        @Completion(IdCompleter.class)
        String tenant;
        @Argument(index = 0, name = "name", required = true)
        String name;

        @Override
        void run() {
            create(parse(Vpc.class, fields("id", id, "tenantId", tenant, "name", name)));
        }
    }

    @Service
    @Command(scope = "daolinet", name = "subnet-create", description = "Creates a subnet in a VPC")
    public static class SubnetCreate extends ConfigCommand {
        @Option(name = "--id", description = "Id to use (default: generated)")
        String id;
        @Option(name = "--vpc", required = true, description = "VPC id")
        @Completion(IdCompleter.class)
        String vpc;
        @Option(name = "--cidr", required = true, description = "e.g. 10.0.0.0/24")
        String cidr;
        @Option(name = "--gateway", required = true, description = "Gateway address inside the CIDR, e.g. 10.0.0.1")
        String gateway;
        @Argument(index = 0, name = "name", required = true)
        String name;

        @Override
        void run() {
            create(parse(Subnet.class, fields("id", id, "vpcId", vpc, "name", name, "cidr", cidr,
                    "gateway", gateway)));
        }
    }

    @Service
    @Command(scope = "daolinet", name = "host-create", description = "Registers a host: one Open vSwitch bridge")
    public static class HostCreate extends ConfigCommand {
        @Option(name = "--id", description = "Id to use (default: generated)")
        String id;
        @Option(name = "--dpid", required = true, description = "The bridge's datapath id, e.g. 00:00:00:00:00:00:00:01")
        String dpid;
        @Option(name = "--underlay-port", required = true, description = "OVS port name towards the underlay")
        String underlayPort;
        @Option(name = "--underlay-mac", required = true, description = "The host's MAC on the underlay")
        String underlayMac;
        @Option(name = "--underlay-ip", required = true, description = "The host's IP on the underlay")
        String underlayIp;
        @Option(name = "--underlay-gateway", description = "The router of the host's underlay segment, for hosts "
                + "that reach others through it")
        String underlayGateway;
        @Option(name = "--mode", description = "Underlay mode: l2 (shared segment, default) or l3 (routed)")
        String mode = "l2";
        @Option(name = "--external-port", description = "Gateway hosts: OVS port towards the outside")
        String externalPort;
        @Option(name = "--external-ip", description = "Gateway hosts: the host's address outside")
        String externalIp;
        @Argument(index = 0, name = "name", required = true)
        String name;

        @Override
        void run() {
            Map<String, Object> external = null;
            if (externalPort != null || externalIp != null) {
                external = fields("port", externalPort, "ip", externalIp);
            }
            create(parse(Host.class, fields("id", id, "name", name, "dpid", dpid, "underlayPort", underlayPort,
                    "underlayMac", underlayMac, "underlayIp", underlayIp, "underlayGateway", underlayGateway,
                    "underlayMode", mode, "external", external)));
        }
    }

    @Service
    @Command(scope = "daolinet", name = "endpoint-create", description = "Declares a container's or VM's port")
    public static class EndpointCreate extends ConfigCommand {
        @Option(name = "--id", description = "Id to use (default: generated)")
        String id;
        @Option(name = "--vpc", required = true, description = "VPC id")
        @Completion(IdCompleter.class)
        String vpc;
        @Option(name = "--subnet", required = true, description = "Subnet id")
        @Completion(IdCompleter.class)
        String subnet;
        @Option(name = "--mac", required = true, description = "The endpoint's MAC")
        String mac;
        @Option(name = "--ip", required = true, description = "The endpoint's IP, inside the subnet")
        String ip;
        @Option(name = "--host", required = true, description = "Host id")
        @Completion(IdCompleter.class)
        String host;
        @Option(name = "--port", required = true, description = "Its OVS port name on that host")
        String port;
        @Option(name = "--security-group", multiValued = true, description = "Security group id (repeatable)")
        @Completion(IdCompleter.class)
        List<String> securityGroups;
        @Argument(index = 0, name = "name", required = false)
        String name;

        @Override
        void run() {
            create(parse(Endpoint.class, fields("id", id, "name", name, "vpcId", vpc, "subnetId", subnet, "mac", mac,
                    "ip", ip, "hostId", host, "portName", port, "securityGroupIds", securityGroups)));
        }
    }

    @Service
    @Command(scope = "daolinet", name = "security-group-create", description = "Creates a security group")
    public static class SecurityGroupCreate extends ConfigCommand {
        @Option(name = "--id", description = "Id to use (default: generated)")
        String id;
        @Option(name = "--tenant", required = true, description = "Tenant id")
        @Completion(IdCompleter.class)
        String tenant;
        @Option(name = "--rule", multiValued = true, description = "A rule: DIRECTION:PROTOCOL[:PORTS[:REMOTE]], e.g. "
                + "ingress:tcp:22:10.0.0.0/8 or ingress:tcp:80-443 or egress:any (REMOTE: a CIDR or a group id)")
        List<String> rules;
        @Argument(index = 0, name = "name", required = true)
        String name;

        @Override
        void run() {
            List<Map<String, Object>> parsed = new ArrayList<>();
            List<String> given = rules == null ? List.of() : rules;
            for (int i = 0; i < given.size(); i++) {
                String[] parts = given.get(i).split(":", 4);
                if (parts.length < 2) {
                    throw new InvalidConfigException("rules[" + i + "]", "'" + given.get(i)
                            + "' is not DIRECTION:PROTOCOL[:PORTS[:REMOTE]]");
                }
                String remote = parts.length > 3 ? parts[3] : null;
                boolean cidr = remote != null && remote.contains("/");
                parsed.add(fields("direction", parts[0], "protocol", parts[1], "ports", parts.length > 2 ? parts[2] : null,
                        "remoteCidr", cidr ? remote : null, "remoteGroupId", cidr ? null : remote));
            }
            create(parse(SecurityGroup.class, fields("id", id, "tenantId", tenant, "name", name, "rules", parsed)));
        }
    }

    @Service
    @Command(scope = "daolinet", name = "firewall-rule-create", description = "Adds a rule to a VPC's perimeter firewall")
    public static class FirewallRuleCreate extends ConfigCommand {
        @Option(name = "--id", description = "Id to use (default: generated)")
        String id;
        @Option(name = "--vpc", required = true, description = "VPC id")
        @Completion(IdCompleter.class)
        String vpc;
        @Option(name = "--priority", description = "Lower is tried first (0..65535, default 100)")
        int priority = 100;
        @Option(name = "--direction", required = true, description = "ingress (into the VPC) or egress")
        String direction;
        @Option(name = "--action", required = true, description = "allow or deny")
        String action;
        @Option(name = "--protocol", description = "any (default), tcp, udp or icmp")
        String protocol = "any";
        @Option(name = "--remote", description = "Peer CIDR (default: anywhere)")
        String remote;
        @Option(name = "--ports", description = "A port or range, tcp and udp only")
        String ports;

        @Override
        void run() {
            create(parse(FirewallRule.class, fields("id", id, "vpcId", vpc, "priority", priority, "direction", direction,
                    "action", action, "protocol", protocol, "remoteCidr", remote, "ports", ports)));
        }
    }

    @Service
    @Command(scope = "daolinet", name = "snat-create", description = "Lets a VPC reach the outside through a gateway host")
    public static class SnatCreate extends ConfigCommand {
        @Option(name = "--id", description = "Id to use (default: generated)")
        String id;
        @Option(name = "--vpc", required = true, description = "VPC id")
        @Completion(IdCompleter.class)
        String vpc;
        @Option(name = "--gateway", required = true, description = "Gateway host id")
        @Completion(IdCompleter.class)
        String gateway;
        @Option(name = "--external-ip", required = true, description = "Address the VPC appears as outside")
        String externalIp;

        @Override
        void run() {
            create(parse(SnatRule.class, fields("id", id, "vpcId", vpc, "gatewayHostId", gateway,
                    "externalIp", externalIp)));
        }
    }

    @Service
    @Command(scope = "daolinet", name = "floating-ip-create", description = "Gives an endpoint a public address")
    public static class FloatingIpCreate extends ConfigCommand {
        @Option(name = "--id", description = "Id to use (default: generated)")
        String id;
        @Option(name = "--endpoint", required = true, description = "Endpoint id")
        @Completion(IdCompleter.class)
        String endpoint;
        @Option(name = "--gateway", required = true, description = "Gateway host id")
        @Completion(IdCompleter.class)
        String gateway;
        @Option(name = "--external-ip", required = true, description = "The public address")
        String externalIp;

        @Override
        void run() {
            create(parse(FloatingIp.class, fields("id", id, "endpointId", endpoint, "gatewayHostId", gateway,
                    "externalIp", externalIp)));
        }
    }

    @Service
    @Command(scope = "daolinet", name = "port-forward-create", description = "Forwards an outside port to an endpoint")
    public static class PortForwardCreate extends ConfigCommand {
        @Option(name = "--id", description = "Id to use (default: generated)")
        String id;
        @Option(name = "--gateway", required = true, description = "Gateway host id")
        @Completion(IdCompleter.class)
        String gateway;
        @Option(name = "--external-ip", required = true, description = "Outside address")
        String externalIp;
        @Option(name = "--protocol", required = true, description = "tcp or udp")
        String protocol;
        @Option(name = "--external-port", required = true, description = "Outside port")
        int externalPort;
        @Option(name = "--endpoint", required = true, description = "Endpoint id")
        @Completion(IdCompleter.class)
        String endpoint;
        @Option(name = "--internal-port", required = true, description = "The endpoint's port")
        int internalPort;

        @Override
        void run() {
            create(parse(PortForward.class, fields("id", id, "gatewayHostId", gateway, "externalIp", externalIp,
                    "protocol", protocol, "externalPort", externalPort, "endpointId", endpoint,
                    "internalPort", internalPort)));
        }
    }

    @Service
    @Command(scope = "daolinet", name = "load-balancer-create", description = "Creates a VIP spread over endpoints")
    public static class LoadBalancerCreate extends ConfigCommand {
        @Option(name = "--id", description = "Id to use (default: generated)")
        String id;
        @Option(name = "--vpc", required = true, description = "VPC id")
        @Completion(IdCompleter.class)
        String vpc;
        @Option(name = "--vip", required = true, description = "The virtual IP, inside a subnet of the VPC")
        String vip;
        @Option(name = "--protocol", required = true, description = "tcp or udp")
        String protocol;
        @Option(name = "--port", required = true, description = "The VIP's port")
        int port;
        @Option(name = "--algorithm", description = "round_robin (default) or source_hash")
        String algorithm = "round_robin";
        @Option(name = "--member", multiValued = true, description = "ENDPOINT_ID:PORT (repeatable)")
        List<String> members;
        @Argument(index = 0, name = "name", required = true)
        String name;

        @Override
        void run() {
            List<Map<String, Object>> parsed = new ArrayList<>();
            List<String> given = members == null ? List.of() : members;
            for (int i = 0; i < given.size(); i++) {
                int colon = given.get(i).lastIndexOf(':');
                if (colon <= 0) {
                    throw new InvalidConfigException("members[" + i + "]", "'" + given.get(i) + "' is not ENDPOINT:PORT");
                }
                String port = given.get(i).substring(colon + 1);
                parsed.add(fields("endpointId", given.get(i).substring(0, colon), "port",
                        port.matches("\\d{1,9}") ? Integer.parseInt(port) : port));
            }
            create(parse(LoadBalancer.class, fields("id", id, "vpcId", vpc, "name", name, "vip", vip,
                    "protocol", protocol, "port", this.port, "algorithm", algorithm, "members", parsed)));
        }
    }
}
