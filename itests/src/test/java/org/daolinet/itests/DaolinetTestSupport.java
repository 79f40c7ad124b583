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
import org.slf4j.LoggerFactory;

/** What every DaoliNet Pax Exam test shares: the distribution under test, its settings, and helpers. */
public abstract class DaolinetTestSupport {

    static final String OPENFLOW_PORT = System.getProperty("daolinet.itest.openflow.port",
            String.valueOf(freePort()));
    static final String HTTP_PORT = System.getProperty("daolinet.itest.http.port", String.valueOf(freePort()));

    @Inject
    protected BundleContext context;

    @Inject
    protected FeaturesService features;

    @Inject
    protected SessionFactory sessionFactory;

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
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", HTTP_PORT),
            systemProperty("daolinet.itest.http.port").value(HTTP_PORT),
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

    // ---- helpers -------------------------------------------------------------------------------------------

    protected static String port() {
        return System.getProperty("daolinet.itest.openflow.port");
    }

    protected Set<String> bundleNames() {
        return Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName).collect(Collectors.toSet());
    }

    protected Set<String> waitForActiveDaolinetBundles(Set<String> wanted) throws InterruptedException {
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

    protected <T> T service(Class<T> type) throws InterruptedException {
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

    protected static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    protected static byte[] readHello(int port, int seconds) throws Exception {
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

    protected String execute(String command) throws Exception {
        return run(command, false);
    }

    protected String executeExpectingError(String command) throws Exception {
        return run(command, true);
    }

    /** Runs a shell command as an admin would; commands register asynchronously, so retry until known. */
    protected String run(String command, boolean expectError) throws Exception {
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

    protected static void waitUntil(java.util.function.BooleanSupplier condition, int seconds, String what)
            throws InterruptedException {
        if (!trueWithin(condition, seconds)) {
            fail("not true after " + seconds + " s: " + what);
        }
    }

    private static boolean trueWithin(java.util.function.BooleanSupplier condition, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    protected static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP exchange with the controller's REST API. */
    protected record Response(int status, String body, String location) {
    }

    protected Response http(String method, String path, String body) throws IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:"
                + System.getProperty("daolinet.itest.http.port") + "/daolinet/v1" + path).openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(10000);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (java.io.OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Response(status, text, c.getHeaderField("Location"));
    }

    /**
     * Waits until the REST API answers (the HTTP service starts asynchronously). Pax Web 8 sometimes loses its
     * whiteboard's default context when the configuration this test writes (the HTTP port) reaches it while it
     * starts; the servlet is then left "with no matching target context" for good (seen once in many CI runs; in
     * karaf.log: "No matching target context(s) for Whiteboard element ServletModel{...daolinet-rest"). If nothing
     * answers for 20 s, the whiteboard extender is restarted once (it registers its default context again and takes
     * every whiteboard servlet afresh), and that is logged; the test still fails if the API does not answer then.
     */
    protected void awaitRest() throws Exception {
        if (trueWithin(this::restAnswers, 20)) {
            return;
        }
        Bundle whiteboard = Arrays.stream(context.getBundles())
                .filter(b -> "org.ops4j.pax.web.pax-web-extender-whiteboard".equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("no Pax Web whiteboard extender"));
        LoggerFactory.getLogger(DaolinetTestSupport.class).warn("REST API silent for 20 s: restarting {} (Pax Web"
                + " lost its whiteboard default context at startup)", whiteboard.getSymbolicName());
        whiteboard.stop();
        whiteboard.start();
        if (!trueWithin(this::restAnswers, 40)) {
            fail("REST API not answering after 60 s (and a restart of the whiteboard extender)");
        }
    }

    private boolean restAnswers() {
        try {
            return http("GET", "/", null).status() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }
}
