package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.nn.AveragePool2d;
import dev.lanewise.nn.GlobalPool;
import dev.lanewise.nn.MaxPool2d;
import dev.lanewise.nn.PoolWindow;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every bad-input rule of the pooling operators ({@link PoolWindow}, {@link MaxPool2d},
 * {@link AveragePool2d}, {@link GlobalPool}): the call throws the documented exception, its
 * message names the argument, and nothing is written (outputs and indices keep their sentinels,
 * the input is unchanged).
 */
class PoolBadInputTest {

    /** 3x3 stride 2 pad 1 on 5x5: 3x3 outputs. */
    private final MaxPool2d max = MaxPool2d.pytorch(3, 2, 1, 1, false);
    private final AveragePool2d average = AveragePool2d.pytorch(3, 2, 1, false, true);
    private final float[] input = TestArrays.filled(2 * 25, new java.util.SplittableRandom(1));
    private final float[] output = PoolChecker.sentinels(2 * 9);
    private final long[] indices = filledIndices(2 * 9);

    private static long[] filledIndices(int n) {
        long[] x = new long[n];
        Arrays.fill(x, PoolChecker.INDEX_SENTINEL);
        return x;
    }

    private void rejects(Class<? extends RuntimeException> type, String named, Executable call) {
        int[] in = TestArrays.bits(input);
        int[] out = TestArrays.bits(output);
        long[] idx = indices.clone();
        RuntimeException e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(named), "message names " + named + ": " + e.getMessage());
        assertArrayEquals(out, TestArrays.bits(output), "nothing written to the output");
        assertArrayEquals(idx, indices, "nothing written to the indices");
        assertArrayEquals(in, TestArrays.bits(input), "input unchanged");
    }

    /** Rejected by all four pooling calls alike (max, max with indices, average; strided overloads). */
    private void allReject(Class<? extends RuntimeException> type, String named, int batch, int channels, int height,
                           int width, float[] in, int inOff, int inStride, float[] out, int outOff, int outStride,
                           long[] idx, int idxOff) {
        rejects(type, named, () -> max.forward(batch, channels, height, width, in, inOff, inStride, out, outOff, outStride));
        rejects(type, named, () -> max.forwardWithIndices(batch, channels, height, width, in, inOff, inStride, out,
                outOff, outStride, idx, idxOff));
        rejects(type, named, () -> average.forward(batch, channels, height, width, in, inOff, inStride, out, outOff,
                outStride));
    }

    @Test
    void windowAttributesOutOfRange() {
        rejects(IllegalArgumentException.class, "kernelHeight", () -> PoolWindow.of(0, 3));
        rejects(IllegalArgumentException.class, "kernelWidth", () -> PoolWindow.of(3, -1));
        rejects(IllegalArgumentException.class, "strideHeight", () -> PoolWindow.of(3, 3).withStrides(0, 1));
        rejects(IllegalArgumentException.class, "strideWidth", () -> PoolWindow.of(3, 3).withStrides(1, -2));
        rejects(IllegalArgumentException.class, "dilationHeight", () -> PoolWindow.of(3, 3).withDilations(0, 1));
        rejects(IllegalArgumentException.class, "dilationWidth", () -> PoolWindow.of(3, 3).withDilations(1, 0));
        rejects(IllegalArgumentException.class, "padTop", () -> PoolWindow.of(3, 3).withPads(-1, 0, 0, 0));
        rejects(IllegalArgumentException.class, "padLeft", () -> PoolWindow.of(3, 3).withPads(0, -1, 0, 0));
        rejects(IllegalArgumentException.class, "padBottom", () -> PoolWindow.of(3, 3).withPads(0, 0, -1, 0));
        rejects(IllegalArgumentException.class, "padRight", () -> PoolWindow.of(3, 3).withPads(0, 0, 0, -1));
        rejects(IllegalArgumentException.class, "height", () -> PoolWindow.of(3, 3).outputHeight(0));
        rejects(IllegalArgumentException.class, "width", () -> PoolWindow.of(3, 3).outputWidth(-3));
        rejects(IllegalArgumentException.class, "stride", () -> MaxPool2d.pytorch(3, 0, 1, 1, false));
        rejects(IllegalArgumentException.class, "pad", () -> AveragePool2d.pytorch(3, 1, -1, false, false));
        rejects(NullPointerException.class, "window", () -> MaxPool2d.of(null));
        rejects(NullPointerException.class, "window", () -> AveragePool2d.of(null, true));
    }

    @Test
    void nonPositiveSizes() {
        allReject(IllegalArgumentException.class, "batch", -1, 2, 5, 5, input, 0, 25, output, 0, 9, indices, 0);
        allReject(IllegalArgumentException.class, "channels", 1, -1, 5, 5, input, 0, 25, output, 0, 9, indices, 0);
        allReject(IllegalArgumentException.class, "height", 1, 2, 0, 5, input, 0, 25, output, 0, 9, indices, 0);
        allReject(IllegalArgumentException.class, "width", 1, 2, 5, -5, input, 0, 25, output, 0, 9, indices, 0);
        rejects(IllegalArgumentException.class, "batch", () -> max.forward(-1, 2, 5, 5, input, 0, output, 0));
        rejects(IllegalArgumentException.class, "height", () -> average.forward(1, 2, 0, 5, input, 0, output, 0));
        rejects(IllegalArgumentException.class, "width", () -> max.forward(1, 2, 5, 0, input, 0, output, 0));
    }

    /** No batch or no channels: nothing to do, nothing written, no exception. */
    @Test
    void emptyBatchWritesNothing() {
        max.forwardWithIndices(0, 2, 5, 5, input, 0, 25, output, 0, 9, indices, 0);
        average.forward(2, 0, 5, 5, input, 0, output, 0);
        GlobalPool.average(0, 3, 5, 5, input, 0, output, 0);
        assertArrayEquals(TestArrays.bits(PoolChecker.sentinels(output.length)), TestArrays.bits(output));
        assertArrayEquals(filledIndices(indices.length), indices);
    }

    @Test
    void kernelLargerThanThePaddedInput() {
        // kernel 3, pad 1 + 1: at least 1 row; dilation 3 makes the kernel 7 tall: needs 5 rows.
        MaxPool2d dilated = MaxPool2d.of(PoolWindow.of(3, 3).withDilations(3, 1).withPads(1, 1, 1, 1));
        rejects(IllegalArgumentException.class, "height", () -> dilated.forward(1, 2, 4, 5, input, 0, output, 0));
        rejects(IllegalArgumentException.class, "height", () -> dilated.outputHeight(4));
        AveragePool2d wide = AveragePool2d.of(PoolWindow.of(1, 7), false);
        rejects(IllegalArgumentException.class, "width", () -> wide.forward(1, 2, 8, 6, input, 0, 48, output, 0, 9));
        // the example: kernel 2, dilation 3 on one row padded by 1 on each side (extent 4 > 3)
        MaxPool2d example = MaxPool2d.of(PoolWindow.of(2, 1).withDilations(3, 1).withPads(1, 0, 1, 0));
        rejects(IllegalArgumentException.class, "height", () -> example.forward(1, 1, 1, 5, input, 0, output, 0));
    }

    /** Windows holding padding alone: kernel 2, dilation 2 on one row padded by 1 taps rows -1 and 1. */
    @Test
    void paddingOnlyWindow() {
        PoolWindow window = PoolWindow.of(2, 1).withDilations(2, 1).withPads(1, 0, 1, 0);
        MaxPool2d padded = MaxPool2d.of(window);
        AveragePool2d paddedAverage = AveragePool2d.of(window, true);
        rejects(IllegalArgumentException.class, "padding", () -> padded.forward(1, 2, 1, 5, input, 0, 5, output, 0, 5));
        rejects(IllegalArgumentException.class, "padding", () -> padded.forwardWithIndices(1, 2, 1, 5, input, 0, 5,
                output, 0, 5, indices, 0));
        rejects(IllegalArgumentException.class, "padding", () -> paddedAverage.forward(1, 2, 1, 5, input, 0, output, 0));
        // Along the width: kernel 2, dilation 3, pads 2 on a 1-column plane: the first window taps columns -2 and 1.
        MaxPool2d wide = MaxPool2d.of(PoolWindow.of(1, 2).withDilations(1, 3).withPads(0, 2, 0, 2));
        rejects(IllegalArgumentException.class, "padding", () -> wide.forward(1, 1, 3, 1, input, 0, output, 0));
    }

    @Test
    void planeStridesSmallerThanAPlane() {
        allReject(IllegalArgumentException.class, "input plane stride", 1, 2, 5, 5, input, 0, 24, output, 0, 9, indices, 0);
        allReject(IllegalArgumentException.class, "output plane stride", 1, 2, 5, 5, input, 0, 25, output, 0, 8, indices, 0);
        rejects(IllegalArgumentException.class, "input plane stride",
                () -> GlobalPool.max(1, 2, 5, 5, input, 0, 24, output, 0));
    }

    @Test
    void offsetsAndRangesOutsideTheArrays() {
        allReject(IndexOutOfBoundsException.class, "input", 1, 2, 5, 5, input, -1, 25, output, 0, 9, indices, 0);
        allReject(IndexOutOfBoundsException.class, "input", 1, 2, 5, 5, input, 1, 25, output, 0, 9, indices, 0);
        allReject(IndexOutOfBoundsException.class, "input", 1, 2, 5, 5, input, 0, 26, output, 0, 9, indices, 0);
        allReject(IndexOutOfBoundsException.class, "input", 2, 2, 5, 5, input, 0, 25, new float[36], 0, 9, indices, 0);
        allReject(IndexOutOfBoundsException.class, "output", 1, 2, 5, 5, input, 0, 25, output, -1, 9, indices, 0);
        allReject(IndexOutOfBoundsException.class, "output", 1, 2, 5, 5, input, 0, 25, output, 1, 9, indices, 0);
        allReject(IndexOutOfBoundsException.class, "output", 1, 2, 5, 5, input, 0, 25, output, 0, 10, indices, 0);
        rejects(IndexOutOfBoundsException.class, "input", () -> max.forward(1, 2, 5, 5, input, 1, output, 0));
        rejects(IndexOutOfBoundsException.class, "output", () -> average.forward(1, 2, 5, 5, input, 0, output, 1));
        rejects(IndexOutOfBoundsException.class, "indices", () -> max.forwardWithIndices(1, 2, 5, 5, input, 0, 25,
                output, 0, 9, indices, -1));
        rejects(IndexOutOfBoundsException.class, "indices", () -> max.forwardWithIndices(1, 2, 5, 5, input, 0, 25,
                output, 0, 9, indices, 1));
        rejects(IndexOutOfBoundsException.class, "indices", () -> max.forwardWithIndices(1, 2, 5, 5, input, 0, 25,
                output, 0, 9, new long[17], 0));
    }

    /** Offsets, strides and counts whose products or sums overflow an int are caught, not wrapped. */
    @Test
    void sizesOverflowingAnInt() {
        int big = Integer.MAX_VALUE;
        allReject(IndexOutOfBoundsException.class, "input", 1, 2, 5, 5, input, big - 3, 25, output, 0, 9, indices, 0);
        allReject(IndexOutOfBoundsException.class, "input", 1, 2, 5, 5, input, 0, big, output, 0, 9, indices, 0);
        allReject(IndexOutOfBoundsException.class, "input", 1, 3, 5, 5, input, 0, big / 2 + 1, output, 0, 9, indices, 0);
        allReject(IndexOutOfBoundsException.class, "output", 1, 2, 5, 5, input, 0, 25, output, big - 3, 9, indices, 0);
        allReject(IndexOutOfBoundsException.class, "output", 1, 2, 5, 5, input, 0, 25, output, 0, big, indices, 0);
        rejects(IndexOutOfBoundsException.class, "indices", () -> max.forwardWithIndices(1, 2, 5, 5, input, 0, 25,
                output, 0, 9, indices, big));
        allReject(IllegalArgumentException.class, "Integer.MAX_VALUE", 1, 1, 50_000, 50_000, input, 0, 25, output, 0, 9,
                indices, 0);
        allReject(IllegalArgumentException.class, "batch * channels", 1 << 16, 1 << 16, 5, 5, input, 0, 25, output, 0, 9,
                indices, 0);
        rejects(IllegalArgumentException.class, "Integer.MAX_VALUE", () -> max.forward(1, 1, 50_000, 50_000, input, 0,
                output, 0));
        rejects(IllegalArgumentException.class, "Integer.MAX_VALUE", () -> average.forward(1, 1, 50_000, 50_000, input,
                0, output, 0));
        // H * W fits an int, but 7x7 with pads of 6 makes the output plane 46347 x 46346, which does not.
        MaxPool2d padded = MaxPool2d.of(PoolWindow.of(7, 7).withPads(6, 6, 6, 6));
        rejects(IllegalArgumentException.class, "Integer.MAX_VALUE", () -> padded.forward(1, 1, 46_341, 46_340, input, 0,
                output, 0));
        rejects(IllegalArgumentException.class, "Integer.MAX_VALUE",
                () -> GlobalPool.average(1, 1, 50_000, 50_000, input, 0, output, 0));
        rejects(IllegalArgumentException.class, "batch * channels",
                () -> GlobalPool.max(1 << 16, 1 << 16, 1, 1, input, 0, output, 0));
    }

    @Test
    void nullArrays() {
        allReject(NullPointerException.class, "input", 1, 2, 5, 5, null, 0, 25, output, 0, 9, indices, 0);
        allReject(NullPointerException.class, "output", 1, 2, 5, 5, input, 0, 25, null, 0, 9, indices, 0);
        rejects(NullPointerException.class, "indices", () -> max.forwardWithIndices(1, 2, 5, 5, input, 0, 25, output,
                0, 9, null, 0));
        rejects(NullPointerException.class, "input", () -> max.forward(1, 2, 5, 5, null, 0, output, 0));
        rejects(NullPointerException.class, "output", () -> average.forward(1, 2, 5, 5, input, 0, null, 0));
    }

    /** Output and input in one array must not overlap (the kernels read inputs after writing outputs). */
    @Test
    void outputOverlappingTheInput() {
        float[] shared = TestArrays.filled(60, new java.util.SplittableRandom(2));
        float[] before = shared.clone();
        for (int outOff : new int[] {0, 20, 40, 42}) {
            for (Executable call : new Executable[] {
                () -> max.forward(1, 2, 5, 5, shared, 0, shared, outOff),
                () -> max.forwardWithIndices(1, 2, 5, 5, shared, 0, 25, shared, outOff, 9, indices, 0),
                () -> average.forward(1, 2, 5, 5, shared, 0, 25, shared, outOff, 9),
                () -> GlobalPool.average(1, 2, 5, 5, shared, 0, shared, outOff),
                () -> GlobalPool.max(1, 2, 5, 5, shared, 0, 25, shared, outOff)}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
                assertTrue(e.getMessage().contains("overlaps") && e.getMessage().contains("output"), e.getMessage());
                assertArrayEquals(TestArrays.bits(before), TestArrays.bits(shared), "nothing written");
            }
        }
        assertArrayEquals(filledIndices(indices.length), indices, "nothing written to the indices");
        // Disjoint ranges of one array are fine: the input at 0..49, the outputs from 50.
        float[] one = new float[50 + 18];
        System.arraycopy(input, 0, one, 0, 50);
        max.forward(1, 2, 5, 5, one, 0, one, 50);
        float[] separate = new float[18];
        max.forward(1, 2, 5, 5, input, 0, separate, 0);
        assertArrayEquals(separate, Arrays.copyOfRange(one, 50, 68));
    }

    @Test
    void globalPoolArguments() {
        rejects(IllegalArgumentException.class, "batch", () -> GlobalPool.average(-1, 2, 5, 5, input, 0, output, 0));
        rejects(IllegalArgumentException.class, "channels", () -> GlobalPool.max(1, -2, 5, 5, input, 0, output, 0));
        rejects(IllegalArgumentException.class, "height", () -> GlobalPool.average(1, 2, 0, 5, input, 0, output, 0));
        rejects(IllegalArgumentException.class, "width", () -> GlobalPool.max(1, 2, 5, 0, input, 0, 25, output, 0));
        rejects(IndexOutOfBoundsException.class, "input", () -> GlobalPool.average(1, 2, 5, 5, input, -1, output, 0));
        rejects(IndexOutOfBoundsException.class, "input", () -> GlobalPool.average(1, 2, 5, 5, input, 1, output, 0));
        rejects(IndexOutOfBoundsException.class, "input", () -> GlobalPool.max(1, 2, 5, 5, input, 0, 26, output, 0));
        rejects(IndexOutOfBoundsException.class, "input",
                () -> GlobalPool.max(1, 2, 5, 5, input, Integer.MAX_VALUE - 10, output, 0));
        rejects(IndexOutOfBoundsException.class, "output", () -> GlobalPool.average(1, 2, 5, 5, input, 0, output, -1));
        rejects(IndexOutOfBoundsException.class, "output", () -> GlobalPool.max(1, 2, 5, 5, input, 0, output, 17));
        rejects(IndexOutOfBoundsException.class, "output",
                () -> GlobalPool.max(1, 2, 5, 5, input, 0, output, Integer.MAX_VALUE));
        rejects(NullPointerException.class, "input", () -> GlobalPool.average(1, 2, 5, 5, null, 0, output, 0));
        rejects(NullPointerException.class, "output", () -> GlobalPool.max(1, 2, 5, 5, input, 0, null, 0));
    }
}
