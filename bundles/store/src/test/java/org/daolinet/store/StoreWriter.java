package org.daolinet.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.daolinet.api.store.Transaction;

/**
 * A process that writes to a store as fast as it can and acknowledges each write on stdout once the store
 * returned from it; {@link CrashSafetyTest} kills it with SIGKILL in the middle.
 */
public final class StoreWriter {

    private StoreWriter() {
    }

    public static void main(String[] args) {
        MvKeyValueStore store = new MvKeyValueStore(Path.of(args[0]));
        for (int i = 0; ; i++) {
            // a pair that must land together or not at all
            store.commit(Transaction.builder()
                    .put(String.format("a/%07d", i), value(i))
                    .put(String.format("b/%07d", i), value(i))
                    .build());
            System.out.println("ack " + i);
            System.out.flush();
        }
    }

    static byte[] value(int i) {
        return ("value-" + i + "-" + "x".repeat(i % 500)).getBytes(StandardCharsets.UTF_8);
    }
}
