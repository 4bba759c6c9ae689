package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanewise.nn.Activation;
import dev.lanewise.nn.AveragePool2d;
import dev.lanewise.nn.GlobalPool;
import dev.lanewise.nn.MaxPool2d;
import dev.lanewise.nn.PoolWindow;
import org.junit.jupiter.api.Test;

/**
 * Pooling and activations on cases small enough to work out by hand. Float arrays are compared by
 * {@link org.junit.jupiter.api.Assertions#assertArrayEquals(float[], float[])}, which tells
 * {@code -0.0} from {@code +0.0} and takes any NaN for NaN.
 */
class PoolKnownAnswerTest {

    private static final float NAN_A = Float.intBitsToFloat(0x7fc0_0001);
    private static final float NAN_B = Float.intBitsToFloat(0xffc0_0002);

    /** Max pool of one {@code h x w} plane, values and indices; the indices must agree with the values-only call. */
    private static long[] maxWithIndices(MaxPool2d pool, int channels, int h, int w, float[] input, float[] expected) {
        int oh = pool.outputHeight(h);
        int ow = pool.outputWidth(w);
        float[] out = new float[channels * oh * ow];
        pool.forward(1, channels, h, w, input, 0, out, 0);
        assertArrayEquals(expected, out);
        float[] out2 = new float[out.length];
        long[] indices = new long[out.length];
        pool.forwardWithIndices(1, channels, h, w, input, 0, h * w, out2, 0, oh * ow, indices, 0);
        assertArrayEquals(expected, out2);
        return indices;
    }

    @Test
    void maxPool2x2Stride2() {
        float[] image = {
            1, 9, 3, 4,
            5, 6, 2, 8,
            -1, -2, 11, 0,
            13, -4, 15, 16};
        MaxPool2d pool = MaxPool2d.pytorch(2, 2, 0, 1, false);
        assertEquals(2, pool.outputHeight(4));
        long[] indices = maxWithIndices(pool, 1, 4, 4, image, new float[] {9, 8, 13, 16});
        assertArrayEquals(new long[] {1, 7, 12, 15}, indices);
    }

    /**
     * 3x3 stride 2 padding 1 over two 3x3 planes: 2x2 outputs, each window the 2x2 corner of the
     * padded plane; indices flattened over the whole input (plane 1 starts at 9), the first of
     * tied maxima in window order. Plane 1 is all negative: padding never wins.
     */
    @Test
    void maxPool3x3Stride2Pad1WithIndicesOverTwoPlanes() {
        float[] input = {
            1, 5, 2,
            0, 3, 4,
            7, -1, 6,

            -5, -3, -8,
            -3, -9, -2,
            -6, -7, -4};
        MaxPool2d pool = MaxPool2d.pytorch(3, 2, 1, 1, false);
        long[] indices = maxWithIndices(pool, 2, 3, 3, input, new float[] {5, 5, 7, 6, -3, -2, -3, -2});
        assertArrayEquals(new long[] {1, 1, 6, 8, 10, 14, 12, 14}, indices);

        // The same planes from an offset and a plane stride: indices still count from the call's first plane.
        float[] strided = new float[4 + 9 + 6 + 9];
        System.arraycopy(input, 0, strided, 4, 9);
        System.arraycopy(input, 9, strided, 4 + 15, 9);
        float[] out = new float[8];
        long[] idx = new long[8];
        pool.forwardWithIndices(2, 1, 3, 3, strided, 4, 15, out, 0, 4, idx, 0);
        assertArrayEquals(new float[] {5, 5, 7, 6, -3, -2, -3, -2}, out);
        assertArrayEquals(new long[] {1, 1, 6, 8, 10, 14, 12, 14}, idx);
    }

    /** A window of negative values padded on both sides yields its largest negative value, not 0. */
    @Test
    void paddingNeverWins() {
        MaxPool2d pool = MaxPool2d.of(PoolWindow.of(1, 3).withPads(0, 1, 0, 1));
        long[] indices = maxWithIndices(pool, 1, 1, 3, new float[] {-3, -1, -2}, new float[] {-1, -1, -1});
        assertArrayEquals(new long[] {1, 1, 1}, indices);
        float[] out = new float[3];
        AveragePool2d.of(PoolWindow.of(1, 3).withPads(0, 1, 0, 1), false).forward(1, 1, 1, 3,
                new float[] {-3, -1, -2}, 0, out, 0);
        assertArrayEquals(new float[] {-4f / 2, -6f / 3, -3f / 2}, out);
    }

    /**
     * 3x3 stride 1 padding 1 on a 3x3 plane: count_include_pad = 0 divides the corner by its 4
     * input cells, = 1 by all 9 cells of the window.
     */
    @Test
    void averageCountIncludePadBothWays() {
        float[] image = {
            1, 2, 3,
            4, 5, 6,
            7, 8, 9};
        float[] excluded = new float[9];
        float[] included = new float[9];
        AveragePool2d.pytorch(3, 1, 1, false, false).forward(1, 1, 3, 3, image, 0, excluded, 0);
        AveragePool2d.pytorch(3, 1, 1, false, true).forward(1, 1, 3, 3, image, 0, included, 0);
        assertArrayEquals(new float[] {
            12f / 4, 21f / 6, 16f / 4,
            27f / 6, 45f / 9, 33f / 6,
            24f / 4, 39f / 6, 28f / 4}, excluded);
        assertArrayEquals(new float[] {3f, 3.5f, 4f, 4.5f, 5f, 5.5f, 6f, 6.5f, 7f}, excluded);
        assertArrayEquals(new float[] {
            12f / 9, 21f / 9, 16f / 9,
            27f / 9, 45f / 9, 33f / 9,
            24f / 9, 39f / 9, 28f / 9}, included);
    }

    /**
     * PyTorch's ceil mode on 5x5 with kernel 2, stride 2, padding 1: ceil((5 + 2 - 2) / 2) + 1 = 4
     * windows per axis, but the 4th would start at input index 3 * 2 - 1 = 5, inside the end
     * padding ((4 - 1) * 2 >= 5 + 1), so it is dropped: 3x3 outputs (as in floor mode), windows
     * over rows {0}, {1, 2}, {3, 4}.
     */
    @Test
    void ceilModeDropsAWindowStartingInThePadding() {
        float[] image = new float[25];
        for (int i = 0; i < 25; i++) {
            image[i] = i;
        }
        MaxPool2d max = MaxPool2d.pytorch(2, 2, 1, 1, true);
        assertEquals(3, max.outputHeight(5));
        assertEquals(3, max.outputWidth(5));
        assertEquals(3, MaxPool2d.pytorch(2, 2, 1, 1, false).outputHeight(5));
        long[] indices = maxWithIndices(max, 1, 5, 5, image, new float[] {0, 2, 4, 10, 12, 14, 20, 22, 24});
        assertArrayEquals(new long[] {0, 2, 4, 10, 12, 14, 20, 22, 24}, indices);

        // Averages over the same windows; with padding counted every window has 2 x 2 padded cells.
        float[] counted = new float[9];
        AveragePool2d.pytorch(2, 2, 1, true, true).forward(1, 1, 5, 5, image, 0, counted, 0);
        assertArrayEquals(new float[] {
            0f / 4, (1 + 2) / 4f, (3 + 4) / 4f,
            (5 + 10) / 4f, (6 + 7 + 11 + 12) / 4f, (8 + 9 + 13 + 14) / 4f,
            (15 + 20) / 4f, (16 + 17 + 21 + 22) / 4f, (18 + 19 + 23 + 24) / 4f}, counted);
        float[] inside = new float[9];
        AveragePool2d.pytorch(2, 2, 1, true, false).forward(1, 1, 5, 5, image, 0, inside, 0);
        assertArrayEquals(new float[] {
            0f, (1 + 2) / 2f, (3 + 4) / 2f,
            (5 + 10) / 2f, (6 + 7 + 11 + 12) / 4f, (8 + 9 + 13 + 14) / 4f,
            (15 + 20) / 2f, (16 + 17 + 21 + 22) / 4f, (18 + 19 + 23 + 24) / 4f}, inside);
    }

    /**
     * Ceil mode adding a window that runs past the end (no end padding): a row of 6, kernel 3,
     * stride 2 has 2 windows in floor mode and 3 in ceil mode, the last over {4, 5} only; its
     * divisor is 2 even with count_include_pad, as cells beyond the end padding never count.
     */
    @Test
    void ceilModeWindowPastTheEnd() {
        PoolWindow window = PoolWindow.of(1, 3).withStrides(1, 2);
        assertEquals(2, window.outputWidth(6));
        assertEquals(3, window.withCeilMode(true).outputWidth(6));
        float[] row = {1, 2, 3, 4, 5, 6};
        float[] out = new float[3];
        AveragePool2d.of(window.withCeilMode(true), true).forward(1, 1, 1, 6, row, 0, out, 0);
        assertArrayEquals(new float[] {2f, 4f, 5.5f}, out);
        long[] indices = maxWithIndices(MaxPool2d.of(window.withCeilMode(true)), 1, 1, 6, row, new float[] {3, 5, 6});
        assertArrayEquals(new long[] {2, 4, 5}, indices);
    }

    /** A window holding NaN yields NaN, with the index of its first NaN. */
    @Test
    void nanPropagatesWithTheFirstNanIndex() {
        float[] row = {1, NAN_A, 5, NAN_B};
        long[] all = maxWithIndices(MaxPool2d.of(PoolWindow.of(1, 4)), 1, 1, 4, row, new float[] {Float.NaN});
        assertArrayEquals(new long[] {1}, all);
        long[] pairs = maxWithIndices(MaxPool2d.of(PoolWindow.of(1, 2)), 1, 1, 4, row,
                new float[] {Float.NaN, Float.NaN, Float.NaN});
        assertArrayEquals(new long[] {1, 1, 3}, pairs);

        // A row wide enough for the vector path: x[i] = i, x[17] = NaN, kernel 3: outputs 15..17 are NaN at 17.
        float[] wide = new float[40];
        float[] expected = new float[38];
        long[] expectedIndices = new long[38];
        for (int i = 0; i < 40; i++) {
            wide[i] = i;
        }
        wide[17] = NAN_B;
        for (int o = 0; o < 38; o++) {
            boolean nan = o >= 15 && o <= 17;
            expected[o] = nan ? Float.NaN : o + 2;
            expectedIndices[o] = nan ? 17 : o + 2;
        }
        assertArrayEquals(expectedIndices, maxWithIndices(MaxPool2d.of(PoolWindow.of(1, 3)), 1, 1, 40, wide, expected));
        float[] average = new float[38];
        AveragePool2d.of(PoolWindow.of(1, 3), false).forward(1, 1, 1, 40, wide, 0, average, 0);
        for (int o = 0; o < 38; o++) {
            assertEquals(o >= 15 && o <= 17 ? Float.NaN : (o + o + 1 + o + 2) / 3f, average[o], "output " + o);
        }
    }

    /** +0.0 is larger than -0.0 (and moves the index); a window of -0.0 alone averages to -0.0. */
    @Test
    void positiveZeroBeatsNegativeZero() {
        long[] indices = maxWithIndices(MaxPool2d.of(PoolWindow.of(1, 3)), 1, 1, 3, new float[] {-0.0f, 0.0f, -0.0f},
                new float[] {0.0f});
        assertArrayEquals(new long[] {1}, indices);
        indices = maxWithIndices(MaxPool2d.of(PoolWindow.of(1, 2)), 1, 1, 3, new float[] {0.0f, -0.0f, -0.0f},
                new float[] {0.0f, -0.0f});
        assertArrayEquals(new long[] {0, 1}, indices);
        float[] out = new float[2];
        AveragePool2d.of(PoolWindow.of(1, 2).withPads(0, 1, 0, 0), true).forward(1, 1, 1, 2,
                new float[] {-0.0f, -0.0f}, 0, out, 0);
        assertArrayEquals(new float[] {-0.0f, -0.0f}, out);
    }

    /** Infinities of both signs in one window average to NaN; one infinity averages to itself. */
    @Test
    void infinitiesInAverages() {
        float[] out = new float[3];
        AveragePool2d.of(PoolWindow.of(1, 2), false).forward(1, 1, 1, 4,
                new float[] {Float.POSITIVE_INFINITY, 1, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, 0, out, 0);
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN}, out);
    }

    @Test
    void globalPoolsOfKnownPlanes() {
        float[] planes = new float[20 + 17];
        for (int i = 0; i < 20; i++) {
            planes[i] = i + 1;                       // 1 .. 20: sum 210
        }
        for (int i = 20; i < 37; i++) {
            planes[i] = -0.0f;                       // 17 cells of -0.0
        }
        float[] average = new float[2];
        float[] max = new float[2];
        GlobalPool.average(1, 1, 4, 5, planes, 0, average, 0);
        GlobalPool.max(1, 1, 4, 5, planes, 0, max, 0);
        GlobalPool.average(1, 1, 1, 17, planes, 20, average, 1);
        GlobalPool.max(1, 1, 1, 17, planes, 20, max, 1);
        assertArrayEquals(new float[] {10.5f, -0.0f}, average);
        assertArrayEquals(new float[] {20f, -0.0f}, max);

        float[] withNan = {3, -1, Float.NEGATIVE_INFINITY, NAN_A, 7};
        GlobalPool.average(1, 1, 1, 5, withNan, 0, average, 0);
        GlobalPool.max(1, 1, 1, 5, withNan, 0, max, 0);
        assertEquals(Float.NaN, average[0]);
        assertEquals(Float.NaN, max[0]);

        // Two planes 3 apart (a gap of one): averages 2 and 5.
        GlobalPool.average(2, 1, 1, 2, new float[] {1, 3, 99, 4, 6}, 0, 3, average, 0);
        assertArrayEquals(new float[] {2f, 5f}, average);
    }

    @Test
    void activationsOfSpecialValues() {
        float[] x = {-0.0f, 0.0f, Float.NaN, -2f, 3f, 7f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] y = new float[x.length];
        Activation.relu().apply(x, 0, y, 0, x.length);
        assertArrayEquals(new float[] {0.0f, 0.0f, Float.NaN, 0.0f, 3f, 7f, 0.0f, Float.POSITIVE_INFINITY}, y);
        Activation.relu6().apply(x, 0, y, 0, x.length);
        assertArrayEquals(new float[] {0.0f, 0.0f, Float.NaN, 0.0f, 3f, 6f, 0.0f, 6f}, y);
        Activation.leakyRelu(0.1f).apply(x, 0, y, 0, x.length);
        assertArrayEquals(new float[] {-0.0f, 0.0f, Float.NaN, 0.1f * -2f, 3f, 7f, Float.NEGATIVE_INFINITY,
            Float.POSITIVE_INFINITY}, y);
        Activation.leakyRelu(0f).apply(x, 0, y, 0, x.length);
        assertArrayEquals(new float[] {-0.0f, 0.0f, Float.NaN, -0.0f, 3f, 7f, Float.NaN, Float.POSITIVE_INFINITY}, y);
        Activation.clamp(-1f, 0.5f).apply(x, 0, y, 0, x.length);
        assertArrayEquals(new float[] {-0.0f, 0.0f, Float.NaN, -1f, 0.5f, 0.5f, -1f, 0.5f}, y);
        Activation.clamp(-0.0f, -0.0f).apply(x, 0, y, 0, x.length);
        assertArrayEquals(new float[] {-0.0f, -0.0f, Float.NaN, -0.0f, -0.0f, -0.0f, -0.0f, -0.0f}, y);
        // In place, NaN's payload is kept.
        float[] z = {NAN_A, -0.0f};
        Activation.relu().applyInPlace(z, 0, 2);
        assertEquals(Float.floatToRawIntBits(NAN_A), Float.floatToRawIntBits(z[0]));
        assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(z[1]));
    }
}
