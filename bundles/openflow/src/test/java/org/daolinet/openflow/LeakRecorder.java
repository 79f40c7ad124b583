package org.daolinet.openflow;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty's leak detector, keeping what it reports so that tests can assert there was none. Surefire installs it
 * with {@code -Dio.netty.customResourceLeakDetector}, so every buffer of the test JVM is tracked.
 */
public final class LeakRecorder<T> extends ResourceLeakDetector<T> {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    public LeakRecorder(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /** The constructor Netty looks for first. */
    public LeakRecorder(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add(resourceType + " leaked:" + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add(resourceType + " leaked");
        super.reportUntracedLeak(resourceType);
    }

    /** Leaks reported so far. Leaks are found when buffers are garbage collected, so collect first. */
    public static List<String> leaks() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            // allocating and releasing buffers is what makes the detector poll its queue of collected ones
            io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(64).release();
            io.netty.buffer.UnpooledByteBufAllocator.DEFAULT.buffer(64).release();
        }
        return List.copyOf(LEAKS);
    }

    public static boolean installed() {
        return LeakRecorder.class.getName().equals(System.getProperty("io.netty.customResourceLeakDetector"));
    }
}
