package org.daolinet.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.daolinet.api.openflow.SwitchService;
import org.daolinet.emulator.EmulatedSwitch;
import org.daolinet.emulator.SwitchEmulator;
import org.daolinet.emulator.SwitchProfile;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;
import org.osgi.util.tracker.ServiceTracker;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * Boots the DaoliNet distribution this reactor built, exactly as an admin would run it, and checks what an
 * admin relies on: the bundles are active, the services are there, switches can connect, the shell shows
 * them, and a feature can be uninstalled and installed again in the running container.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DaolinetContainerIT extends DaolinetTestSupport {

    private static final Set<String> DAOLINET_BUNDLES = Set.of("org.daolinet.api", "org.daolinet.openflow-codec",
            "org.daolinet.openflow", "org.daolinet.shell", "org.daolinet.store", "org.daolinet.json",
            "org.daolinet.netconfig", "org.daolinet.topology", "org.daolinet.rest");

    @Test
    public void everyDaolinetBundleIsActive() throws Exception {
        Set<String> active = waitForActiveDaolinetBundles(DAOLINET_BUNDLES);
        assertTrue("active DaoliNet bundles " + active, active.containsAll(DAOLINET_BUNDLES));
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().startsWith("org.daolinet.") && !b.getSymbolicName().equals("org.daolinet.switch-emulator")) {
                assertEquals(b.getSymbolicName() + " state", Bundle.ACTIVE, b.getState());
            }
        }
    }

    @Test
    public void openFlowPortGreetsWithHello() throws Exception {
        byte[] header = readHello(Integer.parseInt(port()), 30);
        assertEquals("OpenFlow 1.3 header", 0x04, header[0]);
        assertEquals("HELLO type", 0, header[1]);
    }

    @Test
    public void switchesAndPortsCommandsShowConnectedSwitches() throws Exception {
        SwitchService switches = service(SwitchService.class);
        InetSocketAddress controller = new InetSocketAddress("127.0.0.1", Integer.parseInt(port()));
        try (SwitchEmulator emulator = new SwitchEmulator(1, null)) {
            EmulatedSwitch of13 = emulator.connect(controller, SwitchProfile.of(0xa1, OFVersion.OF_13, 3));
            EmulatedSwitch of10 = emulator.connect(controller, SwitchProfile.of(0xa2, OFVersion.OF_10, 2));
            of13.ready().get(30, TimeUnit.SECONDS);
            of10.ready().get(30, TimeUnit.SECONDS);
            waitUntil(() -> switches.switches().size() == 2, 10, "both emulated switches registered");

            String listing = execute("daolinet:switches");
            assertTrue(listing, listing.contains(DatapathId.of(0xa1).toString()));
            assertTrue(listing, listing.contains(DatapathId.of(0xa2).toString()));
            assertTrue(listing, listing.contains("1.3"));
            assertTrue(listing, listing.contains("1.0"));
            assertTrue(listing, listing.contains("2 switch(es)"));

            String ports = execute("daolinet:ports " + DatapathId.of(0xa1));
            for (int i = 1; i <= 3; i++) {
                assertTrue(ports, ports.contains("sa1-eth" + i));
            }
            String ports10 = execute("daolinet:ports 0xa2");
            assertTrue(ports10, ports10.contains("sa2-eth2"));

            String unknown = executeExpectingError("daolinet:ports 0xdead");
            assertTrue(unknown, unknown.contains("no switch 00:00:00:00:00:00:de:ad is connected"));
            String garbage = executeExpectingError("daolinet:ports not-a-dpid");
            assertTrue(garbage, garbage.contains("is not a datapath id"));
        }
    }

    @Test
    public void openflowFeatureCanBeUninstalledAndInstalledAgain() throws Exception {
        waitForActiveDaolinetBundles(DAOLINET_BUNDLES);
        int port = Integer.parseInt(port());
        readHello(port, 30);
        String version = features.getFeature("daolinet-openflow").getVersion();
        EnumSet<FeaturesService.Option> noRefresh = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);

        features.uninstallFeature("daolinet-openflow", version, noRefresh);
        assertFalse("openflow bundle gone after uninstall", bundleNames().contains("org.daolinet.openflow"));
        waitUntil(() -> !listening(port), 10, "port " + port + " closed after uninstall");

        features.installFeature("daolinet-openflow", version, noRefresh);
        waitForActiveDaolinetBundles(Set.of("org.daolinet.openflow"));
        byte[] header = readHello(port, 30);
        assertEquals(0x04, header[0]);
        assertNotNull(service(SwitchService.class));
    }

    /**
     * The southbound and the configuration store each have listeners that need them (topology, pipeline, endpoint
     * directory). Restarting either brings its listeners back with it, and that must be wired without a cycle:
     * Felix breaks one by failing a service lookup half-way and logs an ERROR with a stack trace (from its async
     * event queue). At boot it depends on the order the bundles start in; a restart makes it happen every time.
     */
    @Test
    public void restartingTheSouthboundOrTheConfigStoreWiresTheirListenersWithoutACycle() throws Exception {
        waitForActiveDaolinetBundles(DAOLINET_BUNDLES);
        for (String name : List.of("org.daolinet.netconfig", "org.daolinet.openflow")) {
            Bundle bundle = Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals(name))
                    .findFirst().orElseThrow();
            bundle.stop();
            bundle.start();
            waitForActiveDaolinetBundles(DAOLINET_BUNDLES);
        }
        // the listeners are back: each whiteboard is active with the topology's (and pipeline's) listeners bound
        ServiceComponentRuntime scr = service(ServiceComponentRuntime.class);
        waitUntil(() -> boundListeners(scr, "org.daolinet.openflow.ListenerWhiteboard", "SwitchListener") > 0
                && boundListeners(scr, "org.daolinet.openflow.ListenerWhiteboard", "PacketInListener") > 0
                && boundListeners(scr, "org.daolinet.netconfig.ConfigListenerWhiteboard", "Listener") > 0, 30,
                "the whiteboards active with their listeners bound");
        readHello(Integer.parseInt(port()), 30);
        Thread.sleep(1000); // Felix logs from its own event queue
        List<String> cycles = karafLog().stream()
                .filter(l -> l.contains("resulted in a cycle") || l.contains("Could not get service from ref"))
                .collect(Collectors.toList());
        assertEquals("service wiring problems in karaf.log", List.of(), cycles);
    }

    /** How many services the active component {@code component} has bound to its reference {@code reference}. */
    private static int boundListeners(ServiceComponentRuntime scr, String component, String reference) {
        int bound = 0;
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!d.name.equals(component)) {
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state != ComponentConfigurationDTO.ACTIVE) {
                    continue;
                }
                for (SatisfiedReferenceDTO r : c.satisfiedReferences) {
                    if (r.name.equals(reference)) {
                        bound += r.boundServices.length;
                    }
                }
            }
        }
        return bound;
    }

    private static List<String> karafLog() throws IOException {
        java.nio.file.Path log = java.nio.file.Path.of(System.getProperty("karaf.log"), "karaf.log");
        assertTrue("karaf.log at " + log, java.nio.file.Files.isRegularFile(log));
        return java.nio.file.Files.readAllLines(log);
    }

}
