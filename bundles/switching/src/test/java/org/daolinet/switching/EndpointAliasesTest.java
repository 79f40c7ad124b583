package org.daolinet.switching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.daolinet.api.config.ConfigObject;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.Host;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.daolinet.api.config.UnderlayMode;
import org.daolinet.api.config.Vpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Underlay aliases: one per endpoint, unique, kept across restarts, and allocated in batches (one store transaction
 * for many endpoints), so that declaring a hundred thousand endpoints does not mean a hundred thousand commits.
 */
class EndpointAliasesTest {

    private static final int ENDPOINTS = 3000;

    @TempDir
    Path dir;

    @Test
    void aliasesAreUniqueBatchedAndSurviveARestart() throws Exception {
        Map<String, MacAddress> first = new HashMap<>();
        long commits;
        try (DatapathFixture controller = new DatapathFixture(dir, freePort(), 10, "vpc")) {
            controller.config.createAll(network());
            long declaredAt = controller.store.revision();
            controller.config.createAll(endpoints());
            awaitAliases(controller);
            commits = controller.store.revision() - declaredAt - 1; // the endpoints' own transaction is one
            for (int i = 0; i < ENDPOINTS; i++) {
                MacAddress alias = controller.directory.aliasOf("e" + i);
                assertTrue(EndpointDirectory.isAlias(alias), alias.toString());
                first.put("e" + i, alias);
            }
        }
        assertEquals(ENDPOINTS, new HashSet<>(first.values()).size(), "every endpoint has an alias of its own");
        // one commit per endpoint before batching; a batch holds up to ALIAS_BATCH (how many it holds depends on how
        // fast the events are applied, hence the loose upper bound)
        assertTrue(commits >= (ENDPOINTS + EndpointDirectory.ALIAS_BATCH - 1) / EndpointDirectory.ALIAS_BATCH
                && commits <= ENDPOINTS / 4, commits + " store commits for " + ENDPOINTS + " aliases");

        try (DatapathFixture restarted = new DatapathFixture(dir, freePort(), 10, "vpc")) {
            assertEquals(0, restarted.directory.aliasesAwaited());
            for (Map.Entry<String, MacAddress> e : first.entrySet()) {
                assertEquals(e.getValue(), restarted.directory.aliasOf(e.getKey()), e.getKey());
            }
            // a new endpoint after the restart gets an alias no one has
            restarted.config.create(endpoint(ENDPOINTS));
            awaitAliases(restarted);
            MacAddress fresh = restarted.directory.aliasOf("e" + ENDPOINTS);
            assertTrue(!first.containsValue(fresh), fresh + " was already given");
        }
    }

    @Test
    void anEndpointMetBeforeItsBatchGetsItsAliasAtOnceAndKeepsIt() throws Exception {
        try (DatapathFixture controller = new DatapathFixture(dir, freePort(), 10, "vpc")) {
            controller.config.createAll(network());
            controller.config.createAll(endpoints());
            // asked for while the batches may still be running: the answer must be the one that stays
            MacAddress early = controller.directory.aliasOf("e" + (ENDPOINTS - 1));
            awaitAliases(controller);
            assertEquals(early, controller.directory.aliasOf("e" + (ENDPOINTS - 1)));
            List<MacAddress> all = new ArrayList<>();
            for (int i = 0; i < ENDPOINTS; i++) {
                all.add(controller.directory.aliasOf("e" + i));
            }
            assertEquals(ENDPOINTS, new HashSet<>(all).size());
        }
    }

    private static void awaitAliases(DatapathFixture controller) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // the events are applied asynchronously, then the aliases are allocated in the background
        while (controller.config.list(Endpoint.class).stream().anyMatch(e -> !controller.directory.hasAlias(e.id()))) {
            assertTrue(System.nanoTime() < deadline, "aliases still awaited: " + controller.directory.aliasesAwaited());
            Thread.sleep(20);
        }
        assertEquals(0, controller.directory.aliasesAwaited());
    }

    private static List<ConfigObject> network() {
        return List.of(new Tenant("t", "t"), new Vpc("v", "t", "v"),
                new Subnet("s", "v", "s", IPv4AddressWithMask.of("10.0.0.0/16"), IPv4Address.of("10.0.0.1")),
                new Host("h1", "h1", DatapathId.of(1), "uplink", MacAddress.of("02:00:00:00:01:01"),
                        IPv4Address.of("192.168.50.1"), UnderlayMode.L2, null));
    }

    private static List<ConfigObject> endpoints() {
        List<ConfigObject> out = new ArrayList<>();
        for (int i = 0; i < ENDPOINTS; i++) {
            out.add(endpoint(i));
        }
        return out;
    }

    private static Endpoint endpoint(int i) {
        return new Endpoint("e" + i, null, "v", "s", MacAddress.of(0x0200_0000_0000L + i + 16),
                IPv4Address.of(0x0A00_0000 + i + 16), "h1", "p" + i, List.of());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
