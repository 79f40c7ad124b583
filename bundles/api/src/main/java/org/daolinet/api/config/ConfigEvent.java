package org.daolinet.api.config;

/**
 * A stored change. {@code previous} is null for {@code ADDED}, {@code current} is null for {@code REMOVED}.
 */
public record ConfigEvent(Type type, ConfigObject current, ConfigObject previous) {

    public enum Type { ADDED, UPDATED, REMOVED }

    public ConfigObject subject() {
        return current != null ? current : previous;
    }

    public ConfigKind kind() {
        return ConfigKind.of(subject());
    }
}
