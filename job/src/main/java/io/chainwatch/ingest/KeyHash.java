package io.chainwatch.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * 128 bits of MD5 over texts, for fixed-length Flink keys: BATCH mode sorts every keyed input, and fixed-length
 * keys sort by a plain byte comparison where text keys need a variable-length one (measured at a fifth of the
 * job's CPU). MD5 is a hash here, not a security measure: two different texts share a key with probability
 * ~n²/2^129, nil for any audit volume.
 */
public final class KeyHash {
    private KeyHash() {}

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    });

    /** The digest of the texts joined by 0x1f (null as the empty text). */
    public static byte[] md5(String... parts) {
        MessageDigest md = MD5.get();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                md.update((byte) 0x1f);
            }
            if (parts[i] != null) {
                md.update(parts[i].getBytes(StandardCharsets.UTF_8));
            }
        }
        return md.digest();
    }

    /** The first 8 bytes of a digest, big-endian. */
    public static long high(byte[] h) {
        return toLong(h, 0);
    }

    /** The last 8 bytes of a digest, big-endian. */
    public static long low(byte[] h) {
        return toLong(h, 8);
    }

    private static long toLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }
}
