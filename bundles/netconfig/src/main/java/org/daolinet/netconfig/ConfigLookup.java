package org.daolinet.netconfig;

import java.util.Collection;
import java.util.Optional;

import org.daolinet.api.config.ConfigObject;

/** What the validator may read: the stored configuration as it is right before the change. */
interface ConfigLookup {

    <T extends ConfigObject> Optional<T> get(Class<T> type, String id);

    <T extends ConfigObject> Collection<T> all(Class<T> type);
}
