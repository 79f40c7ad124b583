package org.daolinet.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.features.FeaturesService;
import org.daolinet.api.openflow.SwitchService;
import org.daolinet.api.pipeline.FlowService;
import org.daolinet.emulator.EmulatedSwitch;
import org.daolinet.emulator.SwitchEmulator;
import org.daolinet.emulator.SwitchProfile;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.OptionUtils.combine;

/**
 * The pipeline in the real container: the switching functions take part; uninstalling their feature takes their
 * flows off the switches at once and installing it brings them back; a network function built on its own (the
 * example in examples/) is hot-deployed with bundle:install and leaves with bundle:uninstall.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PipelineIT extends DaolinetTestSupport {

    @Override
    @Configuration
    public Option[] config() {
        return combine(super.config(),
                systemProperty("daolinet.example.jar").value(System.getProperty("daolinet.example.jar")));
    }

    @Test
    public void uninstallingSwitchingRemovesItsFlowsWithinASecondAndInstallBringsItBack() throws Exception {
        FlowService flows = service(FlowService.class);
        waitUntil(() -> flows.functions().keySet().containsAll(List.of("classify", "arp", "switching")), 30,
                "switching functions in the pipeline: " + flows.functions());
        String listing = execute("daolinet:functions");
        assertTrue(listing, listing.contains("classify") && listing.contains("switching"));
        hotSwap("daolinet-switching", "switching", 0xb1);
    }

    @Test
    public void uninstallingRoutingRemovesItsFlowsWithinASecondAndInstallBringsItBack() throws Exception {
        FlowService flows = service(FlowService.class);
        waitUntil(() -> flows.functions().keySet().containsAll(List.of("gateway", "routing", "switching")), 30,
                "routing functions in the pipeline: " + flows.functions());
        hotSwap("daolinet-routing", "routing", 0xb2);
        assertTrue("switching stays while routing comes and goes", flows.functions().containsKey("switching"));
    }

    /**
     * Uninstalls a feature with a switch connected: a FlowDelete by cookie mask for the function's bit must reach
     * the switch within a second, the function must leave the pipeline; installing the feature brings it back.
     */
    private void hotSwap(String feature, String function, long dpid) throws Exception {
        FlowService flows = service(FlowService.class);
        int bit = flows.functions().get(function);
        InetSocketAddress controller = new InetSocketAddress("127.0.0.1", Integer.parseInt(port()));
        List<OFFlowDelete> deletes = new CopyOnWriteArrayList<>();
        try (SwitchEmulator emulator = new SwitchEmulator(1, null)) {
            EmulatedSwitch sw = emulator.connect(controller, SwitchProfile.of(dpid, OFVersion.OF_13, 2));
            sw.observe(m -> {
                if (m instanceof OFFlowDelete d) {
                    deletes.add(d);
                }
            });
            sw.ready().get(30, TimeUnit.SECONDS);
            // the emulator is ready when the controller's closing barrier arrives; the controller registers the
            // switch only when the barrier's reply is back, so wait for that before asking for its flows
            SwitchService switches = service(SwitchService.class);
            waitUntil(() -> switches.getSwitch(DatapathId.of(dpid)).isPresent(), 10, "switch registered");
            String name = String.format("%016x", dpid).replaceAll("(..)(?!$)", "$1:");
            String table = execute("daolinet:flows 0x" + Long.toHexString(dpid));
            assertTrue(table, table.contains("flow(s) on " + name));

            String version = features.getFeature(feature).getVersion();
            EnumSet<FeaturesService.Option> noRefresh = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);
            long start = System.nanoTime();
            features.uninstallFeature(feature, version, noRefresh);
            waitUntil(() -> deletes.stream().anyMatch(d -> (d.getCookieMask().getValue() & (1L << bit)) != 0
                    && (d.getCookie().getValue() & (1L << bit)) != 0), 1,
                    "a delete of the " + function + " function's flows by cookie mask");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue("flows removed " + millis + " ms after the uninstall began", millis < 1000 + 500);
            assertFalse(flows.functions().containsKey(function));

            features.installFeature(feature, version, noRefresh);
            waitUntil(() -> flows.functions().containsKey(function), 30, function + " back in the pipeline");
        }
    }

    @Test
    public void anExampleFunctionIsHotDeployedAndRemoved() throws Exception {
        FlowService flows = service(FlowService.class);
        String jar = new File(System.getProperty("daolinet.example.jar")).toURI().toString();
        // what bundle:install -s does (the test's shell session has no admin role for bundle:* commands)
        Bundle example = context.installBundle(jar);
        example.start();
        waitUntil(() -> flows.functions().containsKey("connection-counter"), 30,
                "the example function joined the pipeline");
        assertTrue(execute("daolinet:functions").contains("connection-counter"));

        example.uninstall();
        waitUntil(() -> !flows.functions().containsKey("connection-counter"), 10, "the example function left");
    }
}
