package io.chainwatch.backtest;

import io.chainwatch.pipeline.Counters;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.flink.core.execution.JobClient;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Shows a long backtest's progress — rows scanned of the rows the selected files hold (from their Parquet
 * footers), rate and ETA — on a terminal; off a terminal it stays quiet, so scheduler logs get only the
 * final summary.
 */
public final class BacktestProgress {

    private BacktestProgress() {}

    /** Rows in the files, from their footers (no data pages are read). */
    public static long rows(List<Path> files) throws IOException {
        long total = 0;
        for (Path f : files) {
            try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(f))) {
                total += r.getRecordCount();
            }
        }
        return total;
    }

    /** True when progress should be drawn: a terminal, and not turned off. */
    public static boolean interactive() {
        return System.console() != null && System.getenv("CI") == null;
    }

    /**
     * Polls the running job's accumulators until {@code result} completes, drawing a bar, and returns the
     * result. (Ask for the result first: a local cluster shuts down as soon as its job ends.)
     */
    public static org.apache.flink.api.common.JobExecutionResult follow(
            JobClient job, java.util.concurrent.CompletableFuture<org.apache.flink.api.common.JobExecutionResult> result,
            long totalRows) throws Exception {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("backtest").setInitialMax(totalRows)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" events", 1).showSpeed().setUpdateIntervalMillis(500).build()) {
            while (!result.isDone()) {
                try {
                    Map<String, Object> acc = job.getAccumulators().get(5, TimeUnit.SECONDS);
                    Object scanned = acc.get(Counters.PREFIX + "backtest.events");
                    if (scanned instanceof Number) {
                        bar.stepTo(((Number) scanned).longValue());
                    }
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException notNow) {
                    // Busy, or the job just ended: the loop condition decides.
                }
                Thread.sleep(500);
            }
            bar.stepTo(totalRows);
        }
        return result.get();
    }
}
