package org.daolinet.api.pipeline;

/**
 * What a network function decided about a packet.
 *
 * @param kind continue to the next function, deny the connection, or stop because the function answered itself
 * @param reason why a packet was denied, for logs and the drop flow listing; empty otherwise
 */
public record Verdict(Kind kind, String reason) {

    public enum Kind { CONTINUE, DENY, HANDLED }

    /** Go on; rewrites and the delivery the function set on the context stand. */
    public static final Verdict CONTINUE = new Verdict(Kind.CONTINUE, "");

    /** The function answered the packet itself (an ARP reply, a flood): no flows, no later functions. */
    public static final Verdict HANDLED = new Verdict(Kind.HANDLED, "");

    /** Refuse the connection: the pipeline installs a short-lived drop flow so it stops coming back. */
    public static Verdict deny(String reason) {
        return new Verdict(Kind.DENY, reason);
    }
}
