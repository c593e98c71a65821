package io.chainwatch.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded random stream with the helpers the generator needs (UUIDs, Kubernetes name suffixes, exponential
 * gaps). Every actor owns its own stream, derived from the run's seed and the actor's name, so that adding or
 * removing one actor (an attack, a format that skips a scenario) does not shift what the others draw.
 */
final class Rng {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** The alphabet Kubernetes uses for generated name suffixes (no vowels, no 0/1/3). */
    static final String K8S_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final long seed;
    private final SplittableRandom r;

    Rng(long seed) {
        this.seed = seed;
        this.r = new SplittableRandom(seed);
    }

    /** A stream that depends only on this stream's seed and {@code name}, not on what was drawn so far. */
    Rng child(String name) {
        return new Rng(mix(seed, name));
    }

    static long mix(long seed, String name) {
        long h = mix64(seed ^ 0x6A09E667F3BCC909L);
        for (int i = 0; i < name.length(); i++) {
            h = mix64(h ^ name.charAt(i) ^ ((long) i << 32));
        }
        return h;
    }

    /** SplitMix64's finaliser: a good 64-bit hash. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    int nextInt(int bound) {
        return r.nextInt(bound);
    }

    /** Uniform in [lo, hi] (both inclusive). */
    int between(int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    /** Uniform in [lo, hi). */
    long range(long lo, long hi) {
        return hi <= lo ? lo : lo + r.nextLong(hi - lo);
    }

    double nextDouble() {
        return r.nextDouble();
    }

    long nextLong() {
        return r.nextLong();
    }

    boolean chance(double p) {
        return r.nextDouble() < p;
    }

    /** An exponentially distributed gap with the given mean (Poisson arrivals). */
    double exp(double mean) {
        return -mean * Math.log(1.0 - r.nextDouble());
    }

    <T> T pick(List<T> items) {
        return items.get(r.nextInt(items.size()));
    }

    <T> T pick(T[] items) {
        return items[r.nextInt(items.length)];
    }

    String uuid() {
        return uuid(r.nextLong(), r.nextLong());
    }

    /** A version-4 UUID string from 128 bits. */
    static String uuid(long hi, long lo) {
        hi = (hi & ~0xF000L) | 0x4000L;
        lo = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        char[] c = new char[36];
        int p = 0;
        for (int i = 60; i >= 0; i -= 4) {
            if (p == 8 || p == 13) {
                c[p++] = '-';
            }
            c[p++] = HEX[(int) (hi >>> i) & 0xF];
        }
        for (int i = 60; i >= 0; i -= 4) {
            if (p == 18 || p == 23) {
                c[p++] = '-';
            }
            c[p++] = HEX[(int) (lo >>> i) & 0xF];
        }
        return new String(c);
    }

    /** A stable UUID for (seed, name): the same object gets the same uid wherever it is mentioned. */
    static String uuidOf(long seed, String name) {
        long h = mix(seed, name);
        return uuid(h, mix64(h ^ 0x5DEECE66DL));
    }

    /** A Kubernetes generated-name suffix ({@code x7k2p}). */
    String suffix(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = K8S_ALPHABET.charAt(r.nextInt(K8S_ALPHABET.length()));
        }
        return new String(c);
    }

    String hex(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = HEX[r.nextInt(16)];
        }
        return new String(c);
    }

    String digits(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) ('0' + r.nextInt(10));
        }
        return new String(c);
    }

    /** Upper-case letters and digits, as in AWS key and principal ids. */
    String upperAlnum(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = UPPER_ALNUM.charAt(r.nextInt(UPPER_ALNUM.length()));
        }
        return new String(c);
    }

    /** Index in [0, n) with Zipf-like popularity: P(i) proportional to 1/(i+1)^s. */
    int zipf(double[] cdf) {
        double u = r.nextDouble() * cdf[cdf.length - 1];
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        return cdf;
    }
}
