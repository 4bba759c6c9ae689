package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanewise.kernels.Lanewise;
import dev.lanewise.nn.GlobalPool;
import dev.lanewise.nn.ref.RefPool2d;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link GlobalPool} against {@link RefPool2d#globalAverage} and {@link RefPool2d#globalMax}, bit for
 * bit: planes of 1 to about 300 cells (so every tail of the sixteen partial sums), dense and with a
 * plane stride, inputs with NaN, infinities, signed zeros and subnormals, and guard zones around the
 * outputs; results independent of the thread count; no allocation in steady state.
 */
class GlobalPoolTest {

    private record Problem(int batch, int channels, int height, int width, int inOffset, int inStride,
                           float[] input, float[] dense) {

        static Problem of(int batch, int channels, int height, int width, int inOffset, int inGap, FloatFill fill,
                          long seed) {
            int size = height * width;
            int planes = batch * channels;
            int stride = size + inGap;
            float[] input = new float[inOffset + (planes - 1) * stride + size + 3];
            Arrays.fill(input, PoolCase.INPUT_GUARD);
            float[] dense = new float[planes * size];
            SplittableRandom random = new SplittableRandom(seed);
            for (int p = 0; p < planes; p++) {
                fill.fill(input, inOffset + p * stride, size, random);
                System.arraycopy(input, inOffset + p * stride, dense, p * size, size);
            }
            return new Problem(batch, channels, height, width, inOffset, stride, input, dense);
        }

        int planes() {
            return batch * channels;
        }

        boolean isDense() {
            return inStride == height * width;
        }

        /** Runs the global average (or max) into a sentinel-filled output from {@code outOffset}; checks and returns it. */
        float[] check(boolean average, int outOffset, boolean denseOverload) {
            float[] expected = new float[planes()];
            if (average) {
                RefPool2d.globalAverage(batch, channels, height, width, dense, 0, expected, 0);
            } else {
                RefPool2d.globalMax(batch, channels, height, width, dense, 0, expected, 0);
            }
            int[] inputBits = TestArrays.bits(input);
            float[] out = PoolChecker.sentinels(outOffset + planes() + 5);
            if (average && denseOverload) {
                GlobalPool.average(batch, channels, height, width, input, inOffset, out, outOffset);
            } else if (average) {
                GlobalPool.average(batch, channels, height, width, input, inOffset, inStride, out, outOffset);
            } else if (denseOverload) {
                GlobalPool.max(batch, channels, height, width, input, inOffset, out, outOffset);
            } else {
                GlobalPool.max(batch, channels, height, width, input, inOffset, inStride, out, outOffset);
            }
            String what = (average ? "global average of " : "global max of ") + this;
            for (int i = 0; i < out.length; i++) {
                int p = i - outOffset;
                if (p < 0 || p >= planes()) {
                    if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(PoolChecker.SENTINEL)) {
                        fail("guard element " + i + " was written (" + out[i] + "): " + what);
                    }
                } else if (Float.floatToIntBits(out[i]) != Float.floatToIntBits(expected[p])) {
                    fail("plane " + p + " = " + out[i] + ", expected " + expected[p] + ": " + what);
                }
            }
            assertArrayEquals(inputBits, TestArrays.bits(input), "the input was modified: " + what);
            return out;
        }

        @Override
        public String toString() {
            return "[batch " + batch + ", channels " + channels + ", " + height + "x" + width + ", in offset "
                    + inOffset + ", plane stride " + inStride + "]";
        }
    }

    @Property(tries = 400)
    void matchReference(@ForAll @IntRange(min = 1, max = 2) int batch, @ForAll @IntRange(min = 1, max = 3) int channels,
                        @ForAll @IntRange(min = 1, max = 20) int height, @ForAll @IntRange(min = 1, max = 17) int width,
                        @ForAll FloatFill fill, @ForAll @IntRange(max = 5) int inOffset,
                        @ForAll @IntRange(max = 40) int inGap, @ForAll @IntRange(max = 5) int outOffset,
                        @ForAll boolean denseOverload, @ForAll long seed) {
        if (denseOverload) {
            inGap = 0;
        }
        Problem pr = Problem.of(batch, channels, height, width, inOffset, inGap, fill, seed);
        pr.check(true, outOffset, denseOverload);
        pr.check(false, outOffset, denseOverload);
        int size = height * width;
        Statistics.label("plane size").collect(size < 16 ? "< 16" : size % 16 == 0 ? "multiple of 16" : "tail");
        Statistics.label("layout").collect(pr.isDense() ? "dense" : "plane stride");
        Statistics.label("plane size").coverage(c -> {
            c.check("< 16").count(x -> x > 0);
            c.check("multiple of 16").count(x -> x > 0);
            c.check("tail").count(x -> x > 0);
        });
        Statistics.label("layout").coverage(c -> c.check("plane stride").count(x -> x > 0));
    }

    /** Single rows of every length up to 300, in two planes with a gap. */
    @Property(tries = 150)
    void matchReferenceOnLongRows(@ForAll @IntRange(min = 1, max = 300) int width, @ForAll FloatFill fill,
                                  @ForAll @IntRange(max = 3) int inGap, @ForAll long seed) {
        Problem pr = Problem.of(1, 2, 1, width, 1, inGap, fill, seed);
        pr.check(true, 2, false);
        pr.check(false, 0, false);
    }

    /** Planes split over threads: 1, 2 and 4 threads give the same bits. */
    @Example
    void resultsAreBitIdenticalForAnyThreadCount() {
        Problem[] problems = {
            Problem.of(2, 16, 90, 97, 0, 0, FloatFill.SPECIALS, 1),
            Problem.of(1, 5, 157, 171, 3, 11, FloatFill.UNIFORM, 2)};
        int before = Lanewise.threads();
        try {
            for (Problem pr : problems) {
                Lanewise.setThreads(1);
                float[] average = pr.check(true, 1, pr.isDense());
                float[] max = pr.check(false, 1, pr.isDense());
                for (int threads : new int[] {2, 4}) {
                    Lanewise.setThreads(threads);
                    assertArrayEquals(PoolChecker.canonicalBits(average), PoolChecker.canonicalBits(pr.check(true, 1, pr.isDense())),
                            threads + " threads differ from 1 for " + pr);
                    assertArrayEquals(PoolChecker.canonicalBits(max), PoolChecker.canonicalBits(pr.check(false, 1, pr.isDense())),
                            threads + " threads differ from 1 for " + pr);
                }
            }
        } finally {
            Lanewise.setThreads(before);
        }
    }

    /**
     * Small and multi-threaded calls of both pools allocate nothing on the calling thread in steady
     * state. Rounds of many calls, so that the measurement lasts long enough for C2 to compile the
     * kernels even when earlier tests left it a queue of work.
     */
    @Example
    void steadyStateCallsAllocateNothing() {
        Problem small = Problem.of(2, 3, 37, 41, 1, 5, FloatFill.UNIFORM, 3);
        Problem large = Problem.of(2, 16, 90, 97, 0, 0, FloatFill.UNIFORM, 4);
        float[] out = new float[64];
        int before = Lanewise.threads();
        try {
            Lanewise.setThreads(2);
            TestArrays.assertSteadyStateAllocatesNothing(new Runnable[] {
                () -> GlobalPool.average(2, 3, 37, 41, small.input(), 1, small.inStride(), out, 0),
                () -> GlobalPool.max(2, 3, 37, 41, small.input(), 1, small.inStride(), out, 0),
                () -> GlobalPool.average(2, 3, 37, 41, small.dense(), 0, out, 0),
                () -> GlobalPool.max(2, 3, 37, 41, small.dense(), 0, out, 0)}, 3_000, 2_000);
            TestArrays.assertSteadyStateAllocatesNothing(new Runnable[] {
                () -> GlobalPool.average(2, 16, 90, 97, large.input(), 0, out, 0),
                () -> GlobalPool.max(2, 16, 90, 97, large.input(), 0, out, 0)}, 200, 20);
        } finally {
            Lanewise.setThreads(before);
        }
    }
}
