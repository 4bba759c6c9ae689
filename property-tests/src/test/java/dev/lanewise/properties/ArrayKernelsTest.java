package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lanewise.kernels.internal.ArrayKernels;
import dev.lanewise.kernels.internal.Providers;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The provider's {@link ArrayKernels} against plain loops, bit for bit: every length around the
 * vector width (whole vectors, masked tails), strides 1 to 4 (contiguous, the stride-2 permute, the
 * gather), runs that end at the very end of the source array, and nothing written outside the
 * destination range; blocks of rows with gaps between them.
 */
class ArrayKernelsTest {

    private final ArrayKernels arrays = Providers.current().arrays();

    @Property(tries = 400)
    void copyStridedMatchesALoop(@ForAll @IntRange(min = 0, max = 70) int n, @ForAll @IntRange(min = 1, max = 4) int stride,
                                 @ForAll @IntRange(min = 0, max = 5) int srcOff, @ForAll @IntRange(min = 0, max = 5) int dstOff,
                                 @ForAll boolean endsAtArrayEnd, @ForAll long seed) {
        int span = n == 0 ? 0 : (n - 1) * stride + 1;
        float[] src = TestArrays.filled(srcOff + span + (endsAtArrayEnd ? 0 : 40), new SplittableRandom(seed));
        float[] expected = new float[dstOff + n + 20];
        Arrays.fill(expected, GemmChecker.GUARD);
        float[] got = expected.clone();
        for (int i = 0; i < n; i++) {
            expected[dstOff + i] = src[srcOff + i * stride];
        }
        arrays.copyStrided(src, srcOff, stride, got, dstOff, n);
        Statistics.label("length").collect(n % Providers.current().floatLanes() == 0 ? "whole vectors" : "with a tail");
        assertArrayEquals(TestArrays.bits(expected), TestArrays.bits(got), n + " floats, stride " + stride);
    }

    @Property(tries = 300)
    void copyRowsMatchesALoop(@ForAll @IntRange(min = 0, max = 5) int rows, @ForAll @IntRange(min = 0, max = 40) int n,
                              @ForAll @IntRange(min = 1, max = 3) int stride,
                              @ForAll @IntRange(min = 0, max = 8) int srcGap, @ForAll @IntRange(min = 0, max = 8) int dstGap,
                              @ForAll @IntRange(min = 0, max = 5) int srcOff, @ForAll @IntRange(min = 0, max = 5) int dstOff,
                              @ForAll boolean endsAtArrayEnd, @ForAll long seed) {
        int rowSpan = n == 0 ? 0 : (n - 1) * stride + 1;
        int srcStride = rowSpan + srcGap;
        int dstStride = n + dstGap;
        int span = rows == 0 ? 0 : (rows - 1) * srcStride + rowSpan;
        float[] src = TestArrays.filled(srcOff + span + (endsAtArrayEnd ? 0 : 40), new SplittableRandom(seed));
        float[] expected = new float[dstOff + rows * dstStride + 20];
        Arrays.fill(expected, GemmChecker.GUARD);
        float[] got = expected.clone();
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                expected[dstOff + r * dstStride + i] = src[srcOff + r * srcStride + i * stride];
            }
        }
        arrays.copyRows(src, srcOff, srcStride, stride, got, dstOff, dstStride, rows, n);
        Statistics.label("row length").collect(n % Providers.current().floatLanes() == 0 ? "whole vectors" : "with a tail");
        assertArrayEquals(TestArrays.bits(expected), TestArrays.bits(got), rows + " rows of " + n + " floats, stride " + stride);
    }

    @Property(tries = 300)
    void deinterleaveRowsMatchesALoop(@ForAll @IntRange(min = 0, max = 5) int rows, @ForAll @IntRange(min = 0, max = 40) int nOdd,
                                      @ForAll boolean oneMoreEven, @ForAll @IntRange(min = 0, max = 3) int srcGap,
                                      @ForAll @IntRange(min = 0, max = 5) int srcOff, @ForAll boolean endsAtArrayEnd,
                                      @ForAll long seed) {
        int nEven = nOdd + (oneMoreEven ? 1 : 0);
        int rowSpan = Math.max(2 * nEven - 1, 2 * nOdd);
        int srcStride = rowSpan + srcGap;
        int dstStride = nEven + nOdd + 3;
        int span = rows == 0 ? 0 : (rows - 1) * srcStride + rowSpan;
        float[] src = TestArrays.filled(srcOff + span + (endsAtArrayEnd ? 0 : 40), new SplittableRandom(seed));
        float[] expected = new float[2 + rows * dstStride + 20];
        Arrays.fill(expected, GemmChecker.GUARD);
        float[] got = expected.clone();
        int evenOff = 2;
        int oddOff = 2 + nEven + 1;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < nEven; i++) {
                expected[evenOff + r * dstStride + i] = src[srcOff + r * srcStride + 2 * i];
            }
            for (int i = 0; i < nOdd; i++) {
                expected[oddOff + r * dstStride + i] = src[srcOff + r * srcStride + 2 * i + 1];
            }
        }
        arrays.deinterleaveRows(src, srcOff, srcStride, got, evenOff, nEven, oddOff, nOdd, dstStride, rows);
        assertArrayEquals(TestArrays.bits(expected), TestArrays.bits(got), rows + " rows of " + nEven + " + " + nOdd + " floats");
    }

    @Property(tries = 200)
    void zeroMatchesALoop(@ForAll @IntRange(min = 0, max = 70) int n, @ForAll @IntRange(min = 0, max = 5) int off) {
        float[] expected = new float[off + n + 20];
        Arrays.fill(expected, GemmChecker.GUARD);
        float[] got = expected.clone();
        Arrays.fill(expected, off, off + n, 0f);
        arrays.zero(got, off, n);
        assertArrayEquals(TestArrays.bits(expected), TestArrays.bits(got), n + " zeros");
    }
}
