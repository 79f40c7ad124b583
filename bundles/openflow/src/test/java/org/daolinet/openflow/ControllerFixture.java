package org.daolinet.openflow;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.openflow.PacketInListener;
import org.daolinet.api.openflow.SwitchListener;
import org.daolinet.emulator.SwitchEmulator;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortStatus;

/** The real OpenFlow server on an ephemeral loopback port, with recording listeners and an emulator. */
final class ControllerFixture implements AutoCloseable {

    final OpenFlowServer server = new OpenFlowServer();
    final SwitchEmulator emulator = new SwitchEmulator(1, null);
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<OFPacketIn> packetIns = new CopyOnWriteArrayList<>();
    final List<OFPortStatus> portChanges = new CopyOnWriteArrayList<>();

    ControllerFixture(String... settings) {
        Map<String, Object> props = new HashMap<>();
        props.put("address", "127.0.0.1");
        props.put("port", "0");
        for (int i = 0; i + 1 < settings.length; i += 2) {
            props.put(settings[i], settings[i + 1]);
        }
        server.addSwitchListener(new SwitchListener() {
            @Override
            public void switchAdded(OpenFlowSwitch sw) {
                events.add("added " + sw.id());
            }

            @Override
            public void switchRemoved(OpenFlowSwitch sw) {
                events.add("removed " + sw.id());
            }

            @Override
            public void portChanged(OpenFlowSwitch sw, OFPortStatus status) {
                portChanges.add(status);
            }
        });
        server.addPacketInListener((PacketInListener) (sw, pi) -> packetIns.add(pi));
        this.props = props;
        server.activate(props);
    }

    private final Map<String, Object> props;

    /** Stops the server as a controller shutdown would: every switch connection closes. */
    void stopServer() {
        server.deactivate();
    }

    void startServer() {
        server.activate(props);
    }

    InetSocketAddress address() {
        return server.listenAddress().orElseThrow();
    }

    /**
     * Checks {@code condition} at once and then every 10 ms, from this thread, until it holds; fails naming
     * {@code what} after {@code timeout}.
     */
    static void await(BooleanSupplier condition, Duration timeout, String what) {
        Awaitility.await(what).atMost(timeout).pollInSameThread().dontCatchUncaughtExceptions()
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }

    @Override
    public void close() {
        emulator.close();
        server.deactivate();
    }
}
