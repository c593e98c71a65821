package io.chainwatch.cli;

import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoadException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which pattern set a command works on: directory, site overrides and bounds. */
public final class PatternSetOptions {

    @Option(names = "--patterns", paramLabel = "DIR", description = "Pattern directory (default: the shipped cep-patterns/).")
    Path patterns;

    @Option(names = "--overrides", paramLabel = "PATH", description = "Site override file or directory; repeatable.")
    List<Path> overrides = new ArrayList<>();

    @Mixin
    LimitsOptions limits = new LimitsOptions();

    /** Loads the set; warnings go to {@code err}, errors throw. */
    List<PatternDefinition> load(PrintWriter err) throws IOException, PatternLoadException {
        return DetectCommand.loadPatterns(patterns, overrides, limits.limits(), err);
    }
}
