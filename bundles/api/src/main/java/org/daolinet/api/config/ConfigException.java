package org.daolinet.api.config;

/** A refused configuration change; {@link #field()} names the input at fault when there is one. */
public abstract class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    protected ConfigException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field at fault (for example {@code cidr} or {@code securityGroupIds[1]}), or null. */
    public String field() {
        return field;
    }
}
