package org.daolinet.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.daolinet.api.config.Direction;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.InvalidConfigException;
import org.daolinet.api.config.PortRange;
import org.daolinet.api.config.Protocol;
import org.daolinet.api.config.SecurityGroup;
import org.daolinet.api.config.SecurityGroupRule;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.UnderlayMode;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

class ConfigJsonTest {

    private final ConfigJson json = new ConfigJson();

    private <T> T read(String text, Class<T> type) {
        return json.read(text.getBytes(StandardCharsets.UTF_8), type);
    }

    private InvalidConfigException refused(String text, Class<?> type) {
        return assertThrows(InvalidConfigException.class, () -> read(text, type));
    }

    @Test
    void roundTripsEveryValueTypeAsAdminsWriteThem() {
        Host h = new Host("h1", "host one", DatapathId.of(1), "eth0", MacAddress.of("02:00:00:00:00:01"),
                IPv4Address.of("192.168.1.10"), UnderlayMode.L3, null);
        String text = new String(json.toBytes(h), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"dpid\":\"00:00:00:00:00:00:00:01\""), text);
        assertTrue(text.contains("\"underlayMode\":\"l3\""), text);
        assertTrue(text.contains("\"underlayIp\":\"192.168.1.10\""), text);
        assertEquals(h, read(text, Host.class));
        assertEquals(DatapathId.of(0x1f), read(text.replace("\"00:00:00:00:00:00:00:01\"", "\"0x1f\""), Host.class).dpid());
        assertEquals(UnderlayMode.L2, read(text.replace("\"l3\"", "\"L2\""), Host.class).underlayMode());
    }

    @Test
    void portRangesInEveryWrittenForm() {
        String rule = "{\"tenantId\":\"t\",\"name\":\"n\",\"rules\":[{\"direction\":\"ingress\",\"protocol\":\"tcp\","
                + "\"ports\":%s}]}";
        assertEquals(PortRange.of(22), read(String.format(rule, "22"), SecurityGroup.class).rules().get(0).ports());
        assertEquals(new PortRange(1000, 2000), read(String.format(rule, "\"1000-2000\""), SecurityGroup.class)
                .rules().get(0).ports());
        assertEquals(PortRange.ANY, read(String.format(rule, "\"any\""), SecurityGroup.class).rules().get(0).ports());
        assertEquals(new PortRange(5, 6), read(String.format(rule, "{\"min\":5,\"max\":6}"), SecurityGroup.class)
                .rules().get(0).ports());
        InvalidConfigException e = refused(String.format(rule, "\"ssh\""), SecurityGroup.class);
        assertEquals("rules[0].ports", e.field());
        SecurityGroup g = new SecurityGroup("sg", "t", "n", List.of(new SecurityGroupRule(Direction.EGRESS,
                Protocol.UDP, PortRange.of(53), IPv4AddressWithMask.of("10.0.0.0/8"), null)));
        assertEquals(g, read(new String(json.toBytes(g), StandardCharsets.UTF_8), SecurityGroup.class));
    }

    @Test
    void badInputNamesTheField() {
        InvalidConfigException e = refused("{\"vpcId\":\"v\",\"name\":\"s\",\"cidr\":\"10.1.2.3/16\"}", Subnet.class);
        assertEquals("cidr", e.field());
        assertTrue(e.getMessage().contains("host bits set; the network is 10.1.0.0/16"), e.getMessage());
        e = refused("{\"cidr\":\"10.0.0.0/33\"}", Subnet.class);
        assertEquals("cidr", e.field());
        e = refused("{\"gateway\":\"10.0.0.256\"}", Subnet.class);
        assertEquals("gateway", e.field());
        assertTrue(e.getMessage().contains("not an IPv4 address"), e.getMessage());
        e = refused("{\"gateway\":42}", Subnet.class);
        assertEquals("gateway", e.field());
        e = refused("{\"colour\":\"blue\"}", Subnet.class);
        assertEquals("colour", e.field());
        assertEquals("unknown field 'colour'", e.getMessage());
        e = refused("{\"underlayMode\":\"l4\"}", Host.class);
        assertEquals("underlayMode", e.field());
        assertEquals("'l4' is not one of l2, l3", e.getMessage());
        e = refused("{\"name\":", Subnet.class);
        assertEquals(null, e.field());
        assertTrue(e.getMessage().startsWith("malformed JSON"), e.getMessage());
        assertEquals(null, refused("null", Subnet.class).field());
        assertEquals(null, refused("", Subnet.class).field());
        e = refused("[1,2]", Subnet.class);
        assertTrue(e.getMessage().contains("expected an object"), e.getMessage());
    }

    @Test
    void endpointsReadApartShareTheirVpcSubnetAndHostNames() {
        String doc = "{\"id\":\"%s\",\"vpcId\":\"acme-prod\",\"subnetId\":\"acme-web\",\"mac\":\"02:00:00:00:00:%s\","
                + "\"ip\":\"10.0.0.%s\",\"hostId\":\"host-7\",\"portName\":\"tap%s\"}";
        Endpoint a = read(doc.formatted("e1", "01", "11", "1"), Endpoint.class);
        Endpoint b = read(doc.formatted("e2", "02", "12", "2"), Endpoint.class);
        assertEquals("acme-prod", a.vpcId());
        assertSame(a.vpcId(), b.vpcId());
        assertSame(a.subnetId(), b.subnetId());
        assertSame(a.hostId(), b.hostId());
        assertEquals(a, a.withId("e1"));
    }
}
