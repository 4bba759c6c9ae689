package dev.lanewise.kernels.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of daemon worker threads that help the calling thread run the chunks of one task.
 *
 * <p>{@link #run} hands chunks {@code 0 .. chunks-1} out through an atomic counter: the caller takes
 * chunks itself and the workers take the rest, so a worker that starts late only does less. Which
 * thread runs a chunk never changes what the chunk computes; lanewise's results are therefore the
 * same for any pool size.
 *
 * <p>One task runs at a time. A call that finds the pool busy (another thread's task), or that comes
 * from a worker (a task calling lanewise again), runs all its chunks on its own thread instead of
 * waiting, so concurrent callers never deadlock and never queue behind each other.
 *
 * <p>Workers spin for {@value #SPIN_NANOS} ns after a task before parking, so that back-to-back
 * calls (a network's layers) do not pay a wake-up each. {@code run} allocates nothing.
 */
public final class WorkerPool implements AutoCloseable {

    /** The work of one call, cut into independent chunks. */
    @FunctionalInterface
    public interface Task {
        /** Runs chunk {@code chunk}; may be called on any thread, at most once per chunk. */
        void run(int chunk);
    }

    private static final long SPIN_NANOS = 50_000;

    private final Worker[] workers;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger activeWorkers = new AtomicInteger();

    // Written by the caller under the lock before the volatile write of 'generation' publishes them.
    private Task task;
    private int chunks;
    private int helpers;
    private Thread caller;

    private volatile int generation;
    private volatile boolean closed;
    private volatile Throwable failure;

    /** A pool whose calls use up to {@code threads} threads: the caller and {@code threads - 1} workers. */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + " must be >= 1");
        }
        workers = new Worker[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(w);
            workers[w].start();
        }
    }

    /** Threads a call may use, the caller included. */
    public int threads() {
        return workers.length + 1;
    }

    /**
     * The calling thread's index in this pool, in {@code [0, threads())}: {@code w + 1} on worker
     * {@code w}, {@code 0} on any other thread. A chunk of a task runs on the caller of {@link #run}
     * (index 0) or on a worker, and a call nested in a chunk runs on that chunk's thread, so the
     * threads running one task's chunks at the same time have distinct indices: state kept per index
     * ({@link Workspaces}) is never shared by two threads at once.
     */
    public int thread() {
        return Thread.currentThread() instanceof Worker w && w.pool() == this ? w.index + 1 : 0;
    }

    /**
     * Runs {@code task} for chunks {@code 0 .. chunks-1} and returns when all are done. An exception
     * thrown by a chunk is rethrown here after the other chunks have finished.
     */
    public void run(Task task, int chunks) {
        // Inline when the call is nested in a task of this pool, on a worker or on the caller that
        // holds the lock (tryLock would succeed there: the lock is reentrant), or the pool is busy.
        if (chunks <= 1 || workers.length == 0 || Thread.currentThread() instanceof Worker
                || lock.isHeldByCurrentThread() || !lock.tryLock()) {
            for (int c = 0; c < chunks; c++) {
                task.run(c);
            }
            return;
        }
        try {
            if (closed) {
                for (int c = 0; c < chunks; c++) {
                    task.run(c);
                }
                return;
            }
            int helpers = Math.min(workers.length, chunks - 1);
            this.task = task;
            this.chunks = chunks;
            this.helpers = helpers;
            this.caller = Thread.currentThread();
            failure = null;
            nextChunk.set(0);
            activeWorkers.set(helpers);
            generation++; // publishes the fields above to the workers
            for (int w = 0; w < helpers; w++) {
                LockSupport.unpark(workers[w]);
            }
            Throwable own = null;
            try {
                drain();
            } catch (Throwable t) {
                own = t;
            }
            awaitWorkers();
            Throwable f = own != null ? own : failure;
            if (f instanceof RuntimeException r) {
                throw r;
            } else if (f instanceof Error e) {
                throw e;
            } else if (f != null) {
                throw new IllegalStateException(f);
            }
        } finally {
            this.task = null;
            this.caller = null;
            lock.unlock();
        }
    }

    /** Stops the workers once the running task, if any, has finished. Later calls run on the caller. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            generation++;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
        } finally {
            lock.unlock();
        }
    }

    private void drain() {
        for (int c; (c = nextChunk.getAndIncrement()) < chunks; ) {
            task.run(c);
        }
    }

    private void awaitWorkers() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (activeWorkers.get() != 0) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    private final class Worker extends Thread {
        private final int index;
        /**
         * The generation this worker has handled, fixed before the thread starts: a worker that
         * read it when it first ran could miss a task posted before that.
         */
        private int seen;

        Worker(int index) {
            super("lanewise-worker-" + (index + 1));
            this.index = index;
            this.seen = generation;
            setDaemon(true);
        }

        WorkerPool pool() {
            return WorkerPool.this;
        }

        @Override
        public void run() {
            while (true) {
                seen = awaitGeneration(seen);
                if (closed) {
                    return;
                }
                if (index < helpers) {
                    try {
                        drain();
                    } catch (Throwable t) {
                        failure = t;
                    }
                    Thread waiting = caller;
                    if (activeWorkers.decrementAndGet() == 0) {
                        LockSupport.unpark(waiting);
                    }
                }
            }
        }

        private int awaitGeneration(int seen) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            int g;
            while ((g = generation) == seen && !closed) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(WorkerPool.this);
                }
            }
            return g;
        }
    }
}
