package dev.lanewise.kernels.internal;

/**
 * The one {@link WorkerPool} all lanewise facades share, sized by
 * {@link dev.lanewise.kernels.Lanewise#setThreads} or the system property {@code lanewise.threads}
 * (default: available processors).
 */
public final class SharedPool {

    private static volatile WorkerPool pool = new WorkerPool(defaultThreads());

    private SharedPool() {
    }

    /** The pool calls use now. */
    public static WorkerPool get() {
        return pool;
    }

    /** Replaces the pool with one of {@code threads} threads; the old one finishes its task and stops. */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + " must be >= 1");
        }
        if (threads != pool.threads()) {
            WorkerPool old = pool;
            pool = new WorkerPool(threads);
            old.close();
        }
    }

    private static int defaultThreads() {
        String value = System.getProperty("lanewise.threads");
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        int threads;
        try {
            threads = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("lanewise.threads = " + value + " must be an integer >= 1", e);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("lanewise.threads = " + value + " must be >= 1");
        }
        return threads;
    }
}
