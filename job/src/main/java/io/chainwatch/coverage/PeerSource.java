package io.chainwatch.coverage;

import java.util.Locale;

/**
 * The detection products whose rules chainwatch patterns map to in {@code equivalents}. The {@link #key} is the
 * key under {@code equivalents} and the name of the catalogue file ({@code cep-patterns/coverage/<key>.yaml}).
 */
public enum PeerSource {
    DEFENDER("defender", "Microsoft Defender for Containers"),
    FALCO("falco", "Falco"),
    SIGMA("sigma", "SigmaHQ"),
    ELASTIC("elastic", "Elastic Security");

    /** Key in a pattern's {@code equivalents} and stem of the catalogue file name. */
    public final String key;
    /** Product name for headings. */
    public final String product;

    PeerSource(String key, String product) {
        this.key = key;
        this.product = product;
    }

    /** The catalogue file name, e.g. {@code falco.yaml}. */
    public String fileName() {
        return key + ".yaml";
    }

    /** The source for an {@code equivalents} key, or null. */
    public static PeerSource forKey(String key) {
        for (PeerSource s : values()) {
            if (s.key.equals(key.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }
}
