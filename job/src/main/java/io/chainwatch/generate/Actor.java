package io.chainwatch.generate;

/**
 * Something in the cluster that sends requests over time. The simulation fires the actor with the earliest
 * {@link #next} time; the actor submits requests (at that time or later) and sets its next time.
 */
abstract class Actor {
    static final long DONE = Long.MAX_VALUE;

    final String name;
    final Rng rng;
    long next;
    /** Tie-breaker for actors due at the same microsecond (creation order). */
    int order;

    Actor(String name, Rng rng, long first) {
        this.name = name;
        this.rng = rng;
        this.next = first;
    }

    /** Sends the requests due at {@link #next} and moves {@link #next} on (or to {@link #DONE}). */
    abstract void fire(ClusterSim sim);

    /** What an actor does when it fires: requests at time {@code t} or later. */
    @FunctionalInterface
    interface Action {
        void run(ClusterSim sim, long t, Rng rng);
    }

    /** Every {@code period}, with a uniform jitter of up to {@code jitter} (no drift). */
    static Actor periodic(String name, Rng rng, long first, long period, long jitter, Action action) {
        return new Actor(name, rng, first) {
            private long base = first;

            @Override
            void fire(ClusterSim sim) {
                action.run(sim, next, rng);
                base += period;
                next = Math.max(next + 1, base + (jitter > 0 ? rng.range(0, jitter) : 0));
            }
        };
    }

    /**
     * Poisson arrivals with mean gap {@code meanSeconds} at the diurnal peak, thinned by the diurnal curve
     * (a non-homogeneous Poisson process); {@code diurnal} null means constant.
     */
    static Actor poisson(String name, Rng rng, long start, double meanSeconds, Diurnal diurnal, Action action) {
        return new Actor(name, rng, start) {
            {
                next = draw(start);
            }

            private long draw(long from) {
                long t = from;
                while (true) {
                    t += Math.max(1, (long) (rng.exp(meanSeconds) * Times.SECOND));
                    if (diurnal == null || rng.nextDouble() < diurnal.factor(t)) {
                        return t;
                    }
                }
            }

            @Override
            void fire(ClusterSim sim) {
                action.run(sim, next, rng);
                next = draw(next);
            }
        };
    }

    /** Once, at {@code at}. */
    static Actor once(String name, Rng rng, long at, Action action) {
        return new Actor(name, rng, at) {
            @Override
            void fire(ClusterSim sim) {
                action.run(sim, next, rng);
                next = DONE;
            }
        };
    }
}
