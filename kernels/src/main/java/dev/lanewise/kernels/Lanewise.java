package dev.lanewise.kernels;

import dev.lanewise.kernels.internal.Providers;
import dev.lanewise.kernels.internal.SharedPool;

/**
 * Process-wide settings and facts: the thread count every lanewise call may use, and which
 * implementation runs.
 *
 * <p>Threads: a call uses up to {@link #threads()} threads, the calling thread included. The default
 * is the system property {@code lanewise.threads} if set, else {@link Runtime#availableProcessors()}.
 * Results are bit-identical for any thread count (no kernel ever splits a sum across threads).
 * Calls from many threads at once are safe; one call at a time uses the worker threads, and the
 * others run on their own callers' threads meanwhile.
 *
 * <p>Thread-safe.
 */
public final class Lanewise {

    private Lanewise() {
    }

    /** Threads a lanewise call may use, {@code >= 1}. */
    public static int threads() {
        return SharedPool.get().threads();
    }

    /**
     * Sets the threads lanewise calls may use from now on, the caller included ({@code 1} means
     * single-threaded). Calls already running finish with the previous setting.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void setThreads(int threads) {
        SharedPool.setThreads(threads);
    }

    /** A one-line description of the implementation in use: vector width and GEMM configuration. */
    public static String implementation() {
        return Providers.current().name() + ", GEMM " + Providers.current().gemm();
    }
}
