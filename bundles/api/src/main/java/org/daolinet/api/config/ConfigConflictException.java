package org.daolinet.api.config;

/** The change clashes with what is stored: a taken id, a duplicate address, a deletion of something in use. */
public class ConfigConflictException extends ConfigException {

    private static final long serialVersionUID = 1L;

    public ConfigConflictException(String field, String message) {
        super(field, message);
    }
}
