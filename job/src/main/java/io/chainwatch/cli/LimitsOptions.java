package io.chainwatch.cli;

import io.chainwatch.pattern.Durations;
import io.chainwatch.pattern.Limits;
import picocli.CommandLine.Option;

/** The deployment's pattern and state bounds, shared by every command that loads patterns. */
public final class LimitsOptions {

    @Option(names = "--max-window", paramLabel = "DURATION", defaultValue = "7d",
            description = "Longest window a pattern may declare (within, aggregate window, suppress). Default: ${DEFAULT-VALUE}.")
    String maxWindow;

    @Option(names = "--max-repetitions", defaultValue = "100",
            description = "Most repetitions of a sequence step (times/atMost). Default: ${DEFAULT-VALUE}.")
    int maxRepetitions;

    @Option(names = "--max-threshold", defaultValue = "10000",
            description = "Largest aggregate threshold. Default: ${DEFAULT-VALUE}.")
    int maxThreshold;

    @Option(names = "--max-values-per-key", defaultValue = "10000",
            description = "Distinct values / new terms kept per key by aggregate and newTerms patterns. Default: ${DEFAULT-VALUE}.")
    int maxValuesPerKey;

    public Limits limits() {
        return new Limits(Durations.parse(maxWindow), maxRepetitions, maxThreshold, maxValuesPerKey);
    }
}
