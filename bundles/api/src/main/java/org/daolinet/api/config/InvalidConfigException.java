package org.daolinet.api.config;

/** A field is missing or malformed, or its value makes no sense (an address outside its subnet ...). */
public class InvalidConfigException extends ConfigException {

    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String field, String message) {
        super(field, message);
    }
}
