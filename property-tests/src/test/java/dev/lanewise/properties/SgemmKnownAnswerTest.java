package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.Sgemm;
import dev.lanewise.kernels.ref.RefGemm;
import org.junit.jupiter.api.Test;

/** Hand-computed GEMMs: the oracle {@link RefGemm} and the fast path must both give them exactly. */
class SgemmKnownAnswerTest {

    // A = [1 2 3; 4 5 6] (2 x 3), B = [7 8; 9 10; 11 12] (3 x 2): A * B = [58 64; 139 154].
    private static final float[] A = {1, 2, 3, 4, 5, 6};
    private static final float[] B = {7, 8, 9, 10, 11, 12};
    private static final float[] AB = {58, 64, 139, 154};

    @Test
    void smallProduct() {
        float[] c = new float[4];
        Sgemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(AB, c);
        float[] r = new float[4];
        RefGemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 2, 0f, r, 0, 2, Epilogue.NONE);
        assertArrayEquals(AB, r);
    }

    @Test
    void transposedOperandsGiveTheSameProduct() {
        float[] at = {1, 4, 2, 5, 3, 6};   // A stored 3 x 2
        float[] bt = {7, 9, 11, 8, 10, 12}; // B stored 2 x 3
        float[] c = new float[4];
        Sgemm.sgemm(true, true, 2, 2, 3, 1f, at, 0, 2, bt, 0, 3, 0f, c, 0, 2);
        assertArrayEquals(AB, c);
    }

    @Test
    void alphaBetaOffsetsAndLeadingDimensions() {
        // A and B at offset 1 with one padding element per row; C at offset 2 with ldc = 3.
        float[] a = {-1, 1, 2, 3, -1, 4, 5, 6, -1};
        float[] b = {-1, 7, 8, -1, 9, 10, -1, 11, 12, -1};
        float[] c = {-9, -9, 1, 1, -9, 1, 1, -9};
        Sgemm.sgemm(false, false, 2, 2, 3, 2f, a, 1, 4, b, 1, 3, -1f, c, 2, 3);
        assertArrayEquals(new float[] {-9, -9, 115, 127, -9, 277, 307, -9}, c);
    }

    @Test
    void epilogueAddsBiasThenClamps() {
        float[] bias = {-100, -140};
        float[] c = new float[4];
        Sgemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 2, 0f, c, 0, 2, Epilogue.rowBias(bias, 0).withRelu());
        assertArrayEquals(new float[] {0, 0, 0, 14}, c);
        Sgemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 2, 0f, c, 0, 2, Epilogue.columnBias(bias, 0).withClamp(-50, 10));
        assertArrayEquals(new float[] {-42, -50, 10, 10}, c);
    }

    @Test
    void kZeroScalesCByBeta() {
        float[] c = {1, 2, 3, 4};
        Sgemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 3f, c, 0, 2);
        assertArrayEquals(new float[] {3, 6, 9, 12}, c);
    }

    @Test
    void alphaZeroIgnoresNaNInAAndB() {
        float[] nan = {Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        float[] c = {1, 2, 3, 4};
        Sgemm.sgemm(false, false, 2, 2, 3, 0f, nan, 0, 3, nan, 0, 2, 1f, c, 0, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c);
    }

    @Test
    void reluMapsNegativeZeroToPositiveZero() {
        // 1 * -0.0 = -0.0; ReLU(-0.0) = max(-0.0, 0) = +0.0 (Math.max semantics) on every path.
        float[] c = {7f};
        Sgemm.sgemm(false, false, 1, 1, 1, 1f, new float[] {1f}, 0, 1, new float[] {-0f}, 0, 1, 0f, c, 0, 1, Epilogue.relu());
        assertArrayEquals(new float[] {0f}, c);
        org.junit.jupiter.api.Assertions.assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(c[0]));
    }

    @Test
    void residualIsAddedAfterTheBiasAndBeforeTheActivation() {
        // A * B = [58 64; 139 154]; + row bias [-100; -140] = [-42 -36; -1 14];
        // + R = [40 -4; 1.5 -20] = [-2 -40; 0.5 -6]; LeakyReLU(0.25) = [-0.5 -10; 0.5 -1.5].
        float[] bias = {-100, -140};
        float[] r = {9, 40, -4, 9, 1.5f, -20, 9};   // R at offset 1, ldr = 3 (one padding element per row)
        float[] expected = {-0.5f, -10, 0.5f, -1.5f};
        Epilogue leaky = Epilogue.rowBias(bias, 0).withLeakyRelu(0.25f);
        float[] c = new float[4];
        Sgemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 2, 0f, c, 0, 2, leaky, r, 1, 3);
        assertArrayEquals(expected, c);
        float[] ref = new float[4];
        RefGemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 2, 0f, ref, 0, 2, leaky, r, 1, 3);
        assertArrayEquals(expected, ref);
        // k == 0 takes the scaling path: C = LeakyReLU(beta * C + bias + R).
        float[] scaled = {10, 20, 30, 40};
        Sgemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 2f, scaled, 0, 2, leaky, r, 1, 3);
        assertArrayEquals(new float[] {-10, -16, -19.625f, -20}, scaled);
    }

    @Test
    void leakyReluPassesNaNAndNegativeZero() {
        // The sums are +0.0 and NaN, times alpha = -1: -0.0 and NaN. -0.0 < 0 is false and NaN < 0 is
        // false: both are stored unchanged, not multiplied (-2 * -0.0 would be +0.0).
        float[] c = new float[2];
        float[] b = {0f, Float.NaN};
        Sgemm.sgemm(false, false, 1, 2, 1, -1f, new float[] {1f}, 0, 1, b, 0, 2, 0f, c, 0, 2, Epilogue.leakyRelu(-2f));
        org.junit.jupiter.api.Assertions.assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(c[0]));
        org.junit.jupiter.api.Assertions.assertTrue(Float.isNaN(c[1]));
    }
}
