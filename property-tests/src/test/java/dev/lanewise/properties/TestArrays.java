package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** Array, allocation and concurrency helpers shared by the checkers and tests. */
final class TestArrays {

    private static final int ROUNDS = 200;

    private TestArrays() {
    }

    /** {@code length} values uniform in [-1, 1). */
    static float[] filled(long length, SplittableRandom random) {
        float[] x = new float[Math.toIntExact(length)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        return x;
    }

    /** Element-wise {@code |x|}, for rounding bounds. */
    static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }

    /**
     * Runs {@code body} on {@code callers} threads at once, each with its own random source seeded
     * by its index, and rethrows the first failure.
     */
    static void onConcurrentCallers(int callers, Consumer<SplittableRandom> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                SplittableRandom random = new SplittableRandom(t);
                done.add(pool.submit(() -> body.accept(random)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The raw bits, so that array comparisons tell NaN payloads and signed zeros apart. */
    static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = Float.floatToRawIntBits(x[i]);
        }
        return b;
    }

    /**
     * Runs {@code calls} {@code warmUps} times, then asserts that some round of {@code perRound}
     * calls, among up to {@value #ROUNDS}, allocates exactly zero bytes on this thread. A round may
     * still allocate while the JIT (re)compiles a kernel in the background (interpreted and C1 vector
     * code boxes), which can take longer than many short rounds after other tests changed the
     * profile; a call that allocated every time could never pass.
     */
    static void assertSteadyStateAllocatesNothing(Runnable[] calls, int warmUps, int perRound) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < warmUps; i++) {
            for (Runnable call : calls) {
                call.run();
            }
        }
        long least = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS && least > 0; round++) {
            long start = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < perRound / calls.length; i++) {
                for (Runnable call : calls) {
                    call.run();
                }
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - start);
        }
        assertEquals(0, least, "bytes allocated by the least-allocating round of " + perRound + " steady-state calls");
    }
}
