package org.daolinet.api.config;

import java.util.Arrays;
import java.util.Optional;

/** Every kind of configuration object, with the plural noun that names it in the shell and the REST API. */
public enum ConfigKind {
    TENANT("tenants", Tenant.class, "t"),
    VPC("vpcs", Vpc.class, "vpc"),
    SUBNET("subnets", Subnet.class, "sn"),
    HOST("hosts", Host.class, "h"),
    ENDPOINT("endpoints", Endpoint.class, "ep"),
    SECURITY_GROUP("security-groups", SecurityGroup.class, "sg"),
    FIREWALL_RULE("firewall-rules", FirewallRule.class, "fw"),
    SNAT_RULE("snat-rules", SnatRule.class, "snat"),
    FLOATING_IP("floating-ips", FloatingIp.class, "fip"),
    PORT_FORWARD("port-forwards", PortForward.class, "pf"),
    LOAD_BALANCER("load-balancers", LoadBalancer.class, "lb");

    private final String plural;
    private final Class<? extends ConfigObject> type;
    private final String idPrefix;

    ConfigKind(String plural, Class<? extends ConfigObject> type, String idPrefix) {
        this.plural = plural;
        this.type = type;
        this.idPrefix = idPrefix;
    }

    public String plural() {
        return plural;
    }

    /** The noun for one object, as messages and the shell use it: {@code security group}, {@code VPC}. */
    public String singular() {
        return this == VPC ? "VPC" : plural.substring(0, plural.length() - 1).replace('-', ' ');
    }

    public Class<? extends ConfigObject> type() {
        return type;
    }

    /** Generated ids start with this, so that an id alone tells an admin what it names. */
    public String idPrefix() {
        return idPrefix;
    }

    public static ConfigKind of(Class<? extends ConfigObject> type) {
        ConfigKind k = ByType.KINDS.get(type); // on the PacketIn path: no values() copy and scan
        if (k == null) {
            throw new IllegalArgumentException("not a configuration type: " + type);
        }
        return k;
    }

    /** Immutable lookup table, built once when first used. */
    private static final class ByType {
        static final java.util.Map<Class<?>, ConfigKind> KINDS;

        static {
            java.util.Map<Class<?>, ConfigKind> m = new java.util.HashMap<>();
            for (ConfigKind k : values()) {
                m.put(k.type, k);
            }
            KINDS = java.util.Map.copyOf(m);
        }
    }

    public static ConfigKind of(ConfigObject object) {
        return of(object.getClass());
    }

    /** Finds a kind by its plural noun ({@code tenants}) or its singular ({@code tenant}). */
    public static Optional<ConfigKind> byName(String name) {
        return Arrays.stream(values())
                .filter(k -> k.plural.equals(name) || k.plural.equals(name + "s") || k.plural.equals(name + "es"))
                .findFirst();
    }
}
