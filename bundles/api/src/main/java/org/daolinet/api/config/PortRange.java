package org.daolinet.api.config;

/** An inclusive range of TCP or UDP ports; {@code 0-0} means any port. */
public record PortRange(int min, int max) {

    public static final PortRange ANY = new PortRange(0, 0);

    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    public boolean isAny() {
        return min == 0 && max == 0;
    }

    public boolean contains(int port) {
        return isAny() || (port >= min && port <= max);
    }

    @Override
    public String toString() {
        return isAny() ? "any" : min == max ? String.valueOf(min) : min + "-" + max;
    }
}
