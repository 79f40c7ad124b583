package org.daolinet.api.config;

import java.util.List;
import java.util.Optional;

/**
 * The declared network: tenants, VPCs, subnets, hosts, endpoints and rules. Every change is validated against
 * everything else before it is stored; a refused change leaves nothing behind. Stored changes survive restarts
 * and are announced to {@link NetworkConfigListener} services.
 */
public interface NetworkConfigService {

    /**
     * Stores a new object. A blank id is replaced by a generated one.
     *
     * @return the stored object, with its id
     * @throws InvalidConfigException a field is missing or wrong
     * @throws ConfigConflictException the id is taken, or the object clashes with another (duplicate address ...)
     * @throws ConfigNotFoundException a referenced object does not exist
     */
    <T extends ConfigObject> T create(T object);

    /**
     * Stores several new objects, each validated as by {@link #create} against what is stored and the objects
     * before it in the list (so a list may hold a VPC and then its subnets). The controller's own implementation
     * stores all of them in one transaction, or none if one is refused; this default creates them one by one.
     *
     * @return the stored objects, with their ids, in the same order
     */
    default List<ConfigObject> createAll(List<? extends ConfigObject> objects) {
        List<ConfigObject> out = new java.util.ArrayList<>(objects.size());
        for (ConfigObject o : objects) {
            out.add(create(o));
        }
        return out;
    }

    /** Replaces an existing object (same id), validated as on create. */
    <T extends ConfigObject> T update(T object);

    <T extends ConfigObject> Optional<T> get(Class<T> type, String id);

    /** Every object of a kind, ordered by id. */
    <T extends ConfigObject> List<T> list(Class<T> type);

    /**
     * Removes an object.
     *
     * @return the removed object
     * @throws ConfigNotFoundException there is none with that id
     * @throws ConfigConflictException other objects still use it (a VPC with endpoints ...)
     */
    <T extends ConfigObject> T delete(Class<T> type, String id);
}
