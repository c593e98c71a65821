package io.chainwatch.cli;

import io.chainwatch.bench.ParseBaseline;
import io.chainwatch.ingest.JsonSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code chainwatch bench-parse}: the benchmark's parse-only baseline, one thread, no Flink (run by {@code bench}). */
@Command(name = "bench-parse", hidden = true, mixinStandardHelpOptions = true,
        description = "Parse-only baseline: gunzip, split lines and JSON-parse every line on one thread, no Flink.")
public final class ParseBaselineCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH", description = "Files or directories.")
    List<Path> inputs;

    @Option(names = "--parser", defaultValue = "json", description = "json (a Jackson tree per line) or chainwatch (the audit parser).")
    String parser;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Write the result as JSON.")
    Path summaryJson;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ParseBaseline.Mode mode = ParseBaseline.Mode.valueOf(parser.toUpperCase(Locale.ROOT));
        ParseBaseline.Result r = ParseBaseline.run(inputs, mode);
        spec.commandLine().getOut().printf(Locale.ROOT, "%,d lines (%,d events, %,d malformed) in %.2f s: %,.0f lines/s, %,.0f MB/s raw%n",
                r.lines, r.events, r.malformed, r.seconds, r.eventsPerSecond(), r.rawBytes / 1e6 / Math.max(r.seconds, 1e-9));
        if (summaryJson != null) {
            var root = JsonSupport.mapper().createObjectNode();
            root.put("recordsRead", r.lines);
            root.put("events", r.events);
            root.put("malformed", r.malformed);
            root.put("compressedBytes", r.compressedBytes);
            root.put("rawBytes", r.rawBytes);
            root.put("elapsedSeconds", r.seconds);
            root.put("recordsPerSecond", r.eventsPerSecond());
            Files.writeString(summaryJson, JsonSupport.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
