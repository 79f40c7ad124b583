package org.daolinet.netconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.daolinet.api.config.ConfigConflictException;
import org.daolinet.api.config.ConfigEvent;
import org.daolinet.api.config.ConfigException;
import org.daolinet.api.config.ConfigNotFoundException;
import org.daolinet.api.config.Direction;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.ExternalGateway;
import org.daolinet.api.config.FloatingIp;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.InvalidConfigException;
import org.daolinet.api.config.LoadBalancer;
import org.daolinet.api.config.PortRange;
import org.daolinet.api.config.Protocol;
import org.daolinet.api.config.SecurityGroup;
import org.daolinet.api.config.SecurityGroupRule;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.daolinet.api.config.UnderlayMode;
import org.daolinet.api.config.Vpc;
import org.daolinet.store.MvKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The two-tenant, three-host network of the README, with overlapping subnets, built through the real service on
 * the real store; then every kind of bad input, each refused with the field named and nothing stored.
 */
class NetworkConfigManagerTest {

    @TempDir
    Path dir;

    private MvKeyValueStore store;
    private NetworkConfigManager config;
    private final List<ConfigEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        store = new MvKeyValueStore(dir.resolve("store.mv.db"));
        config = new NetworkConfigManager(store);
        config.addListener(events::add);
    }

    @AfterEach
    void close() {
        config.deactivate();
        store.close();
    }

    private static IPv4Address ip(String s) {
        return IPv4Address.of(s);
    }

    private static MacAddress mac(String s) {
        return MacAddress.of(s);
    }

    private static Host host(String id, long dpid, String underlay) {
        return new Host(id, id, DatapathId.of(dpid), "eth0", MacAddress.of(0x0200_0000_0000L | dpid), ip(underlay),
                UnderlayMode.L2, null);
    }

    /** Two tenants whose VPCs both use 10.0.0.0/24, on three hosts. */
    private void twoTenantsThreeHosts() {
        config.create(new Tenant("acme", "Acme"));
        config.create(new Tenant("globex", "Globex"));
        config.create(new Vpc("acme-net", "acme", "prod"));
        config.create(new Vpc("globex-net", "globex", "prod"));
        config.create(new Subnet("acme-web", "acme-net", "web", IPv4AddressWithMask.of("10.0.0.0/24"), ip("10.0.0.1")));
        config.create(new Subnet("globex-web", "globex-net", "web", IPv4AddressWithMask.of("10.0.0.0/24"),
                ip("10.0.0.1")));
        for (int h = 1; h <= 3; h++) {
            config.create(host("h" + h, h, "192.168.50." + h));
        }
        config.create(new Endpoint("a1", "a1", "acme-net", "acme-web", mac("02:00:0a:00:00:0a"), ip("10.0.0.10"),
                "h1", "veth-a1", List.of()));
        config.create(new Endpoint("a2", "a2", "acme-net", "acme-web", mac("02:00:0a:00:00:0b"), ip("10.0.0.11"),
                "h2", "veth-a2", List.of()));
        // same MAC and IP as a1, other tenant: allowed
        config.create(new Endpoint("g1", "g1", "globex-net", "globex-web", mac("02:00:0a:00:00:0a"), ip("10.0.0.10"),
                "h3", "veth-g1", List.of()));
    }

    private <E extends ConfigException> void refused(Class<E> type, String field, String messagePart, Runnable change) {
        long before = store.revision();
        E e = assertThrows(type, change::run);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), "message: " + e.getMessage());
        assertEquals(before, store.revision(), "a refused change stores nothing");
    }

    @Test
    void aBatchIsStoredInOneTransactionAndValidatedAgainstItself() throws Exception {
        long before = store.revision();
        List<org.daolinet.api.config.ConfigObject> stored = config.createAll(List.of(
                new Tenant("acme", "Acme"),
                new Vpc("acme-net", "acme", "prod"),
                new Subnet("acme-web", "acme-net", "web", IPv4AddressWithMask.of("10.0.0.0/24"), ip("10.0.0.1")),
                host("h1", 1, "192.168.50.1"),
                new Endpoint(null, "a1", "acme-net", "acme-web", mac("02:00:0a:00:00:0a"), ip("10.0.0.10"), "h1",
                        "veth-a1", List.of())));
        assertEquals(before + 1, store.revision(), "one commit for the whole batch");
        assertEquals(5, stored.size());
        assertTrue(stored.get(4).id().startsWith("ep-"), "a generated id: " + stored.get(4).id());
        assertEquals(1, config.list(Endpoint.class).size());
        // a clash inside the batch (same IP twice in one VPC) refuses all of it, the good first half included
        refused(ConfigConflictException.class, "ip", "already has address 10.0.0.20", () -> config.createAll(List.of(
                new Endpoint("a2", "a2", "acme-net", "acme-web", mac("02:00:0a:00:00:0b"), ip("10.0.0.20"), "h1",
                        "veth-a2", List.of()),
                new Endpoint("a3", "a3", "acme-net", "acme-web", mac("02:00:0a:00:00:0c"), ip("10.0.0.20"), "h1",
                        "veth-a3", List.of()))));
        // and a clash with what is stored, found through the index as create() finds it
        refused(ConfigConflictException.class, "portName", "already uses port veth-a1", () -> config.createAll(
                List.of(new Endpoint("a4", "a4", "acme-net", "acme-web", mac("02:00:0a:00:00:0d"), ip("10.0.0.21"),
                        "h1", "veth-a1", List.of()))));
        refused(ConfigConflictException.class, "mac", "already has MAC", () -> config.create(new Endpoint("a5", "a5",
                "acme-net", "acme-web", mac("02:00:0a:00:00:0a"), ip("10.0.0.22"), "h1", "veth-a5", List.of())));
        assertEquals(1, config.list(Endpoint.class).size());
        // an endpoint that changes its MAC frees the old one
        Endpoint a1 = config.list(Endpoint.class).get(0);
        config.update(new Endpoint(a1.id(), "a1", "acme-net", "acme-web", mac("02:00:0a:00:00:ff"), a1.ip(), "h1",
                "veth-a1", List.of()));
        config.create(new Endpoint("a6", "a6", "acme-net", "acme-web", mac("02:00:0a:00:00:0a"), ip("10.0.0.23"), "h1",
                "veth-a6", List.of()));
        assertEquals(2, config.list(Endpoint.class).size());
    }

    @Test
    void overlappingTenantsAreAccepted() throws Exception {
        twoTenantsThreeHosts();
        assertEquals(3, config.list(Endpoint.class).size());
        assertEquals(List.of("a1", "a2", "g1"), config.list(Endpoint.class).stream().map(Endpoint::id).toList());
        Thread.sleep(200);
        assertEquals(12, events.size());
        assertTrue(events.stream().allMatch(e -> e.type() == ConfigEvent.Type.ADDED));
    }

    @Test
    void badInputIsRefusedWithTheFieldNamed() {
        twoTenantsThreeHosts();
        IPv4AddressWithMask web = IPv4AddressWithMask.of("10.0.0.0/24");
        refused(ConfigNotFoundException.class, "tenantId", "tenant nobody does not exist",
                () -> config.create(new Vpc(null, "nobody", "x")));
        refused(InvalidConfigException.class, "name", "name is required", () -> config.create(new Tenant(null, " ")));
        refused(ConfigConflictException.class, "name", "already named 'Acme'",
                () -> config.create(new Tenant(null, "Acme")));
        refused(InvalidConfigException.class, "id", "not a valid id", () -> config.create(new Tenant("bad id!", "x")));
        refused(ConfigConflictException.class, "id", "tenant acme already exists",
                () -> config.create(new Tenant("acme", "other")));
        refused(InvalidConfigException.class, "cidr", "prefix length /31 is outside /8../30",
                () -> config.create(new Subnet(null, "acme-net", "s", IPv4AddressWithMask.of("10.1.2.0/31"),
                        ip("10.1.2.1"))));
        refused(InvalidConfigException.class, "gateway", "outside 10.2.0.0/24",
                () -> config.create(new Subnet(null, "acme-net", "s", IPv4AddressWithMask.of("10.2.0.0/24"),
                        ip("10.3.0.1"))));
        refused(ConfigConflictException.class, "cidr", "overlaps subnet acme-web",
                () -> config.create(new Subnet(null, "acme-net", "s", IPv4AddressWithMask.of("10.0.0.128/25"),
                        ip("10.0.0.129"))));
        refused(InvalidConfigException.class, "ip", "outside 10.0.0.0/24",
                () -> config.create(new Endpoint(null, "x", "acme-net", "acme-web", mac("02:00:00:00:00:99"),
                        ip("10.9.0.5"), "h1", "p9", List.of())));
        refused(InvalidConfigException.class, "ip", "gateway of subnet acme-web",
                () -> config.create(new Endpoint(null, "x", "acme-net", "acme-web", mac("02:00:00:00:00:99"),
                        ip("10.0.0.1"), "h1", "p9", List.of())));
        refused(InvalidConfigException.class, "ip", "broadcast address",
                () -> config.create(new Endpoint(null, "x", "acme-net", "acme-web", mac("02:00:00:00:00:99"),
                        ip("10.0.0.255"), "h1", "p9", List.of())));
        refused(ConfigConflictException.class, "ip", "endpoint a1 already has address 10.0.0.10",
                () -> config.create(new Endpoint(null, "x", "acme-net", "acme-web", mac("02:00:00:00:00:99"),
                        ip("10.0.0.10"), "h1", "p9", List.of())));
        refused(ConfigConflictException.class, "mac", "endpoint a1 already has MAC",
                () -> config.create(new Endpoint(null, "x", "acme-net", "acme-web", mac("02:00:0a:00:00:0a"),
                        ip("10.0.0.99"), "h1", "p9", List.of())));
        refused(InvalidConfigException.class, "mac", "not a unicast MAC",
                () -> config.create(new Endpoint(null, "x", "acme-net", "acme-web", mac("ff:ff:ff:ff:ff:ff"),
                        ip("10.0.0.99"), "h1", "p9", List.of())));
        refused(InvalidConfigException.class, "subnetId", "belongs to VPC globex-net",
                () -> config.create(new Endpoint(null, "x", "acme-net", "globex-web", mac("02:00:00:00:00:99"),
                        ip("10.0.0.99"), "h1", "p9", List.of())));
        refused(ConfigConflictException.class, "portName", "already uses port veth-a1",
                () -> config.create(new Endpoint(null, "x", "acme-net", "acme-web", mac("02:00:00:00:00:99"),
                        ip("10.0.0.99"), "h1", "veth-a1", List.of())));
        refused(ConfigNotFoundException.class, "securityGroupIds[0]", "security group sg-x does not exist",
                () -> config.create(new Endpoint(null, "x", "acme-net", "acme-web", mac("02:00:00:00:00:99"),
                        ip("10.0.0.99"), "h1", "p9", List.of("sg-x"))));
        refused(ConfigConflictException.class, "dpid", "already has datapath id",
                () -> config.create(host("h9", 1, "192.168.50.9")));
        refused(ConfigConflictException.class, "underlayIp", "already has underlay address",
                () -> config.create(host("h9", 9, "192.168.50.1")));
        refused(InvalidConfigException.class, "rules[0].ports", "protocol icmp has no ports",
                () -> config.create(new SecurityGroup(null, "acme", "icmp", List.of(new SecurityGroupRule(
                        Direction.INGRESS, Protocol.ICMP, PortRange.of(22), null, null)))));
        refused(InvalidConfigException.class, "rules[0].ports", "not a port range",
                () -> config.create(new SecurityGroup(null, "acme", "ssh", List.of(new SecurityGroupRule(
                        Direction.INGRESS, Protocol.TCP, new PortRange(30, 20), null, null)))));
        refused(InvalidConfigException.class, "gatewayHostId", "not an external gateway",
                () -> config.create(new FloatingIp(null, "a1", "h1", ip("203.0.113.5"))));
        refused(InvalidConfigException.class, "members[0].endpointId", "in another VPC",
                () -> config.create(new LoadBalancer(null, "acme-net", "lb", ip("10.0.0.200"), Protocol.TCP, 80,
                        LoadBalancer.Algorithm.ROUND_ROBIN, List.of(new LoadBalancer.Member("g1", 8080)))));
        refused(InvalidConfigException.class, "vip", "in no subnet of VPC acme-net",
                () -> config.create(new LoadBalancer(null, "acme-net", "lb", ip("10.7.0.200"), Protocol.TCP, 80,
                        LoadBalancer.Algorithm.ROUND_ROBIN, List.of())));
        refused(ConfigConflictException.class, "cidr", "endpoint a1 (10.0.0.10) would fall outside",
                () -> config.update(new Subnet("acme-web", "acme-net", "web", IPv4AddressWithMask.of("10.0.1.0/24"),
                        ip("10.0.1.1"))));
        assertEquals(web, config.get(Subnet.class, "acme-web").orElseThrow().cidr());
    }

    @Test
    void deletingWhatIsInUseIsRefused() {
        twoTenantsThreeHosts();
        refused(ConfigConflictException.class, "id", "VPC acme-net is still used by subnet acme-web",
                () -> config.delete(Vpc.class, "acme-net"));
        refused(ConfigConflictException.class, "id", "host h1 is still used by endpoint a1",
                () -> config.delete(Host.class, "h1"));
        refused(ConfigNotFoundException.class, "id", "does not exist", () -> config.delete(Tenant.class, "nobody"));
        config.delete(Endpoint.class, "a1");
        config.delete(Endpoint.class, "a2");
        config.delete(Subnet.class, "acme-web");
        config.delete(Vpc.class, "acme-net");
        config.delete(Tenant.class, "acme");
        assertEquals(List.of("globex"), config.list(Tenant.class).stream().map(Tenant::id).toList());
    }

    @Test
    void gatewaysAndFloatingIps() {
        twoTenantsThreeHosts();
        Host gw = new Host("gw", "gw", DatapathId.of(99), "eth0", mac("02:00:00:00:00:63"), ip("192.168.50.99"),
                UnderlayMode.L3, new ExternalGateway("eth1", ip("203.0.113.1")));
        config.create(gw);
        FloatingIp fip = config.create(new FloatingIp(null, "a1", "gw", ip("203.0.113.10")));
        assertTrue(fip.id().startsWith("fip-"), fip.id());
        refused(ConfigConflictException.class, "externalIp", "is already floating IP",
                () -> config.create(new FloatingIp(null, "a2", "gw", ip("203.0.113.10"))));
        refused(ConfigConflictException.class, "id", "endpoint a1 is still used by floating ip " + fip.id(),
                () -> config.delete(Endpoint.class, "a1"));
    }

    @Test
    void everythingSurvivesARestartWithoutDuplicates() {
        twoTenantsThreeHosts();
        config.create(new SecurityGroup("web-sg", "acme", "web", List.of(new SecurityGroupRule(Direction.INGRESS,
                Protocol.TCP, new PortRange(80, 443), IPv4AddressWithMask.of("0.0.0.0/0"), null))));
        List<Object> before = List.of(config.list(Tenant.class), config.list(Vpc.class), config.list(Subnet.class),
                config.list(Host.class), config.list(Endpoint.class), config.list(SecurityGroup.class));
        close();
        open();
        List<Object> after = List.of(config.list(Tenant.class), config.list(Vpc.class), config.list(Subnet.class),
                config.list(Host.class), config.list(Endpoint.class), config.list(SecurityGroup.class));
        assertEquals(before, after);
        assertEquals(3, config.list(Endpoint.class).size());
        refused(ConfigConflictException.class, "id", "already exists", () -> config.create(new Tenant("acme", "x")));
    }
}
