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
public class DaolinetContainerIT {

    private static final String OPENFLOW_PORT = System.getProperty("daolinet.itest.openflow.port",
            String.valueOf(freePort()));
    private static final Set<String> DAOLINET_BUNDLES = Set.of("org.daolinet.api", "org.daolinet.openflow-codec",
            "org.daolinet.openflow", "org.daolinet.shell");

    @Inject
    BundleContext context;

    @Inject
    FeaturesService features;

    @Inject
    SessionFactory sessionFactory;

    @Configuration
    public Option[] config() {
        String karafVersion = System.getProperty("karaf.version");
        String lib = "lib/endorsed/org.apache.karaf.specs.";
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(new File(System.getProperty("daolinet.distribution")).toURI().toString())
                    .karafVersion(karafVersion)
                    .name("DaoliNet")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            keepRuntimeFolder(),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            // the container uses only its own system/ folder and the local Maven repository: no network
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
            editConfigurationFilePut("etc/org.daolinet.openflow.cfg", "port", OPENFLOW_PORT),
            editConfigurationFilePut("etc/org.daolinet.openflow.cfg", "address", "127.0.0.1"),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
            systemProperty("daolinet.itest.openflow.port").value(OPENFLOW_PORT),
            // the emulator drives switches from inside the container; it needs Netty whatever feature is removed
            features("mvn:org.daolinet/daolinet-features/" + System.getProperty("project.version") + "/xml/features",
                    "daolinet-openflow-codec"),
            bundle(new File(System.getProperty("daolinet.emulator.jar")).toURI().toString()),
            // what bin/karaf adds on JDK 17 and Pax Exam's launcher does not
            vmOption("--add-reads=java.xml=java.logging"),
            vmOption("--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED"),
            vmOption("--patch-module"),
            vmOption("java.base=" + lib + "locator-" + karafVersion + ".jar"),
            vmOption("--patch-module"),
            vmOption("java.xml=" + lib + "java.xml-" + karafVersion + ".jar"),
            vmOption("--add-opens"),
            vmOption("java.base/java.security=ALL-UNNAMED"),
            vmOption("--add-opens"),
            vmOption("java.base/java.net=ALL-UNNAMED"),
            vmOption("--add-opens"),
            vmOption("java.base/java.lang=ALL-UNNAMED"),
            vmOption("--add-opens"),
            vmOption("java.base/java.util=ALL-UNNAMED"),
            vmOption("--add-opens"),
            vmOption("java.naming/javax.naming.spi=ALL-UNNAMED"),
            vmOption("--add-opens"),
            vmOption("java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED"),
        };
    }

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

    // ---- helpers -------------------------------------------------------------------------------------------

    private static String port() {
        return System.getProperty("daolinet.itest.openflow.port");
    }

    private Set<String> bundleNames() {
        return Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName).collect(Collectors.toSet());
    }

    private Set<String> waitForActiveDaolinetBundles(Set<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Set<String> active;
        do {
            active = new TreeSet<>();
            for (Bundle b : context.getBundles()) {
                if (b.getSymbolicName().startsWith("org.daolinet.") && b.getState() == Bundle.ACTIVE) {
                    active.add(b.getSymbolicName());
                }
            }
            if (active.containsAll(wanted)) {
                return active;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        fail("DaoliNet bundles not all ACTIVE after 60 s: wanted " + wanted + ", active " + active);
        return active;
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            T s = tracker.waitForService(TimeUnit.SECONDS.toMillis(30));
            assertNotNull(type.getSimpleName() + " service present", s);
            return s;
        } finally {
            tracker.close();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] readHello(int port, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(5000);
                byte[] header = new byte[8];
                new DataInputStream(s.getInputStream()).readFully(header);
                return header;
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    private String execute(String command) throws Exception {
        return run(command, false);
    }

    private String executeExpectingError(String command) throws Exception {
        return run(command, true);
    }

    /** Runs a shell command as an admin would; commands register asynchronously, so retry until known. */
    private String run(String command, boolean expectError) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            Session session = sessionFactory.create(InputStream.nullInputStream(), out, out);
            try {
                session.execute(command);
                out.flush();
                if (expectError) {
                    fail("'" + command + "' should have failed; printed: " + bytes);
                }
                return bytes.toString(StandardCharsets.UTF_8);
            } catch (Exception e) {
                boolean notYetRegistered = String.valueOf(e.getMessage()).contains("Command not found");
                if (notYetRegistered && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                    continue;
                }
                if (expectError && !notYetRegistered) {
                    return e.getMessage();
                }
                throw e;
            } finally {
                session.close();
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, int seconds, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not true after " + seconds + " s: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
