package org.daolinet.api.config;

/** The object, or one it refers to, does not exist. */
public class ConfigNotFoundException extends ConfigException {

    private static final long serialVersionUID = 1L;

    public ConfigNotFoundException(String field, String message) {
        super(field, message);
    }
}
