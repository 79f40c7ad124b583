package org.daolinet.shell.config;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.daolinet.api.config.ConfigKind;

/** {@code daolinet:tenants}, {@code daolinet:vpcs}, ...: one table per kind. */
final class ListCommands {

    private ListCommands() {
    }

    abstract static class ListCommand extends ConfigCommand {
        private final ConfigKind kind;

        ListCommand(ConfigKind kind) {
            this.kind = kind;
        }

        @Override
        void run() {
            ConfigTable.print(config.list(kind.type()), out());
        }
    }

    @Service
    @Command(scope = "daolinet", name = "tenants", description = "Lists tenants")
    public static class Tenants extends ListCommand {
        public Tenants() {
            super(ConfigKind.TENANT);
        }
    }

    @Service
    @Command(scope = "daolinet", name = "vpcs", description = "Lists VPCs")
    public static class Vpcs extends ListCommand {
        public Vpcs() {
            super(ConfigKind.VPC);
        }
    }

    @Service
    @Command(scope = "daolinet", name = "subnets", description = "Lists subnets")
    public static class Subnets extends ListCommand {
        public Subnets() {
            super(ConfigKind.SUBNET);
        }
    }

    @Service
    @Command(scope = "daolinet", name = "security-groups", description = "Lists security groups and their rules")
    public static class SecurityGroups extends ListCommand {
        public SecurityGroups() {
            super(ConfigKind.SECURITY_GROUP);
        }
    }

    @Service
    @Command(scope = "daolinet", name = "firewall-rules", description = "Lists VPC firewall rules")
    public static class FirewallRules extends ListCommand {
        public FirewallRules() {
            super(ConfigKind.FIREWALL_RULE);
        }
    }

    @Service
    @Command(scope = "daolinet", name = "snat-rules", description = "Lists outbound NAT rules")
    public static class SnatRules extends ListCommand {
        public SnatRules() {
            super(ConfigKind.SNAT_RULE);
        }
    }

    @Service
    @Command(scope = "daolinet", name = "floating-ips", description = "Lists floating IPs")
    public static class FloatingIps extends ListCommand {
        public FloatingIps() {
            super(ConfigKind.FLOATING_IP);
        }
    }

    @Service
    @Command(scope = "daolinet", name = "port-forwards", description = "Lists inbound port forwards")
    public static class PortForwards extends ListCommand {
        public PortForwards() {
            super(ConfigKind.PORT_FORWARD);
        }
    }

    @Service
    @Command(scope = "daolinet", name = "load-balancers", description = "Lists load balancers")
    public static class LoadBalancers extends ListCommand {
        public LoadBalancers() {
            super(ConfigKind.LOAD_BALANCER);
        }
    }
}
