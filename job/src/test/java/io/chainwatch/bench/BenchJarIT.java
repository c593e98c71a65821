package io.chainwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chainwatch bench} end to end from the packaged jar, on a tiny data set: every run starts its own JVM,
 * reports memory, and the table, targets, quality and state-growth sections come out. The numbers themselves
 * are not asserted (a test never judges speed); that they are measured and written is.
 */
class BenchJarIT {

    static final Path ROOT = Paths.get(System.getProperty("chainwatch.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void benchRunsEveryStepAndReportsThem() throws Exception {
        Path jar = ROOT.resolve("job/target/chainwatch.jar");
        Path log = tmp.resolve("bench.out");
        Path json = tmp.resolve("bench.json");
        Path md = tmp.resolve("bench.md");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(StepRunner.MODULE_FLAGS);
        cmd.addAll(List.of("-jar", jar.toString(), "bench", "--events", "20000", "--attacks", "3", "--copies", "2",
                "--state-events", "30000", "--state-principals", "500", "--live-heap-every", "0.5", "--heap", "1g",
                "--work", tmp.resolve("work").toString(), "--json", json.toString(), "--markdown", md.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CHAINWATCH_HOME", ROOT.toString());
        Process p = pb.start();
        assertThat(p.waitFor(12, TimeUnit.MINUTES)).as("bench finished").isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("(a)  parse-only baseline", "(a') ", "(b)  detect", "(c)  detect + Parquet history",
                "(d)  backtest", "(e)  detect, the pack x2", "targets:", "history:", "detection quality", "state growth:");

        JsonNode r = new ObjectMapper().readTree(json.toFile());
        for (String run : List.of("a", "a'", "b", "c", "d", "e")) {
            JsonNode x = r.path("runs").path(run);
            assertThat(x.path("events").asLong()).as(run).isPositive();
            assertThat(x.path("eventsPerSecond").asDouble()).as(run).isPositive();
            assertThat(x.path("ratioToBaseline").asDouble()).as(run).isPositive();
            assertThat(x.path("peakHeapBytes").asLong()).as(run).isPositive();
            assertThat(x.path("peakRssBytes").asLong()).as(run).isPositive();
        }
        // the same events in (a), (b), (c) and (e); (d) reads the history, which holds the unique events only
        long lines = r.path("runs").path("a").path("events").asLong();
        assertThat(r.path("runs").path("b").path("events").asLong()).isEqualTo(lines);
        assertThat(r.path("runs").path("e").path("events").asLong()).isEqualTo(lines);
        assertThat(r.path("runs").path("d").path("events").asLong()).isPositive().isLessThan(lines);
        assertThat(r.path("targets")).hasSize(4);
        assertThat(r.path("machine").path("cores").asInt()).isPositive();
        assertThat(r.path("totalSeconds").asDouble()).isPositive();
        assertThat(out).contains("bench took ");
        assertThat(r.path("history").path("parquetBytes").asLong()).isPositive();
        // every labelled attack of the scenarios is found, in the bench as in GeneratorDetectionIT
        for (JsonNode q : r.path("quality")) {
            if (!q.path("scenario").asText().isEmpty()) {
                assertThat(q.path("recall").asText()).as(q.toString()).contains("(100%)");
            }
        }
        assertThat(r.path("stateGrowth").path("liveHeap").size()).isGreaterThan(2);
        assertThat(Files.readString(md)).contains("| (b) |", "| target | measured |");
    }
}
