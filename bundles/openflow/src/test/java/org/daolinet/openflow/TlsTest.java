package org.daolinet.openflow;

import static org.daolinet.openflow.ControllerFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.daolinet.emulator.EmulatedSwitch;
import org.daolinet.emulator.SwitchEmulator;
import org.daolinet.emulator.SwitchProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/** OpenFlow over TLS with switch certificates: a switch with a trusted certificate gets in, others do not. */
class TlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path keys;

    @BeforeAll
    static void makeCertificates() throws Exception {
        for (String who : List.of("controller", "switch", "stranger")) {
            keytool("-genkeypair", "-alias", who, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + who,
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", p(who + ".p12"), "-storepass", PASSWORD);
            keytool("-exportcert", "-alias", who, "-keystore", p(who + ".p12"), "-storepass", PASSWORD,
                    "-file", p(who + ".crt"));
        }
        // the controller trusts the switch; both switches trust the controller
        keytool("-importcert", "-noprompt", "-alias", "switch", "-file", p("switch.crt"), "-storetype", "PKCS12",
                "-keystore", p("controller-trust.p12"), "-storepass", PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "controller", "-file", p("controller.crt"), "-storetype",
                "PKCS12", "-keystore", p("switch-trust.p12"), "-storepass", PASSWORD);
    }

    @Test
    void aSwitchWithATrustedCertificateConnectsAndOthersDoNot() throws Exception {
        try (ControllerFixture c = new ControllerFixture("tls.enabled", "true",
                "tls.keystore", p("controller.p12"), "tls.keystore.password", PASSWORD,
                "tls.truststore", p("controller-trust.p12"), "tls.truststore.password", PASSWORD);
             SwitchEmulator trusted = new SwitchEmulator(1, clientContext("switch"));
             SwitchEmulator stranger = new SwitchEmulator(1, clientContext("stranger"));
             SwitchEmulator plain = new SwitchEmulator(1, null)) {
            EmulatedSwitch good = trusted.connect(c.address(), SwitchProfile.of(0x7151, OFVersion.OF_13, 2));
            good.ready().get(10, TimeUnit.SECONDS);
            await(() -> c.server.getSwitch(DatapathId.of(0x7151)).isPresent(), Duration.ofSeconds(10), "TLS switch");
            assertEquals(2, c.server.getSwitch(DatapathId.of(0x7151)).orElseThrow().ports().size());

            EmulatedSwitch bad = stranger.connect(c.address(), SwitchProfile.of(0xbad, OFVersion.OF_13, 1));
            assertThrows(ExecutionException.class, () -> bad.ready().get(10, TimeUnit.SECONDS));
            EmulatedSwitch clear = plain.connect(c.address(), SwitchProfile.of(0xc1ea, OFVersion.OF_13, 1));
            assertThrows(ExecutionException.class, () -> clear.ready().get(15, TimeUnit.SECONDS));
            assertEquals(1, c.server.switches().size());
            assertTrue(good.isConnected());
        }
    }

    private static SslContext clientContext(String who) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(p(who + ".p12")), PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(p("switch-trust.p12")));
        return SslContextBuilder.forClient().keyManager(kmf).trustManager(tmf).build();
    }

    private static KeyStore load(String path) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static String p(String name) {
        return keys.resolve(name).toString();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + ": " + out);
        }
    }
}
