package org.daolinet.openflow;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * The OpenFlow server's settings, read from Config Admin PID {@value #PID}
 * ({@code etc/org.daolinet.openflow.cfg}). Every value is checked here so that a bad file is reported with
 * the key at fault and never half-applied.
 */
record ServerSettings(
        String address,
        int port,
        Set<OFVersion> versions,
        Duration echoInterval,
        Duration echoTimeout,
        Duration handshakeTimeout,
        Duration requestTimeout,
        Duration duplicateProbeTimeout,
        int missSendLength,
        OFControllerRole role,
        int sendQueueLimitBytes,
        boolean nativeTransport,
        int ioThreads,
        TlsSettings tls) {

    static final String PID = "org.daolinet.openflow";

    record TlsSettings(boolean enabled, String keyStore, String keyStorePassword, String trustStore,
            String trustStorePassword, boolean requireClientCertificate) {
    }

    /** The event loops that carry the switches' connections: {@code io.threads}, 0 meaning one per core. */
    int ioThreadCount() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }

    static ServerSettings defaults() {
        return parse(Map.of());
    }

    static ServerSettings parse(Map<String, ?> props) {
        Reader r = new Reader(props);
        ServerSettings s = new ServerSettings(
                r.string("address", "0.0.0.0"),
                r.integer("port", 6653, 0, 65535),
                r.versions("versions", "1.3,1.0"),
                r.seconds("echo.interval.seconds", 5),
                r.seconds("echo.timeout.seconds", 15),
                r.seconds("handshake.timeout.seconds", 10),
                r.seconds("request.timeout.seconds", 10),
                r.seconds("duplicate.probe.timeout.seconds", 3),
                r.integer("miss.send.length", 0xffff, 0, 0xffff),
                r.role("role", "equal"),
                r.integer("send.queue.limit.bytes", 16 << 20, 1 << 16, Integer.MAX_VALUE),
                r.bool("native.transport", true),
                r.integer("io.threads", 0, 0, 1024),
                new TlsSettings(
                        r.bool("tls.enabled", false),
                        r.string("tls.keystore", ""),
                        r.string("tls.keystore.password", ""),
                        r.string("tls.truststore", ""),
                        r.string("tls.truststore.password", ""),
                        r.bool("tls.client.auth", true)));
        if (s.echoTimeout.compareTo(s.echoInterval) <= 0) {
            throw new IllegalArgumentException("echo.timeout.seconds must be larger than echo.interval.seconds");
        }
        if (s.tls.enabled() && s.tls.keyStore().isEmpty()) {
            throw new IllegalArgumentException("tls.keystore: required when tls.enabled=true");
        }
        return s;
    }

    /** Reads typed values; Config Admin hands over strings from .cfg files and typed values from code. */
    private record Reader(Map<String, ?> props) {

        String string(String key, String dflt) {
            Object v = props.get(key);
            return v == null ? dflt : v.toString().trim();
        }

        int integer(String key, int dflt, int min, int max) {
            String v = string(key, null);
            if (v == null || v.isEmpty()) {
                return dflt;
            }
            int value;
            try {
                value = v.startsWith("0x") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": '" + v + "' is not a whole number");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(key + ": " + value + " is outside " + min + ".." + max);
            }
            return value;
        }

        Duration seconds(String key, int dflt) {
            return Duration.ofSeconds(integer(key, dflt, 1, 3600));
        }

        boolean bool(String key, boolean dflt) {
            String v = string(key, null);
            if (v == null || v.isEmpty()) {
                return dflt;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw new IllegalArgumentException(key + ": '" + v + "' is not true or false");
            };
        }

        Set<OFVersion> versions(String key, String dflt) {
            Set<OFVersion> out = EnumSet.noneOf(OFVersion.class);
            for (String part : string(key, dflt).split("[,\\s]+")) {
                switch (part.trim()) {
                    case "1.0" -> out.add(OFVersion.OF_10);
                    case "1.3" -> out.add(OFVersion.OF_13);
                    case "" -> { }
                    default -> throw new IllegalArgumentException(key + ": '" + part
                            + "' is not a supported OpenFlow version (1.0, 1.3)");
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException(key + ": at least one OpenFlow version is needed");
            }
            return out;
        }

        OFControllerRole role(String key, String dflt) {
            return switch (string(key, dflt).toLowerCase(Locale.ROOT)) {
                case "equal" -> OFControllerRole.ROLE_EQUAL;
                case "master" -> OFControllerRole.ROLE_MASTER;
                case "slave" -> OFControllerRole.ROLE_SLAVE;
                default -> throw new IllegalArgumentException(key + ": '" + string(key, dflt)
                        + "' is not equal, master or slave");
            };
        }
    }
}
