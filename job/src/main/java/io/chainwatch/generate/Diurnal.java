package io.chainwatch.generate;

/**
 * Activity of people and of what people trigger (CI, GitOps syncs) over the week, in the team's local time:
 * 1.0 at the working-day peak. Controllers and kubelets do not use it: they run at constant rates.
 */
final class Diurnal {
    /** Weekday activity per local hour 0..23 (linear in between). */
    static final double[] HUMAN_WEEKDAY = {0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.15, 0.45, 0.85, 1.0, 1.0,
            0.7, 0.8, 1.0, 0.95, 0.85, 0.6, 0.3, 0.15, 0.1, 0.07, 0.05, 0.03};
    /** CI follows merges: like people, a little later and flatter, with nightly jobs. */
    static final double[] CI_WEEKDAY = {0.06, 0.12, 0.06, 0.03, 0.03, 0.03, 0.05, 0.1, 0.35, 0.7, 0.9, 1.0, 0.85,
            0.8, 1.0, 1.0, 0.95, 0.8, 0.5, 0.25, 0.15, 0.1, 0.08, 0.06};

    private final double[] weekday;
    private final double weekend;
    private final long offsetMicros;

    Diurnal(double[] weekday, double weekend, int tzOffsetHours) {
        this.weekday = weekday;
        this.weekend = weekend;
        this.offsetMicros = tzOffsetHours * Times.HOUR;
    }

    static Diurnal humans(ClusterProfile p) {
        return new Diurnal(HUMAN_WEEKDAY, 0.08, p.tzOffsetHours);
    }

    static Diurnal ci(ClusterProfile p) {
        return new Diurnal(CI_WEEKDAY, 0.12, p.tzOffsetHours);
    }

    /** Relative activity at {@code micros} (UTC), in [0, 1]. */
    double factor(long micros) {
        long local = micros + offsetMicros;
        long day = Math.floorDiv(local, Times.DAY);
        double hour = (local - day * Times.DAY) / (double) Times.HOUR;
        int h = (int) hour;
        double f = weekday[h] + (weekday[(h + 1) % 24] - weekday[h]) * (hour - h);
        int dow = (int) Math.floorMod(day + 3, 7); // 1970-01-01 was a Thursday; 0 = Monday
        return dow >= 5 ? f * weekend : f;
    }

    /** Whether local time is within office hours on a weekday (for rare admin work). */
    boolean officeHours(long micros) {
        long local = micros + offsetMicros;
        long day = Math.floorDiv(local, Times.DAY);
        int hour = (int) ((local - day * Times.DAY) / Times.HOUR);
        int dow = (int) Math.floorMod(day + 3, 7);
        return dow < 5 && hour >= 9 && hour < 18;
    }
}
