package org.daolinet.shell.config;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.daolinet.api.config.ConfigKind;

final class KindArgument {

    private KindArgument() {
    }

    static ConfigKind parse(String text) {
        return ConfigKind.byName(text).orElseThrow(() -> new IllegalArgumentException("'" + text
                + "' is not a kind; use one of " + Arrays.stream(ConfigKind.values()).map(ConfigKind::plural)
                .collect(Collectors.joining(", "))));
    }
}
