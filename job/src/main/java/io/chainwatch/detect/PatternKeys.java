package io.chainwatch.detect;

import io.chainwatch.ingest.KeyHash;
import io.chainwatch.pattern.PatternDefinition;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The key of the operators that serve many patterns at once (sequences, new terms): the hash of the pattern id
 * and 128 bits of the correlation key (cluster and key values, {@link KeyHash}). Fixed-length, so that BATCH
 * mode sorts the operator's input by comparing bytes rather than variable-length text.
 */
final class PatternKeys {
    private PatternKeys() {}

    static final TypeInformation<Tuple3<Integer, Long, Long>> TYPE = Types.TUPLE(Types.INT, Types.LONG, Types.LONG);

    static Tuple3<Integer, Long, Long> of(PatternEvent e) {
        byte[] h = KeyHash.md5(e.key);
        return Tuple3.of(patternHash(e.patternId), KeyHash.high(h), KeyHash.low(h));
    }

    /** {@link String#hashCode} of the id: specified by the JDK, so stable across JVMs and savepoints. */
    static int patternHash(String patternId) {
        return patternId.hashCode();
    }

    /** Fails when two of the patterns one operator serves have the same id hash (their state would mix). */
    static void checkUnique(List<PatternDefinition> defs, String what) {
        Map<Integer, String> seen = new HashMap<>();
        for (PatternDefinition def : defs) {
            String previous = seen.put(patternHash(def.id), def.id);
            if (previous != null) {
                throw new IllegalStateException(what + " patterns '" + previous + "' and '" + def.id
                        + "' have the same id hash; rename one of them");
            }
        }
    }
}
