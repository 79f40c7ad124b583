package org.daolinet.examples.counter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.daolinet.api.config.Endpoint;
import org.daolinet.api.pipeline.NetworkFunction;
import org.daolinet.api.pipeline.PacketContext;
import org.daolinet.api.pipeline.Stage;
import org.daolinet.api.pipeline.Verdict;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and logs every new connection the pipeline lets through, per VPC.
 *
 * <p>A network function is an OSGi service: register it and the pipeline calls it for the first packet of every
 * new connection, in the order of its {@link Stage}; stop its bundle and it is gone, with every flow it shaped.
 * This one only looks ({@link Stage#OBSERVE}, it changes nothing), so it owns no flows.
 */
@Component(service = NetworkFunction.class, immediate = true)
public class ConnectionCounter implements NetworkFunction {

    private static final Logger log = LoggerFactory.getLogger(ConnectionCounter.class);

    private final Map<String, LongAdder> perVpc = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "connection-counter";
    }

    @Override
    public Stage stage() {
        return Stage.OBSERVE;
    }

    /** Called on a switch's I/O thread: quick, in memory, never blocking. */
    @Override
    public Verdict process(PacketContext ctx) {
        if (ctx.delivery().isPresent()) {
            String vpc = ctx.source().map(Endpoint::vpcId).orElse("(no vpc)");
            perVpc.computeIfAbsent(vpc, k -> new LongAdder()).increment();
            log.info("new connection in {}: {} (from {}/{})", vpc, ctx.original(), ctx.sw().id(), ctx.inPort());
        }
        return Verdict.CONTINUE;
    }

    @Deactivate
    public void deactivate() {
        log.info("connections seen per VPC: {}", perVpc);
    }
}
