package org.daolinet.api.config;

import java.util.List;
import java.util.Locale;

import org.projectfloodlight.openflow.types.IPv4Address;

/** A virtual IP in a VPC whose connections are spread over member endpoints. */
public record LoadBalancer(String id, String vpcId, String name, IPv4Address vip, Protocol protocol, int port,
        Algorithm algorithm, List<Member> members) implements ConfigObject {

    public LoadBalancer {
        members = members == null ? List.of() : List.copyOf(members);
    }

    /** One backend: an endpoint and the port it serves on. */
    public record Member(String endpointId, int port) {
    }

    public enum Algorithm {
        ROUND_ROBIN, SOURCE_HASH;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public LoadBalancer withId(String newId) {
        return new LoadBalancer(newId, vpcId, name, vip, protocol, port, algorithm, members);
    }
}
