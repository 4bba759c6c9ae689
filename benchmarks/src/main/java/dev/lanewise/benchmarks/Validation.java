package dev.lanewise.benchmarks;

import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.ref.RefGemm;
import java.util.Arrays;

/**
 * The output check every benchmark runs once in its setup: a benchmark of a wrong result is worse
 * than none. Failures throw, which fails the JMH run loudly.
 */
final class Validation {

    private Validation() {
    }

    /**
     * Checks rows of a GEMM result {@code c = A * op(B)} against {@link RefGemm}: the first, middle
     * and last row and two more, each element within {@code (k + 4) * 2^-23 * sum_p |a_ip b_pj|}.
     */
    static void checkGemmRows(String what, GemmShape s, float[] a, float[] b, float[] c) {
        int m = s.m();
        int n = s.n();
        int k = s.k();
        int ldb = s.transB() ? k : n;
        float[] absA = abs(a);
        float[] absB = abs(b);
        for (int i : new int[] {0, m / 3, m / 2, (2 * m) / 3, m - 1}) {
            float[] expected = new float[n];
            float[] bound = new float[n];
            RefGemm.sgemm(false, s.transB(), 1, n, k, 1f, a, i * k, k, b, 0, ldb, 0f, expected, 0, n, Epilogue.NONE);
            RefGemm.sgemm(false, s.transB(), 1, n, k, 1f, absA, i * k, k, absB, 0, ldb, 0f, bound, 0, n, Epilogue.NONE);
            for (int j = 0; j < n; j++) {
                float got = c[i * n + j];
                float allowed = (k + 4) * 0x1p-23f * bound[j] + Float.MIN_NORMAL;
                if (!(Math.abs(got - expected[j]) <= allowed)) {
                    throw new IllegalStateException(what + ": C(" + i + ", " + j + ") = " + got
                            + " but the reference gives " + expected[j] + " (allowed error " + allowed + ")");
                }
            }
        }
    }

    private static float[] abs(float[] x) {
        float[] y = Arrays.copyOf(x, x.length);
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.abs(y[i]);
        }
        return y;
    }
}
